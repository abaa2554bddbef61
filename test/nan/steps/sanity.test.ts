import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { niftiBytes, writeDataset } from '../../../fixtures/nan/datasets.js';
import { failure } from '../../../src/core/facts.js';
import { createNanContext } from '../../../src/nan/context.js';
import { sanityStep } from '../../../src/nan/steps/sanity.js';
import { SMALL_NET } from '../../engine/train/small-net.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'nnd-nan-sanity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function context(dataset?: string, details: string[] = []) {
  const options = { dataset, sanity: true, sanitySteps: 3, sanityNetwork: SMALL_NET, probeTimeoutMs: 5000, recorded: { python: failure('not probed') } };
  return createNanContext(options, {}, (d) => details.push(d));
}

describe('the sanity step', () => {
  it('without a dataset trains synthetic data in fp32, rules the install in or out, and says why fp16 did not run on a CPU', async () => {
    const details: string[] = [];
    const result = await sanityStep.run(context(undefined, details));
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^fp32 on cpu, synthetic data: finite, loss \d/);
    expect(result.summary).toMatch(/fp16 not run: the CPU execution provider has no fp16 convolution/);
    expect(result.summary).toMatch(/synthetic data \(no dataset named: pass --dataset/);
    expect(result.causes).toEqual([{ cause: 'install', weight: -4, evidence: 'fp32 sanity training on synthetic data stayed finite' }]);
    expect(details.some((d) => d.startsWith('fp32: training 3/3'))).toBe(true);
  }, 120_000);

  it("trains on the user's cases when the dataset is known: finite there rules the install out", async () => {
    const details: string[] = [];
    const result = await sanityStep.run(context(writeDataset(tmp, 'Dataset801_Healthy'), details));
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^fp32 on cpu, your data: finite, loss/);
    expect(result.summary).toMatch(/data: Dataset801_Healthy, 4 training case\(s\) \+ case_004 held out$/);
    expect(result.causes).toEqual([{ cause: 'install', weight: -4, evidence: 'fp32 sanity training on Dataset801_Healthy stayed finite' }]);
    expect(details).toContain('reading case_000 (1/5)');
  }, 120_000);

  it('implicates the data when a NaN voxel is in the cases, before any training step', async () => {
    const result = await sanityStep.run(context(writeDataset(tmp, 'Dataset802_NaN', 'nan-voxel')));
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/your data: the input already contained NaN\/Inf before training in data \(case_002\)/);
    expect(result.causes).toHaveLength(1);
    expect(result.causes[0]).toMatchObject({ cause: 'nan-inf-voxels', weight: 10 });
    expect(result.causes[0]!.evidence).toMatch(/imagesTr\/case_002_0000\.nii\.gz/);
  }, 120_000);

  it('implicates the labels for 0/255 masks', async () => {
    const result = await sanityStep.run(context(writeDataset(tmp, 'Dataset803_Labels', 'labels-0-255')));
    expect(result.causes.map((c) => [c.cause, c.weight])).toEqual([['bad-labels', 10]]);
  }, 120_000);

  it('blames the optimisation, not the install, when finite data diverges but synthetic data trains', async () => {
    // Finite float32 values near 1e37 with channel "noNorm" (no normalization): the first convolution overflows.
    const root = writeDataset(tmp, 'Dataset804_Huge');
    writeFileSync(path.join(root, 'dataset.json'), JSON.stringify({ channel_names: { 0: 'noNorm' }, labels: { background: 0, lesion: 1 }, numTraining: 5, file_ending: '.nii.gz' }));
    for (let c = 0; c < 5; c++) {
      const image = Float32Array.from({ length: 16 * 16 * 8 }, (_, i) => ((i * 7 + c) % 11) * 3e37 - 1.5e38);
      writeFileSync(path.join(root, 'imagesTr', `case_00${c}_0000.nii.gz`), niftiBytes([16, 16, 8], image));
    }
    const result = await sanityStep.run(context(root));
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/your data: .* at step 1 in /);
    expect(result.summary).toMatch(/fp32 on cpu, synthetic data: finite/);
    expect(result.causes.map((c) => [c.cause, c.weight])).toEqual([['learning-rate', 6], ['install', -4]]);
  }, 120_000);
});
