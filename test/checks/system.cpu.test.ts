import { describe, expect, it } from 'vitest';
import check from '../../checks/system.cpu.js';
import type { CpuInfo } from '../../src/probes/cpu.js';
import { judge, recordedFacts, statuses } from './recorded-facts.js';

const cpu = (change: Partial<CpuInfo>) => {
  const facts = recordedFacts('workstation');
  return { cpu: { ...(facts.cpu as { ok: true } & CpuInfo), ...change } };
};

describe('system.cpu', () => {
  it('passes 16 cores / 32 threads', async () => {
    const [finding] = await judge(check, recordedFacts('workstation'));
    expect(finding).toMatchObject({ status: 'pass', summary: '16 cores / 32 threads (AMD Ryzen 9 7950X 16-Core Processor)' });
    expect(finding!.evidence).toMatchObject({ effectiveCpus: 32 });
  });

  it('fails a container whose cgroup quota leaves 4 CPUs, and says nnU-Net will not notice', async () => {
    const [finding] = await judge(check, recordedFacts('docker-small-shm'));
    expect(finding!.status).toBe('fail');
    expect(finding!.summary).toMatch(/^only 4 CPUs usable of the host's 48 cores \/ 96 threads/);
    expect(finding!.details).toMatch(/cgroup quota allows 4 of the host's 96 CPUs.*os\.cpu_count\(\) = 96/);
  });

  it('warns a SLURM job pinned to 8 CPUs of 256', async () => {
    const [finding] = await judge(check, recordedFacts('slurm-cgroup'));
    expect(finding!.status).toBe('warn');
    expect(finding!.details).toMatch(/CPU affinity allows 8 of the host's 256/);
  });

  it('draws the lines at 6 cores and 12 threads', async () => {
    expect(statuses(await judge(check, cpu({ logicalCores: 12, physicalCores: 6, affinityCpus: 12, effectiveCpus: 12 })))).toEqual(['pass']);
    expect(statuses(await judge(check, cpu({ logicalCores: 8, physicalCores: 8, affinityCpus: 8, effectiveCpus: 8 })))).toEqual(['warn']);
    expect(statuses(await judge(check, cpu({ logicalCores: 16, physicalCores: 4, affinityCpus: 16, effectiveCpus: 16 })))).toEqual(['warn']);
    expect(statuses(await judge(check, cpu({ logicalCores: 4, physicalCores: 2, affinityCpus: 4, effectiveCpus: 4 })))).toEqual(['fail']);
  });

  it('judges threads alone when the core count is unknown', async () => {
    const [finding] = await judge(check, cpu({ physicalCores: null, logicalCores: 64, affinityCpus: 64, effectiveCpus: 64 }));
    expect(finding).toMatchObject({ status: 'pass' });
    expect(finding!.summary).toMatch(/^64 threads/);
  });

  it('skips with the reason when the CPU could not be probed', async () => {
    expect(statuses(await judge(check, { cpu: { ok: false, reason: 'no /proc' } }))).toEqual(['skip']);
  });
});
