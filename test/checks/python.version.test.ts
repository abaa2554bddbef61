import { describe, expect, it } from 'vitest';
import check from '../../checks/python.version.js';
import { pythonFact } from './install-facts.js';
import { judge } from './recorded-facts.js';

describe('python.version', () => {
  it('passes 3.10 and newer, naming the interpreter and environment', async () => {
    const [finding] = await judge(check, { python: pythonFact({ version: [3, 12, 4] }) });
    expect(finding).toMatchObject({ status: 'pass', summary: 'Python 3.12.4 at /env/bin/python3 (venv /env)' });
  });

  it.each([
    [[3, 9, 18], 'Python 3.9.18 is too old; nnU-Net v2 needs 3.10 or newer'],
    [[3, 8, 10], 'Python 3.8.10 is too old; nnU-Net v2 needs 3.10 or newer'],
  ] as const)('fails %j', async (version, summary) => {
    expect((await judge(check, { python: pythonFact({ version: [...version] }) }))[0]).toMatchObject({ status: 'fail', summary });
  });

  it('fails when no interpreter could be examined, with the way out', async () => {
    const [finding] = await judge(check, { python: { ok: false, reason: 'no python3 or python on PATH; activate ...' } });
    expect(finding!.status).toBe('fail');
    expect(finding!.fix).toMatch(/--python/);
  });
});
