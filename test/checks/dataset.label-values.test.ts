import { describe, expect, it } from 'vitest';
import check from '../../checks/dataset.label-values.js';
import { datasetFact, healthyCase, NO_DATASET } from './dataset-facts.js';

const judge = async (valueCounts: [number, number][], extra: Record<string, number> = {}) =>
  (await check.run({
    dataset: datasetFact({ cases: [healthyCase('case_a', { label: { values: { valueCounts, distinctValues: valueCounts.length, ...extra } } }), healthyCase('case_b')] }),
  })) as { status: string; summary: string; evidence?: { kind: string; cases: string[] } }[];

describe('dataset.label-values', () => {
  it('skips without a dataset and passes declared integer labels', async () => {
    expect(await check.run({ dataset: NO_DATASET })).toMatchObject([{ status: 'skip' }]);
    expect(await judge([[0, 90], [1, 10]])).toMatchObject([{ status: 'pass' }]);
  });

  it('names 0/255 masks as such, and other undeclared values as unexpected', async () => {
    expect(await judge([[0, 90], [255, 10]])).toMatchObject([{ status: 'fail', evidence: { kind: '0-255', cases: ['case_a'] } }]);
    const odd = await judge([[0, 90], [1, 5], [7, 5]]);
    expect(odd).toMatchObject([{ status: 'fail', evidence: { kind: 'unexpected' } }]);
    expect(odd[0]!.summary).toMatch(/values 7 are not declared/);
  });

  it('fails interpolated masks and images used as labels; warns about background-only cases', async () => {
    expect(await judge([[0, 90], [1, 9]], { nonInteger: 1 })).toMatchObject([{ status: 'fail', evidence: { kind: 'non-integer' } }]);
    const many = Array.from({ length: 80 }, (_, i) => [i - 1000, 1] as [number, number]);
    expect(await judge(many)).toMatchObject([{ status: 'fail', evidence: { kind: 'many-values' } }]);
    expect(await judge([[0, 100]])).toMatchObject([{ status: 'warn', evidence: { kind: 'only-background' } }]);
  });
});
