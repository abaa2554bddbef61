import { describe, expect, it } from 'vitest';
import check from '../../checks/torch.version.js';
import { nnunetMeta, pythonFact, torchRuntime } from './install-facts.js';
import { judge } from './recorded-facts.js';

describe('torch.version', () => {
  it('warns on 2.9.x and advises 2.8 or >= 2.10', async () => {
    const [finding] = await judge(check, { python: pythonFact({ torch: torchRuntime({ version: '2.9.0+cu128', cudnn: 91002 }) }) });
    expect(finding).toMatchObject({ status: 'warn', ref: expect.stringMatching(/166122/) });
    expect(finding!.fix).toMatch(/torch==2\.8\.\*.*2\.10/);
  });

  it('is softer on 2.9.1 with cuDNN 9.15', async () => {
    expect((await judge(check, { python: pythonFact({ torch: torchRuntime({ version: '2.9.1+cu128', cudnn: 91501 }) }) }))[0]!.status).toBe('info');
  });

  it('combines the torch and nnunetv2 versions', async () => {
    const python = pythonFact({ torch: torchRuntime({ version: '2.7.1+cu126' }), nnunet: nnunetMeta({ version: '2.5.1' }) });
    expect((await judge(check, { python }))[0]).toMatchObject({ status: 'fail', summary: 'torch 2.7.1+cu126 with nnunetv2 2.5.1 cannot load checkpoints' });
  });

  it('falls back to torch/version.py when the import failed', async () => {
    const python = pythonFact({ torch: { ok: false, errorType: 'ImportError', message: 'x' } });
    if (!python.ok) throw new Error();
    python.torch.versionFile = { version: '2.1.0', cuda: '12.1', hip: null };
    expect((await judge(check, { python }))[0]).toMatchObject({ status: 'fail', summary: "torch 2.1.0 is older than nnU-Net's minimum 2.1.2" });
  });
});
