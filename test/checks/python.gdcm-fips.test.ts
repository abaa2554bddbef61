import { describe, expect, it } from 'vitest';
import check from '../../checks/python.gdcm-fips.js';
import { pythonFact } from './install-facts.js';
import { judge } from './recorded-facts.js';

describe('python.gdcm-fips', () => {
  it('fails python-gdcm on a FIPS-mode host', async () => {
    const [finding] = await judge(check, { python: pythonFact({ fipsEnabled: true, packages: { 'python-gdcm': '3.0.24.1' } }) });
    expect(finding).toMatchObject({ status: 'fail', summary: 'python-gdcm 3.0.24.1 is installed on a FIPS-mode system: nnU-Net aborts at import' });
    expect(finding!.fix).toMatch(/pip uninstall -y python-gdcm/);
  });

  it('passes FIPS without python-gdcm, and python-gdcm without FIPS', async () => {
    expect((await judge(check, { python: pythonFact({ fipsEnabled: true }) }))[0]!.status).toBe('pass');
    expect((await judge(check, { python: pythonFact({ fipsEnabled: false, packages: { 'python-gdcm': '3.0.24.1' } }) }))[0]!.status).toBe('pass');
  });

  it('skips where the kernel has no FIPS switch', async () => {
    expect((await judge(check, { python: pythonFact({ fipsEnabled: null }) }))[0]!.status).toBe('skip');
  });
});
