import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFECTS, writeDefectDataset, writeHealthyDataset } from '../../fixtures/dataset/generate.js';
import { ROOT, runCli } from '../e2e/cli-helpers.js';

const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'dataset.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, formats: { 'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/ } }).compile(schema);

let tmp: string;
let raw: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'nnunet-doctor-dataset-cmd-'));
  raw = path.join(tmp, 'raw');
  await writeHealthyDataset(path.join(raw, 'Dataset042_Phantom'), { cases: 5 });
  await writeDefectDataset(path.join(raw, 'Dataset043_Masks'), DEFECTS.find((d) => d.name === '0/255 mask')!);
}, 60_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

const kindsOf = (doc: { results: { findings: { status: string; evidence?: { kind?: string } }[] }[] }) =>
  doc.results.flatMap((r) => r.findings.filter((f) => f.status !== 'pass').map((f) => `${f.status}:${f.evidence?.kind}`));

describe('nnunet-doctor dataset (built CLI)', () => {
  it('--json on a healthy dataset found by its id: schema-valid, exit 0, with the dataset summary', async () => {
    const run = await runCli(['dataset', '42', '--json', '--workers', '2'], { nnUNet_raw: raw });
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(run.code).toBe(0);
    expect(doc.dataset).toMatchObject({ folderName: 'Dataset042_Phantom', via: 'id' });
    expect(kindsOf(doc)).toEqual([]);
    expect(doc.datasetSummary).toMatchObject({ cases: 5, fileEndings: ['.nii.gz'], formats: ['nifti1'], workers: 2 });
    expect(doc.datasetSummary.classes.map((c: { value: number; cases: number }) => [c.value, c.cases])).toEqual([[0, 5], [1, 5], [2, 5]]);
    expect(doc.datasetSummary.channels[0]).toMatchObject({ name: 'CT', min: expect.any(Number) });
    expect(doc.datasetSummary.channels[0].min).toBeLessThan(-1000);
  }, 60_000);

  it('plain output groups a defect with its cause, fix and the summary; exit 1', async () => {
    const run = await runCli(['dataset', path.join(raw, 'Dataset043_Masks'), '--workers', '1']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\[dataset.label-values\]: case_001: a 0\/255 mask/);
    expect(run.stdout).toMatch(/fix map 255 to 1/);
    expect(run.stdout).toMatch(/Dataset summary/);
    expect(run.stdout).toMatch(/label 255\s+\(undeclared\)\s+in 1\/5 cases/);
  }, 60_000);

  it('reports a dataset id used by two folders (a stale results folder)', async () => {
    const results = path.join(tmp, 'results');
    await mkdir(path.join(results, 'Dataset042_OldName'), { recursive: true });
    const run = await runCli(['dataset', '42', '--json', '--workers', '1'], { nnUNet_raw: raw, nnUNet_results: results });
    expect(kindsOf(JSON.parse(run.stdout))).toContain('fail:duplicate-id');
    expect(run.code).toBe(1);
  }, 60_000);

  it('a dataset that cannot be found, or a bad --workers, is a usage error (exit 2)', async () => {
    const missing = await runCli(['dataset', '7', '--json'], { nnUNet_raw: raw });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no dataset with the id 7/);
    const workers = await runCli(['dataset', '42', '--workers', '0'], { nnUNet_raw: raw });
    expect(workers.code).toBe(2);
    expect(workers.stderr).toMatch(/--workers needs a whole number/);
  }, 60_000);

  it('`check --dataset` includes the same findings in the environment report', async () => {
    const run = await runCli(['check', '--dataset', path.join(raw, 'Dataset043_Masks'), '--only', 'dataset', '--json']);
    const doc = JSON.parse(run.stdout);
    expect(doc.results.map((r: { id: string }) => r.id)).toContain('dataset.label-values');
    expect(kindsOf(doc)).toContain('fail:0-255');
    expect(run.code).toBe(1);
  }, 60_000);
});
