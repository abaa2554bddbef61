import { describe, expect, it } from 'vitest';
import check from '../../checks/python.numpy.js';
import { pythonFact, torchRuntime } from './install-facts.js';
import { judge } from './recorded-facts.js';

describe('python.numpy', () => {
  it('passes NumPy 1.26 and notes the NumPy 2 pickle caveat', async () => {
    const [finding] = await judge(check, { python: pythonFact() });
    expect(finding).toMatchObject({ status: 'pass', summary: 'NumPy 1.26.4' });
    expect(finding!.details).toMatch(/numpy\._core/);
  });

  it('fails NumPy older than 1.24', async () => {
    expect((await judge(check, { python: pythonFact({ packages: { numpy: '1.23.5' } }) }))[0]).toMatchObject({ status: 'fail', summary: "NumPy 1.23.5 is older than nnU-Net's minimum 1.24" });
  });

  it('fails when the import printed the NumPy 1/2 ABI message', async () => {
    const stderrTail = 'A module that was compiled using NumPy 1.x cannot be run in\nNumPy 2.1.3 as it may crash. To support both 1.x and 2.x';
    const [finding] = await judge(check, { python: pythonFact({ packages: { numpy: '2.1.3' }, stderrTail }) });
    expect(finding!.status).toBe('fail');
    expect(finding!.fix).toMatch(/numpy<2/);
  });

  it('warns NumPy 2 with a torch built for NumPy 1', async () => {
    const python = pythonFact({ packages: { numpy: '2.0.2' }, torch: torchRuntime({ version: '2.2.2+cu121' }) });
    expect((await judge(check, { python }))[0]).toMatchObject({ status: 'warn', summary: 'NumPy 2.0.2 with torch 2.2.2+cu121, which was built for NumPy 1' });
  });

  it('passes NumPy 2 with a current torch, and fails a missing NumPy when nnunetv2 is there', async () => {
    expect((await judge(check, { python: pythonFact({ packages: { numpy: '2.2.0' } }) }))[0]!.status).toBe('pass');
    expect((await judge(check, { python: pythonFact({ packages: { numpy: null } }) }))[0]!.status).toBe('fail');
  });
});
