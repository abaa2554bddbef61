import { describe, expect, it } from 'vitest';
import check from '../../checks/env.paths.js';
import { judge, recordedFacts, statuses } from './recorded-facts.js';

describe('env.paths', () => {
  it('passes the recorded workstation', async () => {
    expect(statuses(await judge(check, recordedFacts('workstation')))).toEqual(['pass', 'pass', 'pass']);
  });

  it('notes the v1 RESULTS_FOLDER on the WSL machine', async () => {
    const findings = await judge(check, recordedFacts('wsl2-drvfs'));
    expect(statuses(findings)).toEqual(['pass', 'pass', 'pass', 'info']);
  });

  it('warns about the missing preprocessed folder in the container and results nested in raw on the cluster', async () => {
    expect(statuses(await judge(check, recordedFacts('docker-small-shm')))).toEqual(['pass', 'warn', 'pass']);
    const slurm = await judge(check, recordedFacts('slurm-cgroup'));
    expect(slurm.at(-1)!.summary).toBe('nnUNet_results is inside nnUNet_raw');
  });

  it('skips when the folders could not be probed', async () => {
    const facts = { ...recordedFacts('workstation'), paths: { ok: false as const, reason: 'boom' } };
    expect(await judge(check, facts)).toEqual([{ status: 'skip', summary: 'boom' }]);
  });
});
