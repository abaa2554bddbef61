import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import check from '../../checks/sanity.training.js';
import { writeHealthyDataset } from '../../fixtures/dataset/generate.js';
import { writeDataset } from '../../fixtures/nan/datasets.js';
import { readRecordedFacts } from '../../src/commands/check.js';
import { UsageError } from '../../src/commands/usage-error.js';
import { runSanityCommand, type SanityIo } from '../../src/commands/sanity.js';
import { datasetData } from '../../src/engine/train/sanity.js';
import { syntheticVolume } from '../../src/engine/train/synthetic.js';
import { SMALL_NET } from '../engine/train/small-net.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas/sanity.schema.json'), 'utf8')));

function io(engine: SanityIo['engine']): SanityIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { env: {}, isTTY: false, engine, write: (t) => void (out += t), writeErr: (t) => void (err += t), out: () => out, err: () => err };
}

describe('nnunet-doctor sanity', () => {
  it('--json prints one document that matches schemas/sanity.schema.json', async () => {
    const run = io({ network: SMALL_NET, providers: ['cpu'] });
    const code = await runSanityCommand({ json: true, steps: 3, preset: 'tiny' }, run);
    const doc = JSON.parse(run.out());
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.schema).toBe('nnunet-doctor/sanity@1');
    expect(doc.facts.sanity.steps).toHaveLength(3);
    expect(code).toBe(0);
    expect(run.err()).toBe('');
    // The document replays as recorded facts: `check --facts` and `report --facts` judge it again.
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'nnd-sanity-')), 'sanity.json');
    writeFileSync(file, run.out());
    const facts = await readRecordedFacts(file);
    expect([await check.run(facts)].flat()).toEqual(doc.findings);
  }, 60_000);

  it('exits 1 with the cause when the data holds NaN, and the NaN loss is valid JSON', async () => {
    const raw = [syntheticVolume([20, 20, 20], 1, 3, 1), syntheticVolume([20, 20, 20], 1, 3, 2)];
    raw[0]!.image[7] = Number.NaN;
    const run = io({ network: SMALL_NET, providers: ['cpu'], data: datasetData('nan', raw, 3, 'ZScoreNormalization') });
    const code = await runSanityCommand({ json: true, preset: 'tiny' }, run);
    const doc = JSON.parse(run.out());
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(code).toBe(1);
    expect(doc.facts.sanity.steps[0].loss).toBeNull();
    expect(doc.findings[0].summary).toMatch(/step 1 in data/);
  }, 60_000);

  it('plain output shows progress on stderr, the loss chart and the verdict', async () => {
    const run = io({ network: SMALL_NET, providers: ['cpu'] });
    await runSanityCommand({ plain: true, steps: 4, preset: 'tiny' }, run);
    expect(run.err()).toMatch(/step 4\/4 {2}loss/);
    expect(run.out()).toMatch(/┤/);
    expect(run.out()).toMatch(/held-out synthetic_1000: Dice/);
  }, 60_000);

});

