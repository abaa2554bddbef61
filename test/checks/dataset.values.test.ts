import { describe, expect, it } from 'vitest';
import check from '../../checks/dataset.values.js';
import { datasetFact, healthyCase, NO_DATASET } from './dataset-facts.js';

const judge = async (values: Parameters<typeof healthyCase>[1] extends infer C ? C extends { image?: { values?: infer V } } ? V : never : never) =>
  (await check.run({ dataset: datasetFact({ cases: [healthyCase('case_a', { image: { values } }), healthyCase('case_b')] }) })) as { status: string; evidence?: { kind: string; cases: string[] } }[];

describe('dataset.values', () => {
  it('skips without a dataset and passes finite CT in Hounsfield units', async () => {
    expect(await check.run({ dataset: NO_DATASET })).toMatchObject([{ status: 'skip' }]);
    expect(await judge({})).toMatchObject([{ status: 'pass' }]);
  });

  it('fails NaN and Inf voxels, which nnU-Net never checks for Inf', async () => {
    expect(await judge({ nan: 3 })).toMatchObject([{ status: 'fail', evidence: { kind: 'nan', cases: ['case_a'] } }]);
    expect(await judge({ posInf: 1 })).toMatchObject([{ status: 'fail', evidence: { kind: 'inf' } }]);
  });

  it('warns about constant channels and CT that is not in Hounsfield units', async () => {
    expect(await judge({ min: 0, max: 0 })).toMatchObject([{ status: 'warn', evidence: { kind: 'all-zero' } }]);
    expect(await judge({ min: 7, max: 7 })).toMatchObject([{ status: 'warn', evidence: { kind: 'constant' } }]);
    expect(await judge({ min: 0, max: 255 })).toMatchObject([{ status: 'warn', evidence: { kind: 'not-hu' } }]);
  });
});
