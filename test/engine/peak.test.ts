import { describe, expect, it } from 'vitest';
import { cpuPeak, gpuPeak } from '../../src/engine/peak.js';

describe('peak estimates', () => {
  it('counts 32 FLOP/cycle per core for AVX2 with FMA (2 units x 8 lanes x 2)', () => {
    const p = cpuPeak({ cores: 2, clockMhz: 2445, flags: ['sse4_2', 'avx', 'avx2', 'fma'], arch: 'x64' });
    expect(p.gflops).toBeCloseTo(156.5, 1);
    expect(p.basis).toMatch(/AVX2 FMA/);
  });

  it('doubles for AVX-512 and halves without FMA', () => {
    const base = { cores: 1, clockMhz: 1000, arch: 'x64' };
    expect(cpuPeak({ ...base, flags: ['avx2', 'fma', 'avx512f'] }).gflops).toBe(64);
    expect(cpuPeak({ ...base, flags: ['avx'] }).gflops).toBe(16);
    expect(cpuPeak({ ...base, flags: ['asimd'], arch: 'arm64' }).gflops).toBe(16);
  });

  it('knows common GPUs by their nvidia-smi names', () => {
    expect(gpuPeak('NVIDIA GeForce RTX 4090')?.gflops).toBe(82_600);
    expect(gpuPeak('NVIDIA H100 PCIe')?.gflops).toBe(51_000);
    expect(gpuPeak('NVIDIA A100-SXM4-40GB')?.gflops).toBe(19_500);
    expect(gpuPeak('Matrox G200')).toBeUndefined();
  });
});