describe('nnunet-doctor sanity --dataset', () => {
  const raw = mkdtempSync(path.join(os.tmpdir(), 'nnd-sanity-data-'));
  afterAll(() => rmSync(raw, { recursive: true, force: true }));
  /** sha256 of every file under `root`, to prove the user's data is only read. */
  const checksums = (root: string) =>
    Object.fromEntries(
      readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => [path.join(e.parentPath, e.name), createHash('sha256').update(readFileSync(path.join(e.parentPath, e.name))).digest('hex')]),
    );

  it('trains on the dataset\'s cases with a finite, falling loss, predicts the held-out case, and leaves the files as they were', async () => {
    const root = writeDataset(raw, 'Dataset701_Healthy');
    const before = checksums(root);
    const run = io({ network: SMALL_NET, providers: ['cpu'] });
    const code = await runSanityCommand({ json: true, steps: 8, preset: 'tiny', dataset: 'Dataset701_Healthy' }, { ...run, env: { nnUNet_raw: raw } });
    const doc = JSON.parse(run.out());
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const sanity = doc.facts.sanity;
    expect(sanity.data).toMatchObject({ kind: 'dataset', name: 'Dataset701_Healthy', trainingCases: 4, heldOutCase: 'case_004' });
    expect(sanity.data.preparation).toContain('channel 0 "MRI": ZScoreNormalization');
    expect(sanity.problem).toBeUndefined();
    expect(sanity.steps).toHaveLength(8);
    expect(sanity.steps.every((s: { loss: number; gradNorm: number }) => Number.isFinite(s.loss) && Number.isFinite(s.gradNorm))).toBe(true);
    expect(sanity.loss.decrease).toBeGreaterThan(0.05);
    expect(sanity.verdict).toBe('learning');
    expect(sanity.inference).toMatchObject({ caseId: 'case_004', finite: true });
    expect(sanity.inference.meanDice).toBeGreaterThan(0);
    expect(code).toBe(0);
    expect(checksums(root)).toEqual(before);
  }, 120_000);

  it('names the NaN voxel\'s file and case before the first step, exit 1, files untouched', async () => {
    const root = writeDataset(raw, 'Dataset702_NaN', 'nan-voxel');
    const before = checksums(root);
    const run = io({ network: SMALL_NET, providers: ['cpu'] });
    const code = await runSanityCommand({ plain: true, preset: 'tiny', dataset: root }, run);
    expect(code).toBe(1);
    expect(run.out()).toMatch(/✖ non-finite value before training in data: the input already contained NaN\/Inf/);
    expect(run.out()).toMatch(/imagesTr\/case_002_0000\.nii\.gz \(case case_002, channel 0 "MRI"\) holds 1 NaN\/Inf voxel\(s\), the first at voxel \(x, y, z\) = \(5, 5, 3\)/);
    expect(run.out()).toMatch(/^0\/16 steps/m);
    expect(run.err()).toMatch(/reading case_004 \(5\/5\)/);
    expect(checksums(root)).toEqual(before);
  }, 60_000);

  it('catches 0/255 labels before training', async () => {
    const run = io({ network: SMALL_NET, providers: ['cpu'] });
    const code = await runSanityCommand({ json: true, preset: 'tiny', dataset: writeDataset(raw, 'Dataset703_Labels', 'labels-0-255') }, run);
    const doc = JSON.parse(run.out());
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(code).toBe(1);
    expect(doc.facts.sanity).toMatchObject({ verdict: 'bad-labels', steps: [], problem: { kind: 'label', step: 0, caseIds: ['case_000'] } });
    expect(doc.findings[0].summary).toBe('label out of range before training in target: label out of range');
  }, 60_000);

  it('trains a 2D (PNG) dataset with the 2D twin of the network', async () => {
    await writeHealthyDataset(path.join(raw, 'Dataset704_Png'), { format: 'png', cases: 3, shape: [24, 20] });
    const run = io({ network: SMALL_NET, providers: ['cpu'] });
    await runSanityCommand({ json: true, steps: 3, preset: 'tiny', dataset: path.join(raw, 'Dataset704_Png') }, run);
    const sanity = JSON.parse(run.out()).facts.sanity;
    expect(sanity.network).toMatchObject({ preset: 'test-small (2D)', patchSize: [16, 16], numClasses: 3 });
    expect(sanity.steps.map((s: { loss: number }) => Number.isFinite(s.loss))).toEqual([true, true, true]);
    expect(sanity.inference).toMatchObject({ caseId: 'case_002', finite: true, tiles: 4 });
  }, 60_000);

  it('is a usage error, with the reason, when the dataset cannot be found or trained on', async () => {
    await expect(runSanityCommand({ dataset: path.join(raw, 'missing'), preset: 'tiny' }, io({}))).rejects.toThrow(UsageError);
    await expect(runSanityCommand({ dataset: '999', preset: 'tiny' }, { ...io({}), env: {} })).rejects.toThrow(/--dataset 999: no dataset with the id 999/);
  });
});
