import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeGpuFixture } from './gpu-fixture.js';
import { FactStore } from '../../src/core/fact-store.js';
import type { Facts } from '../../src/core/facts.js';
import { gpuProbe } from '../../src/probes/gpu.js';
import { GiB, MiB } from '../../src/util/format.js';

function ok(fact: Facts['gpu']) {
  if (!fact.ok) throw new Error(fact.reason);
  return fact;
}

describe('gpu probe with a fake nvidia-smi on PATH', () => {
  it('reads a 24 GB RTX 4090: memory, driver, CUDA version from the banner, capability, display', async () => {
    const gpu = ok(await probeGpuFixture('rtx4090-24gb'));
    expect(gpu.source).toBe('nvidia-smi');
    expect(gpu.nvidiaSmi.state).toBe('ok');
    expect(gpu.driverVersion).toBe('570.133.07');
    expect(gpu.cudaDriverVersion).toBe('12.8');
    expect(gpu.devices).toEqual([
      { index: 0, vendor: 'nvidia', name: 'NVIDIA GeForce RTX 4090', memoryTotalBytes: 24564 * MiB, memoryUsedBytes: 612 * MiB, memoryFreeBytes: 23517 * MiB, displayActive: true, computeCapability: '8.9' },
    ]);
    expect(gpu.processes).toEqual([]);
  });

  it('reads the 12 GB and 6 GB cards and the old-format banner of driver 470', async () => {
    expect(ok(await probeGpuFixture('rtx3060-12gb')).devices[0]!.memoryTotalBytes).toBe(12 * GiB);
    const small = ok(await probeGpuFixture('rtx2060-6gb'));
    expect(small.devices[0]!.memoryTotalBytes).toBe(6 * GiB);
    expect(small.cudaDriverVersion).toBe('11.4');
  });

  it('lists all eight 80 GB GPUs of a DGX-like server', async () => {
    const gpu = ok(await probeGpuFixture('a100-8x80gb'));
    expect(gpu.devices.map((d) => d.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(gpu.devices.map((d) => d.memoryTotalBytes))).toEqual(new Set([80 * GiB]));
  });

  it('attributes VRAM held by another process to its GPU, keeping only the program name', async () => {
    const gpu = ok(await probeGpuFixture('busy-3090-22gb-used'));
    expect(gpu.processes).toEqual([{ gpuIndex: 0, pid: 48213, name: 'python', usedBytes: 22528 * MiB }]);
    expect(JSON.stringify(gpu)).not.toMatch(/alice|GPU-[0-9a-f]{8}/);
  });

  it('reads compute capability 6.1', async () => {
    expect(ok(await probeGpuFixture('gtx1080ti-cc61')).devices[0]!.computeCapability).toBe('6.1');
  });

  it('turns a hanging nvidia-smi into a fact within the deadline instead of hanging', async () => {
    const started = performance.now();
    const gpu = ok(await probeGpuFixture('hang', 2000));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(gpu.nvidiaSmi.state).toBe('hung');
    expect(gpu.nvidiaSmi.reason).toMatch(/did not finish within 1\.2 s/);
  });

  it("reports nvidia-smi's driver failure with its own words", async () => {
    const gpu = ok(await probeGpuFixture('driver-failure'));
    expect(gpu.nvidiaSmi.state).toBe('driver-error');
    expect(gpu.nvidiaSmi.reason).toMatch(/couldn't communicate with the NVIDIA driver/);
    expect(gpu.source).not.toBe('nvidia-smi');
    expect(gpu.driverVersion).toBeUndefined();
  });

  it('falls back to rocm-smi for AMD GPUs', async () => {
    const rocm = fileURLToPath(new URL('../../fixtures/gpu/rocm/bin', import.meta.url));
    const gpu = ok(await new FactStore({ probes: [gpuProbe], options: { probeTimeoutMs: 5000 }, env: { PATH: rocm } }).get('gpu'));
    expect(gpu.source).toBe('rocm-smi');
    expect(gpu.devices).toEqual([{ index: 0, vendor: 'amd', name: 'AMD Instinct MI210', memoryTotalBytes: 68702699520, memoryUsedBytes: 10960896, memoryFreeBytes: 68702699520 - 10960896 }]);
  });

  it('says nvidia-smi is missing when PATH has none', async () => {
    const gpu = ok(await new FactStore({ probes: [gpuProbe], options: { probeTimeoutMs: 5000 }, env: { PATH: '/nonexistent' } }).get('gpu'));
    expect(gpu.nvidiaSmi.state).toBe('not-found');
  });
});
