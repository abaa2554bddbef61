import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { writeDataset, writeRun } from '../../fixtures/nan/datasets.js';
import { runNan, type NanIo } from '../../src/commands/nan.js';
import { failure } from '../../src/core/facts.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOGS = path.join(ROOT, 'fixtures/logs');
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas/nan.schema.json'), 'utf8')));
const flags = { sanity: false, failOn: 'fail' as const, timeout: 30 };

function io(env: NodeJS.ProcessEnv): NanIo & { out: () => string } {
  let text = '';
  return { env, isTTY: false, write: (t) => void (text += t), out: () => text };
}

function checksums(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.join(e.parentPath, e.name)] = createHash('sha256').update(readFileSync(path.join(e.parentPath, e.name))).digest('hex');
  }
  return out;
}

/** nnUNet_raw with one dataset and nnUNet_results with one run of it. */
async function workspace(defect: 'nan-voxel' | 'labels-0-255', trainer: string, log: string) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'nnd-nan-'));
  const raw = path.join(base, 'nnUNet_raw');
  const results = path.join(base, 'nnUNet_results');
  const name = defect === 'nan-voxel' ? 'Dataset901_NanVoxel' : 'Dataset902_Masks255';
  writeDataset(raw, name, defect);
  writeRun(results, name, trainer, path.join(LOGS, log), { torch_version: '2.5.1+cu124', device: 'cuda:0', loss: 'DeepSupervisionWrapper(\n  (loss): DC_and_CE_loss(\n    (dc): OptimizedModule(\n      (_orig_mod): MemoryEfficientSoftDiceLoss()\n    )\n    (ce): RobustCrossEntropyLoss()\n  )\n)' });
  const env = { nnUNet_raw: raw, nnUNet_results: results, nnUNet_preprocessed: path.join(base, 'nnUNet_preprocessed') };
  // The dataset is scanned for real (worker threads and all); only the Python probe is left out.
  const recorded = { python: failure('not probed in this test') };
  return { base, env, recorded, name };
}

describe('nnunet-doctor nan, end to end', () => {
  it('ranks the NaN voxel first for a dataset with one NaN voxel, finding the dataset from the training log', async () => {
    const w = await workspace('nan-voxel', 'nnUNetTrainer', 'training_log_nan.txt');
    const before = checksums(w.base);
    const run = io(w.env);
    const code = await runNan({ ...flags, json: true }, run, { recorded: w.recorded });
    const doc = JSON.parse(run.out());
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.dataset).toBe('Dataset901_NanVoxel');
    expect(doc.causes[0].cause).toBe('nan-inf-voxels');
    expect(doc.causes[0].evidence.join(' ')).toMatch(/case_002/);
    expect(doc.next).toBe('nnunet-doctor dataset Dataset901_NanVoxel -v');
    const step = (id: string) => doc.steps.find((s: { id: string }) => s.id === id);
    expect(step('image-values').status).toBe('fail');
    expect(step('dataset-labels').status).toBe('pass');
    expect(step('training-log').summary).toMatch(/nan from epoch 37/);
    expect(step('custom-code').status).toBe('pass');
    expect(step('torch-amp').summary).toMatch(/torch 2\.5\.1\+cu124.*AMP on/);
    expect(step('sanity')).toMatchObject({ status: 'skip', summary: expect.stringContaining('--no-sanity') });
    expect(code).toBe(1);
    expect(checksums(w.base)).toEqual(before);
  });

  it('ranks the 0/255 labels first, above a custom trainer, for a dataset with 0/255 masks', async () => {
    const w = await workspace('labels-0-255', 'nnUNetTrainerMyFocalLoss', 'training_log_nan_from_start.txt');
    const run = io(w.env);
    await runNan({ ...flags, dataset: w.name, json: true }, run, { recorded: w.recorded });
    const doc = JSON.parse(run.out());
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.causes.map((c: { cause: string }) => c.cause).slice(0, 2)).toEqual(['bad-labels', 'custom-code']);
    expect(doc.causes[0].evidence.join(' ')).toMatch(/0\/255/);
    expect(doc.steps.find((s: { id: string }) => s.id === 'custom-code').summary).toMatch(/custom trainer nnUNetTrainerMyFocalLoss/);
  });

  it('streams each step with its verdict, then the ranked causes and the next command (plain)', async () => {
    const w = await workspace('nan-voxel', 'nnUNetTrainer', 'training_log_nan.txt');
    const run = io(w.env);
    await runNan({ ...flags, dataset: w.name }, run, { recorded: w.recorded });
    const text = run.out();
    const order = ['Dataset integrity and class ids', 'NaN, Inf and constant channels', 'Image and label geometry', 'Training log', 'Custom trainer', 'PyTorch version', 'Short sanity training', 'Likely causes', 'Next: nnunet-doctor dataset'];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0), text).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toMatch(/1\. NaN or Inf voxels in the images/);
  });

  it('says what it could not do when neither a dataset nor a results folder is known', async () => {
    const run = io({});
    const code = await runNan({ ...flags, json: true }, run, { recorded: { python: failure('not probed in this test') } });
    const doc = JSON.parse(run.out());
    expect(doc.steps.filter((s: { status: string }) => s.status === 'skip').map((s: { id: string }) => s.id)).toEqual(['dataset-labels', 'image-values', 'geometry', 'training-log', 'custom-code', 'torch-amp', 'sanity']);
    expect(doc.steps[0].summary).toMatch(/pass --dataset/);
    expect(doc.causes).toEqual([]);
    expect(doc.next).toMatch(/nnunet-doctor nan --dataset ID/);
    expect(code).toBe(0);
  });
});
