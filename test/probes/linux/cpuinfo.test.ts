import { describe, expect, it } from 'vitest';
import { parseCpuinfo } from '../../../src/probes/linux/cpuinfo.js';
import { procFixture } from './fixture.js';

describe('parseCpuinfo', () => {
  it('counts physical cores, not hyperthreads', () => {
    const ht = parseCpuinfo(procFixture('cpuinfo-x86-ht.txt'));
    expect(ht).toMatchObject({ model: 'Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz', physicalCores: 2, packages: 1 });
    expect(ht.flags).toContain('avx2');
  });

  it('reads a recorded virtual machine', () => {
    const vm = parseCpuinfo(procFixture('cpuinfo-epyc-2cpu.txt'));
    expect(vm.model).toBe('AMD EPYC');
    expect(vm.physicalCores).toBe(2);
    expect(vm.flags).toEqual(expect.arrayContaining(['avx2', 'fma']));
  });

  it('leaves the core count unknown on ARM, which lists no core ids, and reads its Features', () => {
    const arm = parseCpuinfo(procFixture('cpuinfo-arm64.txt'));
    expect(arm.physicalCores).toBeUndefined();
    expect(arm.flags).toEqual(expect.arrayContaining(['asimd', 'sve2', 'bf16']));
  });

  it('survives an empty file', () => {
    expect(parseCpuinfo('')).toEqual({ model: undefined, physicalCores: undefined, packages: undefined, flags: [] });
  });
});
