import { describe, expect, it } from 'vitest';
import check from '../../checks/dataset.labels.js';
import { DATASET_JSON, datasetFact, NO_DATASET } from './dataset-facts.js';

const kinds = async (json: Record<string, unknown>) =>
  ((await check.run({ dataset: datasetFact({ datasetJson: { state: 'ok', value: { ...DATASET_JSON, ...json } } }) })) as { status: string; evidence?: { kind: string } }[]).map((f) => `${f.status}:${f.evidence?.kind}`);

describe('dataset.labels', () => {
  it('skips without a dataset and passes consecutive labels from background 0', async () => {
    expect(await check.run({ dataset: NO_DATASET })).toMatchObject([{ status: 'skip' }]);
    expect(await kinds({})).toEqual(['pass:undefined']);
  });

  it('follows LabelManager: background, consecutive integers, the ignore label on top', async () => {
    expect(await kinds({ labels: { organ: 1 } })).toEqual(['fail:no-background']);
    expect(await kinds({ labels: { background: 1, organ: 2 } })).toEqual(['fail:background-not-zero']);
    expect(await kinds({ labels: { background: 0, organ: 1, tumor: 3 } })).toEqual(['fail:not-consecutive']);
    expect(await kinds({ labels: { background: 0, organ: 1.5 } })).toEqual(['fail:not-integer']);
    expect(await kinds({ labels: { background: 0, organ: 1, ignore: 3 } })).toEqual(['fail:ignore-not-highest', 'fail:not-consecutive']);
    expect(await kinds({ labels: { background: 0, organ: 1, ignore: 2 } })).toEqual(['pass:undefined']);
    expect(await kinds({ labels: { background: 0, liver: 1, also_liver: 1 } })).toEqual(['warn:duplicate-values']);
  });

  it('recognises v1 labels and region labels without regions_class_order', async () => {
    expect(await kinds({ labels: { 0: 'background', 1: 'liver' } })).toEqual(['fail:v1-labels']);
    const regions = { background: 0, whole_tumor: [1, 2, 3], tumor_core: [2, 3], enhancing_tumor: 3 };
    expect(await kinds({ labels: regions })).toEqual(['fail:regions-no-order']);
    expect(await kinds({ labels: regions, regions_class_order: [1, 2, 3] })).toEqual(['pass:undefined']);
  });
});
