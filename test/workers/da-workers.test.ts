import { describe, expect, it } from 'vitest';
import { hostTableWorkers, processesPerTraining, recommendedWorkers } from '../../src/workers/da-workers.js';

describe("nnU-Net's worker defaults", () => {
  it.each([
    ['my-workstation', 12],
    ['Fabian', 12],
    ['e230-dgx1-1', 10],
    ['e230-dgx2-3', 6],
    ['e230-dgxa100-4', 28],
    ['lsf22-gpu07', 28],
    ['hdf19-gpu16', 16],
    ['hdf19-gpu03', 12],
    ['node-SuperH200-2', 48],
    ['superl40s-1', 28],
  ])('host %s -> %i', (host, workers) => {
    expect(hostTableWorkers(host).workers).toBe(workers);
  });

  it('does not leak the host name into the rule text', () => {
    expect(hostTableWorkers('alice-laptop').rule).not.toMatch(/alice/);
  });

  it('counts training, validation and main processes', () => {
    expect(processesPerTraining(12)).toBe(19);
    expect(processesPerTraining(1)).toBe(3);
    expect(processesPerTraining(0)).toBe(1);
  });

  it('recommends per GPU class as the docs do', () => {
    expect(recommendedWorkers('NVIDIA GeForce RTX 2080 Ti')).toMatchObject({ min: 10, max: 12 });
    expect(recommendedWorkers('NVIDIA GeForce RTX 3090')).toMatchObject({ min: 12, max: 12 });
    expect(recommendedWorkers('NVIDIA GeForce RTX 4090')).toMatchObject({ min: 16, max: 18 });
    expect(recommendedWorkers('NVIDIA A100-SXM4-80GB')).toMatchObject({ min: 28, max: 32 });
    expect(recommendedWorkers('NVIDIA H200')).toMatchObject({ max: 48 });
    expect(recommendedWorkers(undefined)).toMatchObject({ min: 12, max: 12 });
  });
});
