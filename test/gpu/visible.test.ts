import { describe, expect, it } from 'vitest';
import { cudaZero } from '../../src/gpu/visible.js';
import { nvidiaGpu } from '../checks/install-facts.js';

const two = [nvidiaGpu({ index: 0 }), nvidiaGpu({ index: 1 })];
const mixed = [nvidiaGpu({ index: 0, name: 'NVIDIA GeForce GTX 1080' }), nvidiaGpu({ index: 1 })];

describe('cudaZero', () => {
  it('is GPU 0 without CUDA_VISIBLE_DEVICES', () => {
    expect(cudaZero(two, undefined, undefined)).toMatchObject({ device: { index: 0 }, visibleCount: 2, certain: true });
  });

  it('follows CUDA_VISIBLE_DEVICES up to the first invalid entry', () => {
    expect(cudaZero(two, '1', undefined)).toMatchObject({ device: { index: 1 }, visibleCount: 1 });
    expect(cudaZero(two, '1,x,0', undefined)).toMatchObject({ device: { index: 1 }, visibleCount: 1 });
    // CUDA also stops at an index that names no GPU.
    expect(cudaZero(two, '0,5,1', undefined)).toMatchObject({ device: { index: 0 }, visibleCount: 1 });
  });

  it('sees no GPU for an empty list, -1 or a missing index', () => {
    expect(cudaZero(two, '', undefined).visibleCount).toBe(0);
    expect(cudaZero(two, '-1', undefined).visibleCount).toBe(0);
    expect(cudaZero(two, '5', undefined)).toEqual({ visibleCount: 0, certain: true, note: expect.stringMatching(/names GPU 5, which does not exist/) });
  });

  it('is uncertain with mixed GPUs unless CUDA_DEVICE_ORDER=PCI_BUS_ID', () => {
    expect(cudaZero(mixed, '0', undefined).certain).toBe(false);
    expect(cudaZero(mixed, '0', 'PCI_BUS_ID').certain).toBe(true);
  });

  it('cannot map UUID entries (the doctor keeps no UUIDs)', () => {
    expect(cudaZero(two, 'GPU-8f6c3a1e-0000-0000-0000-000000000000', undefined)).toEqual({ visibleCount: 1, certain: false, note: expect.stringMatching(/UUID or MIG/) });
  });
});
