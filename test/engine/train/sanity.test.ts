import { describe, expect, it } from 'vitest';
import { datasetData, precisionOf, runSanity, SanityTooLargeError } from '../../../src/engine/train/sanity.js';
import { syntheticVolume } from '../../../src/engine/train/synthetic.js';
import { SMALL_NET } from './small-net.js';

const cases = (n: number) => Array.from({ length: n }, (_, i) => syntheticVolume([20, 20, 20], 1, 3, 100 + i));

describe('sanity training', () => {
  it('on the synthetic task the loss falls measurably and the held-out prediction is finite', async () => {
    const result = await runSanity({ network: SMALL_NET, steps: 14, providers: ['cpu'] });
    expect(result.problem).toBeUndefined();
    expect(result.steps).toHaveLength(14);
    expect(result.steps.every((s) => Number.isFinite(s.loss) && Number.isFinite(s.gradNorm))).toBe(true);
    expect(result.loss!.decrease).toBeGreaterThan(0.05);
    expect(result.verdict).toBe('learning');
    expect(result.inference!.finite).toBe(true);
    expect(result.inference!.tiles).toBe(8);
    expect(result.inference!.meanDice).toBeGreaterThan(0);
  }, 120_000);

  it('a dataset with one NaN voxel is caught at step 1, with the input and the case named', async () => {
    const raw = cases(2);
    raw[0]!.image[1234] = Number.NaN;
    const data = datasetData('Dataset999_NaN', raw, 3, 'ZScoreNormalization');
    const result = await runSanity({ network: SMALL_NET, data, steps: 5, providers: ['cpu'] });
    expect(result.verdict).toBe('non-finite');
    expect(result.problem).toMatchObject({ kind: 'input', step: 1, tensor: 'data', cause: 'the input already contained NaN/Inf' });
    expect(result.problem!.caseIds).toEqual([raw[0]!.caseId]);
    expect(result.steps).toHaveLength(1);
    expect(result.inference).toBeUndefined();
  }, 60_000);

  it('names the first non-finite activation when finite inputs overflow inside the network', async () => {
    const raw = cases(2).map((c) => ({ ...c, image: c.image.map((v) => Math.max(-5, Math.min(5, v)) * 6e37) }));
    expect(raw.every((c) => c.image.every(Number.isFinite))).toBe(true);
    const data = datasetData('Dataset998_Huge', raw, 3, 'NoNormalization');
    const result = await runSanity({ network: SMALL_NET, data, steps: 3, providers: ['cpu'] });
    expect(result.verdict).toBe('non-finite');
    expect(result.problem).toMatchObject({ kind: 'activation', step: 1, tensor: 'encoder.stages.0.0.convs.0.conv' });
  }, 60_000);

  it('a label value beyond the class count is caught before training', async () => {
    const raw = cases(3);
    raw[1]!.labels[42] = 5;
    const result = await runSanity({ network: SMALL_NET, data: datasetData('Dataset997_Labels', raw, 3, 'ZScoreNormalization'), steps: 3, providers: ['cpu'] });
    expect(result.verdict).toBe('bad-labels');
    expect(result.problem).toMatchObject({ kind: 'label', step: 0, tensor: 'target', caseIds: [raw[1]!.caseId] });
    expect(result.problem!.detail).toMatch(/label value 5.*3 classes/);
    expect(result.steps).toHaveLength(0);
  }, 60_000);

  it('refuses a network whose training would not fit in memory, with the numbers, before allocating', async () => {
    const huge = { ...SMALL_NET, name: 'huge', featuresPerStage: [32, 64, 128], patchSize: [512, 512, 512], batchSize: 8 };
    await expect(runSanity({ network: huge, steps: 1, providers: ['cpu'] })).rejects.toThrow(SanityTooLargeError);
    await expect(runSanity({ network: huge, steps: 1, providers: ['cpu'] })).rejects.toThrow(/needs about [\d.]+ GiB, this machine has/);
  });

  it('is honest about fp16 on the CPU provider: it reports an fp32 computation', async () => {
    expect(precisionOf(false, 'cpu')).toEqual({ requested: 'fp32', computed: 'fp32' });
    const result = await runSanity({ network: SMALL_NET, steps: 1, fp16: true, providers: ['cpu'] });
    expect(result.provider).toBe('cpu');
    expect(result.precision.requested).toBe('fp16');
    expect(result.precision.computed).toBe('fp32');
    expect(result.precision.note).toMatch(/CPU execution provider has no fp16 convolution/);
  }, 60_000);
});
