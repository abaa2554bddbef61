import { describe, expect, it } from 'vitest';
import check from '../../checks/torch.installed.js';
import { pythonFact } from './install-facts.js';
import { judge } from './recorded-facts.js';

describe('torch.installed', () => {
  it('passes an importable torch with its import time', async () => {
    expect((await judge(check, { python: pythonFact() }))[0]).toMatchObject({ status: 'pass', summary: 'torch 2.8.0+cu128 imports in 1.2 s' });
  });

  it('fails a missing torch with the install-first advice', async () => {
    const python = pythonFact({ torch: { ok: false, errorType: 'ModuleNotFoundError', message: "No module named 'torch'" }, torchLocation: null, packages: { torch: null } });
    const [finding] = await judge(check, { python });
    expect(finding).toMatchObject({ status: 'fail', summary: 'torch is not installed for /env/bin/python3' });
    expect(finding!.fix).toMatch(/download\.pytorch\.org/);
  });

  it('fails a torch that raises on import, with the exception and stderr', async () => {
    const python = pythonFact({ torch: { ok: false, errorType: 'ImportError', message: 'libtorch_cuda.so: undefined symbol: ncclCommRegister' }, stderrTail: 'Traceback ...' });
    const [finding] = await judge(check, { python });
    expect(finding!.summary).toBe('torch is installed but "import torch" fails: ImportError: libtorch_cuda.so: undefined symbol: ncclCommRegister');
    expect(finding!.details).toMatch(/Traceback/);
  });

  it('skips when the probe could not run', async () => {
    expect((await judge(check, { python: { ok: false, reason: 'x' } }))[0]!.status).toBe('skip');
  });
});
