import { describe, expect, it } from 'vitest';
import check from '../../checks/python.setuptools.js';
import { pythonFact } from './install-facts.js';
import { judge } from './recorded-facts.js';

describe('python.setuptools', () => {
  it('passes Python 3.11, which still ships distutils', async () => {
    expect((await judge(check, { python: pythonFact({ version: [3, 11, 9], packages: { setuptools: null } }) }))[0]!.status).toBe('pass');
  });

  it('passes 3.12 with setuptools', async () => {
    expect((await judge(check, { python: pythonFact({ version: [3, 12, 4] }) }))[0]!.summary).toBe('setuptools 75.1.0 provides distutils on Python 3.12.4');
  });

  it('warns 3.12+ without setuptools', async () => {
    const [finding] = await judge(check, { python: pythonFact({ version: [3, 13, 1], packages: { setuptools: null } }) });
    expect(finding).toMatchObject({ status: 'warn', fix: 'pip install setuptools' });
  });
});
