import { describe, expect, it } from 'vitest';
import check from '../../checks/env.flags.js';
import { judge, recordedFacts, statuses } from './recorded-facts.js';

describe('env.flags', () => {
  it('reports the worker count a workstation sets', async () => {
    const findings = await judge(check, recordedFacts('workstation'));
    expect(statuses(findings)).toEqual(['pass', 'info']);
    expect(findings[1]!.summary).toBe('set: nnUNet_n_proc_DA=16');
  });

  it('catches nnUNet_compile=yes and the obsolete keep-files-open switch on the WSL machine', async () => {
    expect(statuses(await judge(check, recordedFacts('wsl2-drvfs')))).toEqual(['warn', 'info', 'info']);
  });

  it('uses the Windows rules when the OS says Windows', async () => {
    const facts = recordedFacts('wsl2-drvfs');
    const win = { ...facts, os: { ...(facts.os as object), platform: 'win32' } as never, env: { ok: true as const, vars: { nnUNet_compile: '1' }, present: [] } };
    expect((await judge(check, win))[0]!.status).toBe('info');
  });

  it('skips when the environment could not be read', async () => {
    expect(statuses(await judge(check, { env: { ok: false, reason: 'x' }, os: { ok: false, reason: 'y' } }))).toEqual(['skip']);
  });
});
