import { describe, expect, it } from 'vitest';
import check from '../../checks/dataset.files.js';
import { datasetFact, NO_DATASET } from './dataset-facts.js';

const scanWith = (change: (layout: NonNullable<ReturnType<typeof layoutOf>>) => void) => {
  const fact = datasetFact();
  if (fact.ok) change(fact.scan.layout!);
  return check.run({ dataset: fact });
};
const layoutOf = () => {
  const fact = datasetFact();
  return fact.ok ? fact.scan.layout : undefined;
};
type Found = { status: string; summary: string; evidence?: { kind: string; cases: string[] } };

describe('dataset.files', () => {
  it('skips without a dataset and passes complete cases', async () => {
    expect(await check.run({ dataset: NO_DATASET })).toMatchObject([{ status: 'skip' }]);
    expect(await scanWith(() => {})).toMatchObject([{ status: 'pass', summary: '5 cases, every one with all channels and a label' }]);
  });

  it('reports misnamed files and missing labels per kind, with the cases', async () => {
    const found = (await scanWith((layout) => {
      layout.misnamed.push({ path: 'imagesTr/case_f.0000.nii.gz', reason: 'dot-suffix' });
      delete layout.cases[2]!.label;
    })) as Found[];
    expect(found.map((f) => `${f.status}:${f.evidence?.kind}`)).toEqual(['fail:dot-suffix', 'fail:missing-label']);
    expect(found[1]!.evidence!.cases).toEqual(['case_c']);
  });

  it('compares numTraining with the cases found', async () => {
    const found = (await scanWith((layout) => layout.cases.pop())) as Found[];
    expect(found).toMatchObject([{ status: 'fail', evidence: { kind: 'num-training' } }, { status: 'warn', evidence: { kind: 'few-cases' } }]);
    expect(found[0]!.summary).toMatch(/numTraining is 5 but there are 4 cases/);
  });
});
