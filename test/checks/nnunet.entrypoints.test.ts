import { describe, expect, it } from 'vitest';
import check from '../../checks/nnunet.entrypoints.js';
import type { Facts } from '../../src/core/facts.js';
import { nnunetMeta, pythonFact } from './install-facts.js';
import { judge, statuses } from './recorded-facts.js';

const commands = [
  { name: 'nnUNetv2_predict', path: '/env/bin/nnUNetv2_predict' },
  { name: 'nnUNetv2_train', path: '/env/bin/nnUNetv2_train' },
];
const entry = (over: object = {}): Facts['nnunetEntrypoints'] => ({ ok: true, commands, train: { path: '/env/bin/nnUNetv2_train', interpreter: '/env/bin/python3' }, probedCommand: '/env/bin/python3', ...over });

describe('nnunet.entrypoints', () => {
  it('passes when the commands are on PATH and use the probed interpreter', async () => {
    expect((await judge(check, { python: pythonFact(), nnunetEntrypoints: entry() }))[0]).toMatchObject({ status: 'pass', summary: '2 nnUNetv2_* commands on PATH; nnUNetv2_train runs /env/bin/python3' });
  });

  it("fails when nnUNetv2_train's interpreter has no torch (nnUNet #2576)", async () => {
    const other = pythonFact({ prefix: '/home/u/.local-py', torch: null, packages: { torch: null } });
    const facts = { python: pythonFact(), nnunetEntrypoints: entry({ train: { path: '/home/u/.local/bin/nnUNetv2_train', interpreter: '/home/u/.local-py/bin/python3' }, trainInterpreterReport: other }) };
    const [finding] = await judge(check, facts);
    expect(finding).toMatchObject({ status: 'fail', summary: 'nnUNetv2_train runs under /home/u/.local-py/bin/python3, which has no torch, not the Python checked here (/env/bin/python3)' });
    expect(finding!.fix).toMatch(/--python \/home\/u\/\.local-py\/bin\/python3/);
  });

  it('warns when the other interpreter is complete but different', async () => {
    const other = pythonFact({ prefix: '/opt/conda' });
    const [finding] = await judge(check, { python: pythonFact(), nnunetEntrypoints: entry({ trainInterpreterReport: other }) });
    expect(finding!.status).toBe('warn');
  });

  it('passes when a differently spelled path is the same environment', async () => {
    const same = pythonFact();
    expect(statuses(await judge(check, { python: pythonFact(), nnunetEntrypoints: entry({ trainInterpreterReport: same }) }))).toEqual(['pass']);
  });

  it('warns when commands nnunetv2 declares are not on PATH', async () => {
    const python = pythonFact({ nnunet: nnunetMeta({ consoleScripts: ['nnUNetv2_predict', 'nnUNetv2_train', 'nnUNetv2_plan_and_preprocess'] }) });
    const [finding] = await judge(check, { python, nnunetEntrypoints: entry() });
    expect(finding).toMatchObject({ status: 'warn', summary: "1 of nnunetv2's 3 commands are not on PATH (nnUNetv2_plan_and_preprocess)" });
  });

  it('fails when the shebang interpreter is gone', async () => {
    const [finding] = await judge(check, { python: pythonFact(), nnunetEntrypoints: entry({ trainInterpreterReport: { ok: false, reason: '/old/bin/python could not run the Python probe: /old/bin/python was not found' } }) });
    expect(finding!.status).toBe('fail');
  });

  it('skips when nothing nnU-Net is around', async () => {
    expect(statuses(await judge(check, { python: pythonFact({ nnunet: null }), nnunetEntrypoints: { ok: true, commands: [] } }))).toEqual(['skip']);
  });
});
