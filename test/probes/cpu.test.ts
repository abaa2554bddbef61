import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { countCpuList, effectiveCpusOf, relevantFlags } from '../../src/probes/cpu.js';
import { storeWith } from './probe-context.js';

describe('countCpuList', () => {
  it('counts ranges and single CPUs', () => {
    expect(countCpuList('0-3,8,10-11\n')).toBe(7);
    expect(countCpuList('5')).toBe(1);
    expect(countCpuList('0-1')).toBe(2);
  });

  it('rejects what it cannot read', () => {
    expect(countCpuList('')).toBeNull();
    expect(countCpuList('0-3,x')).toBeNull();
  });
});

describe('effectiveCpusOf', () => {
  it('takes the least of host, affinity and quota, rounding the quota down', () => {
    expect(effectiveCpusOf(256, 8, null)).toBe(8);
    expect(effectiveCpusOf(96, 96, 4.5)).toBe(4);
    expect(effectiveCpusOf(16, 16, null)).toBe(16);
  });

  it('never says less than one CPU', () => {
    expect(effectiveCpusOf(8, 8, 0.5)).toBe(1);
  });
});

describe('relevantFlags', () => {
  it('keeps the vector-unit flags, in a fixed order, whatever the spelling', () => {
    expect(relevantFlags(['fpu', 'fma', 'avx2', 'avx', 'bmi2'])).toEqual(['avx', 'avx2', 'fma']);
    expect(relevantFlags(['FMA', 'AVX1.0', 'AVX2', 'AVX512F'])).toEqual(['avx', 'avx2', 'fma', 'avx512f']);
    expect(relevantFlags([])).toEqual([]);
  });
});

describe('cpuProbe on this machine', () => {
  it('agrees with Node about the CPUs and stays within them', async () => {
    const cpu = await storeWith().get('cpu');
    if (!cpu.ok) throw new Error(cpu.reason);
    expect(cpu.logicalCores).toBe(os.cpus().length);
    expect(cpu.effectiveCpus).toBeGreaterThanOrEqual(1);
    expect(cpu.effectiveCpus).toBeLessThanOrEqual(Math.min(cpu.logicalCores, cpu.affinityCpus));
    // Newer libuv also applies the cgroup quota to availableParallelism, so it can only be smaller.
    expect(cpu.affinityCpus).toBeGreaterThanOrEqual(os.availableParallelism());
  });
});
