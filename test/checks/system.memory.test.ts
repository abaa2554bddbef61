import { describe, expect, it } from 'vitest';
import check from '../../checks/system.memory.js';
import type { MemoryInfo } from '../../src/probes/memory.js';
import { GiB } from '../../src/util/format.js';
import { judge, recordedFacts, statuses } from './recorded-facts.js';

const withMemory = (change: Partial<MemoryInfo>) => {
  const facts = recordedFacts('workstation');
  return { ...facts, memory: { ...(facts.memory as { ok: true } & MemoryInfo), ...change } };
};

describe('system.memory', () => {
  it('passes a 64 GB workstation', async () => {
    const findings = await judge(check, recordedFacts('workstation'));
    expect(statuses(findings)).toEqual(['pass']);
    expect(findings[0]!.summary).toBe('62.0 GiB RAM');
  });

  it('fails a container held to 16 GiB by its cgroup, however big the host', async () => {
    const [finding] = await judge(check, recordedFacts('docker-small-shm'));
    expect(finding!.status).toBe('fail');
    expect(finding!.summary).toMatch(/16\.0 GiB RAM \(cgroup limit; the machine has 378 GiB\)/);
    expect(finding!.fix).toMatchObject({ linux: expect.stringMatching(/--memory=64g/) });
  });

  it('explains the WSL cap and gives the .wslconfig fix', async () => {
    const [finding] = await judge(check, recordedFacts('wsl2-drvfs'));
    expect(finding!.status).toBe('fail');
    expect(finding!.summary).toMatch(/given to WSL/);
    expect(finding!.details).toMatch(/\.wslconfig/);
    expect(finding!.fix).toMatchObject({ wsl: expect.stringMatching(/\.wslconfig.*wsl --shutdown/) });
  });

  it('warns between 32 and 64 GB, counting a 32 GB machine as 32 GB', async () => {
    expect(statuses(await judge(check, withMemory({ totalBytes: 31.3 * GiB, availableBytes: 30 * GiB })))).toEqual(['warn']);
    expect(statuses(await judge(check, withMemory({ totalBytes: 28 * GiB, availableBytes: 27 * GiB })))).toEqual(['fail']);
    expect(statuses(await judge(check, recordedFacts('slurm-cgroup')))).toEqual(['warn']);
  });

  it('warns when other programs hold most of the RAM', async () => {
    const findings = await judge(check, withMemory({ availableBytes: 10 * GiB }));
    expect(statuses(findings)).toEqual(['pass', 'warn']);
    expect(findings[1]!.summary).toBe('only 10.0 GiB of 62.0 GiB RAM is available now');
  });

  it('still judges memory when the OS fact is missing, and skips when memory is', async () => {
    const facts = { ...recordedFacts('workstation'), os: { ok: false as const, reason: 'x' } };
    expect(statuses(await judge(check, facts))).toEqual(['pass']);
    expect(statuses(await judge(check, { ...facts, memory: { ok: false, reason: 'no /proc/meminfo' } }))).toEqual(['skip']);
  });
});
