import { describe, expect, it } from 'vitest';
import check from '../../checks/dataset.readable.js';
import { datasetFact, healthyCase, NO_DATASET } from './dataset-facts.js';

describe('dataset.readable', () => {
  it('skips without a dataset and passes when every file was read', async () => {
    expect(await check.run({ dataset: NO_DATASET })).toMatchObject([{ status: 'skip' }]);
    expect(await check.run({ dataset: datasetFact() })).toMatchObject([{ status: 'pass', summary: '10 files read completely' }]);
  });

  it('groups read errors by kind and names the cases', async () => {
    const error = { kind: 'truncated' as const, message: 'the compressed data ends early' };
    const cases = [healthyCase('case_a', { image: { error } }), healthyCase('case_b', { label: { error } }), healthyCase('case_c')];
    const found = await check.run({ dataset: datasetFact({ cases }) });
    expect(found).toMatchObject([{ status: 'fail', evidence: { kind: 'truncated', cases: ['case_a', 'case_b'] } }]);
    expect((found as { summary: string }[])[0]!.summary).toBe('truncated files in 2 cases: case_a, case_b');
  });
});
