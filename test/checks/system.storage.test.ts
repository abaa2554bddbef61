import { describe, expect, it } from 'vitest';
import check from '../../checks/system.storage.js';
import { judge, recordedFacts, statuses } from './recorded-facts.js';

describe('system.storage', () => {
  it('passes three folders on a local NVMe SSD', async () => {
    expect(statuses(await judge(check, recordedFacts('workstation')))).toEqual(['pass', 'pass', 'pass']);
  });

  it('warns about every folder on the WSL Windows drive', async () => {
    const findings = await judge(check, recordedFacts('wsl2-drvfs'));
    expect(statuses(findings)).toEqual(['warn', 'warn', 'warn']);
    expect(findings[1]!.fix).toMatch(/not under \/mnt\/c/);
  });

  it('fails the nearly full NFS scratch of the cluster job', async () => {
    expect(statuses(await judge(check, recordedFacts('slurm-cgroup')))).toEqual(['info', 'fail', 'info']);
  });

  it("warns about the container's writable layer and notes the HDD under raw data", async () => {
    expect(statuses(await judge(check, recordedFacts('docker-small-shm')))).toEqual(['info', 'warn', 'warn']);
  });

  it('skips when no folder is set or the probe failed', async () => {
    expect(statuses(await judge(check, { storage: { ok: true, folders: [] } }))).toEqual(['skip']);
    expect(statuses(await judge(check, { storage: { ok: false, reason: 'x' } }))).toEqual(['skip']);
  });
});
