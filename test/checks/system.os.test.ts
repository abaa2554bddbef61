import { describe, expect, it } from 'vitest';
import check from '../../checks/system.os.js';
import type { OsInfo } from '../../src/probes/os.js';
import { judge, recordedFacts, statuses } from './recorded-facts.js';

const withOs = (change: Partial<OsInfo>) => {
  const facts = recordedFacts('workstation');
  return { ...facts, os: { ...(facts.os as { ok: true } & OsInfo), ...change } };
};

describe('system.os', () => {
  it('passes a Linux workstation', async () => {
    const findings = await judge(check, recordedFacts('workstation'));
    expect(statuses(findings)).toEqual(['pass']);
    expect(findings[0]!.summary).toBe('Linux (Ubuntu 22.04.4 LTS, x64)');
  });

  it('passes WSL2 and points at the storage advice', async () => {
    const [finding] = await judge(check, recordedFacts('wsl2-drvfs'));
    expect(finding).toMatchObject({ status: 'pass', summary: 'WSL2 (Ubuntu 24.04.1 LTS, x64)' });
    expect(finding!.details).toMatch(/\/mnt\/c/);
  });

  it('fails WSL1, which has no GPU', async () => {
    const [finding] = await judge(check, withOs({ wsl: 1, release: '4.4.0-19041-Microsoft' }));
    expect(finding!.status).toBe('fail');
    expect(finding!.fix).toMatch(/wsl --set-version/);
  });

  it('warns on Windows and macOS, with the Intel-Mac extra', async () => {
    expect(statuses(await judge(check, withOs({ platform: 'win32', distro: 'Windows 11 Pro' })))).toEqual(['warn']);
    const [intelMac] = await judge(check, withOs({ platform: 'darwin', arch: 'x64', distro: 'macOS 13.6' }));
    expect(intelMac!.status).toBe('warn');
    expect(intelMac!.fix).toMatch(/nnunetv2\[intel_macos\]/);
    const [appleSilicon] = await judge(check, withOs({ platform: 'darwin', arch: 'arm64', distro: 'macOS 14.5', rosetta: false }));
    expect(appleSilicon!.fix).not.toMatch(/intel_macos/);
  });

  it('fails platforms nnU-Net does not run on', async () => {
    expect(statuses(await judge(check, withOs({ platform: 'freebsd', distro: undefined })))).toEqual(['fail']);
  });

  it('adds notes for containers and Colab', async () => {
    const findings = await judge(check, withOs({ container: 'docker', containerSignals: ['/.dockerenv'], colab: true }));
    expect(statuses(findings)).toEqual(['pass', 'info', 'info']);
    expect(findings.map((f) => f.summary)).toEqual(expect.arrayContaining(['Google Colab runtime', 'running inside Docker']));
  });

  it('skips with the reason when the OS could not be probed', async () => {
    expect(await judge(check, { os: { ok: false, reason: 'boom' } })).toEqual([{ status: 'skip', summary: 'boom' }]);
  });
});
