import { describe, expect, it } from 'vitest';
import check from '../../checks/nnunet.installed.js';
import { nnunetMeta, pythonFact } from './install-facts.js';
import { judge } from './recorded-facts.js';

describe('nnunet.installed', () => {
  it('passes a regular install', async () => {
    expect((await judge(check, { python: pythonFact() }))[0]).toMatchObject({ status: 'pass', summary: 'nnunetv2 2.6.4 (regular install)' });
  });

  it('shows where an editable install comes from', async () => {
    const python = pythonFact({ nnunet: nnunetMeta({ version: '2.8.1', editable: true, editableUrl: 'file:///home/u/nnUNet' }) });
    expect((await judge(check, { python }))[0]!.summary).toBe('nnunetv2 2.8.1 (editable install from /home/u/nnUNet)');
  });

  it('fails when it is missing or does not import', async () => {
    expect((await judge(check, { python: pythonFact({ nnunet: null }) }))[0]).toMatchObject({ status: 'fail', summary: 'nnunetv2 is not installed for /env/bin/python3' });
    const broken = pythonFact({ nnunet: nnunetMeta({ import: { ok: false, errorType: 'ImportError', message: "cannot import name 'crop_to_bbox'" } }) });
    expect((await judge(check, { python: broken }))[0]!.summary).toMatch(/"import nnunetv2" fails: ImportError: cannot import name 'crop_to_bbox'/);
  });
});
