import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport } from '../../src/report/compare.js';
import { diffReports } from '../../src/report/diff.js';
import { FIXTURE_DIR, fixtureReports as files, loadFixtures as load, schemaValidator } from './helpers.js';

describe('diff of two fixture reports', () => {
  it('says what differs between a working and a failing node', async () => {
    const [a, b] = await load([files[0]!, files[2]!]);
    const diff = diffReports(a!, b!);
    expect(schemaValidator('diff')(JSON.parse(JSON.stringify(diff)))).toEqual([]);
    expect(diff.fields).toEqual([
      { label: 'NVIDIA driver', a: '570.124.06', b: '535.104.05' },
      { label: 'Driver CUDA', a: '12.8', b: '12.2' },
    ]);
    expect(diff.checks).toEqual([{ id: 'gpu.driver', a: 'pass', b: 'fail', summary: expect.stringContaining('535.104.05') }]);
    expect(diff.facts.map((f) => f.path)).toEqual(['gpu.cudaDriverVersion', 'gpu.driverVersion']);
  });

  it('leaves out readings that change on every run', async () => {
    const [a, b] = await load([files[0]!, files[3]!]);
    const paths = diffReports(a!, b!).facts.map((f) => f.path);
    expect(paths).toContain('shm.bytes');
    expect(paths).not.toContain('shm.freeBytes');
  });

  it('refuses a file that is not a report, naming it', async () => {
    await expect(readReport(path.join(FIXTURE_DIR, '../../package.json'))).rejects.toThrow(/package\.json is not an nnunet-doctor report/);
  });
});
