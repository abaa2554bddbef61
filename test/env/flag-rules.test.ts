import { describe, expect, it } from 'vitest';
import { judgeFlags } from '../../src/env/flag-rules.js';

const run = (vars: Record<string, string>, platform: NodeJS.Platform = 'linux') => judgeFlags({ vars, present: [] }, platform);
const byStatus = (vars: Record<string, string>, platform?: NodeJS.Platform) => run(vars, platform).map((f) => [f.status, f.summary]);

describe('judgeFlags', () => {
  it('explains the default when nothing is set', () => {
    const findings = run({ nnUNet_raw: '/data/raw' });
    expect(findings.map((f) => f.status)).toEqual(['pass']);
    expect(findings[0]!.summary).toMatch(/unset: torch.compile is on for CUDA training/);
  });

  it('reads nnUNet_compile as nnU-Net does', () => {
    expect(run({ nnUNet_compile: 'T' })[0]!.summary).toBe('nnUNet_compile=T: torch.compile is on (training and inference, CUDA only)');
    expect(run({ nnUNet_compile: 'f' })[0]).toMatchObject({ status: 'pass', summary: 'nnUNet_compile=f: torch.compile is off' });
    expect(run({ nnUNet_compile: 'yes' })[0]).toMatchObject({ status: 'warn', summary: 'nnUNet_compile="yes" turns torch.compile OFF' });
    expect(run({ nnUNet_compile: 'true ' })[0]!.status).toBe('warn');
    expect(run({ nnUNet_compile: 'banana' })[0]!.status).toBe('pass');
    expect(run({ nnUNet_compile: '1' }, 'win32')[0]).toMatchObject({ status: 'info', summary: 'nnUNet_compile=1, but nnU-Net never compiles on Windows' });
  });

  it('leaves the worker counts to system.workers, so a bad value is reported once', () => {
    expect(byStatus({ nnUNet_n_proc_DA: '12.5', nnUNet_def_n_proc: '' }).map(([s]) => s)).toEqual(['pass', 'info']);
  });

  it('warns that bad inference worker counts are silently replaced by 3', () => {
    expect(byStatus({ nnUNet_npp: 'four', nnUNet_nps: '2' })[1]).toEqual(['warn', 'nnUNet_npp="four" is ignored: nnUNetv2_predict falls back to 3']);
  });

  it('reports nnUNet_keep_files_open as a no-op and checks nnUNet_wandb_enabled', () => {
    expect(byStatus({ nnUNet_keep_files_open: 'True' })[1]).toEqual(['info', 'nnUNet_keep_files_open=True has no effect on nnU-Net 2.6 and later']);
    expect(byStatus({ nnUNet_wandb_enabled: 'yes' })[1]![0]).toBe('fail');
    expect(byStatus({ nnUNet_wandb_enabled: 'True' }).map(([s]) => s)).toEqual(['pass', 'info']);
  });

  it('flags unknown and wrongly-capitalised nnUNet variables outside Windows', () => {
    expect(byStatus({ NNUNET_COMPILE: 'f', nnUNet_n_proc_da: '8', nnUNet_foo: '1' }).slice(1, 4)).toEqual([
      ['warn', 'NNUNET_COMPILE is not read by nnU-Net; the name is nnUNet_compile'],
      ['warn', 'nnUNet_foo is not read by nnU-Net'],
      ['warn', 'nnUNet_n_proc_da is not read by nnU-Net; the name is nnUNet_n_proc_DA'],
    ]);
    expect(byStatus({ NNUNET_COMPILE: 'f' }, 'win32').map(([s]) => s)).toEqual(['pass', 'info']);
    // Path variables are env.paths' business.
    expect(byStatus({ NNUNET_RAW: '/x' }).map(([s]) => s)).toEqual(['pass', 'info']);
  });

  it('lists every nnUNet_ switch that is set, quoting values with spaces', () => {
    const last = run({ nnUNet_n_proc_DA: ' 12 ', nnUNet_compile: 'f', nnUNet_raw: '/x' }).at(-1)!;
    expect(last).toMatchObject({ status: 'info', summary: 'set: nnUNet_compile=f, nnUNet_n_proc_DA=" 12 "' });
  });
});
