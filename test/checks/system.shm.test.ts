import { describe, expect, it } from 'vitest';
import check from '../../checks/system.shm.js';
import { GiB, MiB } from '../../src/util/format.js';
import { judge, recordedFacts, statuses } from './recorded-facts.js';

const shm = (bytes: number) => ({ ok: true as const, path: '/dev/shm', bytes, freeBytes: bytes });

describe('system.shm', () => {
  it('passes a large /dev/shm and a normal open-file limit', async () => {
    const findings = await judge(check, recordedFacts('workstation'));
    expect(statuses(findings)).toEqual(['pass', 'pass']);
    expect(findings[1]!.summary).toBe('open-file limit (ulimit -n) is 1024 (hard 1048576)');
  });

  it("fails Docker's 64 MB default and names the Docker fix", async () => {
    const [finding] = await judge(check, recordedFacts('docker-small-shm'));
    expect(finding).toMatchObject({ status: 'fail', summary: "/dev/shm is only 64.0 MiB (Docker's default)" });
    expect(finding!.fix).toMatch(/--ipc=host/);
  });

  it('fits the fix to the container runtime', async () => {
    const facts = recordedFacts('docker-small-shm');
    const osFact = facts.os as { ok: true; container: string };
    const fixFor = async (container: string) => (await judge(check, { ...facts, os: { ...osFact, container } as never }))[0]!.fix;
    expect(await fixFor('podman')).toMatch(/--shm-size/);
    expect(await fixFor('apptainer')).toMatch(/host/);
    expect(await fixFor('none')).toMatch(/remount/);
  });

  it('warns between 512 MiB and 2 GiB', async () => {
    const facts = recordedFacts('workstation');
    expect(statuses(await judge(check, { ...facts, shm: shm(1 * GiB) }))[0]).toBe('warn');
    expect(statuses(await judge(check, { ...facts, shm: shm(511 * MiB) }))[0]).toBe('fail');
    expect(statuses(await judge(check, { ...facts, shm: shm(2 * GiB) }))[0]).toBe('pass');
  });

  it('warns on a low open-file limit, with a fix that fits the hard limit', async () => {
    const [, slurm] = await judge(check, recordedFacts('slurm-cgroup'));
    expect(slurm).toMatchObject({ status: 'warn', summary: 'the open-file limit (ulimit -n) is only 512' });
    expect(slurm!.fix).toBe('run ulimit -n 4096 in the shell that starts nnU-Net (or add it to ~/.bashrc)');
    const stuck = { ...recordedFacts('slurm-cgroup'), limits: { ok: true as const, openFiles: { soft: 256, hard: 256 } } };
    expect((await judge(check, stuck))[1]!.fix).toMatch(/limits\.conf/);
  });

  it('says so when the limits are unknown, and skips without /dev/shm', async () => {
    const facts = { ...recordedFacts('workstation'), limits: { ok: false as const, reason: 'not Linux' } };
    expect(statuses(await judge(check, facts))).toEqual(['pass', 'info']);
    expect(statuses(await judge(check, { ...facts, shm: { ok: false, reason: 'darwin has no /dev/shm' } }))).toEqual(['skip']);
  });
});
