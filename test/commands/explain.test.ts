import { cpSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { runExplain, type ExplainIo } from '../../src/commands/explain.js';
import { UsageError } from '../../src/commands/usage-error.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOGS = path.join(ROOT, 'fixtures/logs');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/explain.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

function io(env: NodeJS.ProcessEnv = {}, stdin = ''): ExplainIo & { out: () => string } {
  let text = '';
  return { env, isTTY: false, write: (t) => void (text += t), readStdin: async () => stdin, out: () => text };
}

/** nnUNet_results/Dataset004_Hippocampus/<run>/fold_0 with an older healthy log and a newer NaN log. */
function resultsTree(): { root: string; newest: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nnd-results-'));
  const fold = path.join(root, 'Dataset004_Hippocampus', 'nnUNetTrainer__nnUNetPlans__3d_fullres', 'fold_0');
  mkdirSync(fold, { recursive: true });
  const older = path.join(fold, 'training_log_2025_5_1_10_00_00.txt');
  const newest = path.join(fold, 'training_log_2025_5_12_09_30_01.txt');
  cpSync(path.join(LOGS, 'training_log_healthy.txt'), older);
  cpSync(path.join(LOGS, 'training_log_nan.txt'), newest);
  utimesSync(older, new Date('2025-05-01'), new Date('2025-05-01'));
  utimesSync(newest, new Date('2025-05-12'), new Date('2025-05-12'));
  writeFileSync(path.join(fold, 'debug.json'), JSON.stringify({ torch_version: '2.8.0+cu128', cudnn_version: 91002, gpu_name: 'NVIDIA RTX A6000', device: 'cuda:0', loss: 'DeepSupervisionWrapper(...)' }));
  return { root, newest };
}

describe('nnunet-doctor explain', () => {
  it('prints one JSON document that matches schemas/explain.schema.json', async () => {
    const run = io();
    const code = await runExplain(path.join(LOGS, 'train-workers-died-mmap.txt'), { json: true, failOn: 'fail' }, run);
    const doc = JSON.parse(run.out());
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.primaryCause.id).toBe('L25');
    expect(code).toBe(1);
  });

  it('finds the newest training log under nnUNet_results when no file is given, with run and debug.json', async () => {
    const { root, newest } = resultsTree();
    const run = io({ nnUNet_results: root });
    await runExplain(undefined, { json: true, failOn: 'fail' }, run);
    const doc = JSON.parse(run.out());
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.source).toMatchObject({ kind: 'file', chosenBy: 'newest-training-log', path: newest });
    expect(doc.run).toEqual({ dataset: 'Dataset004_Hippocampus', trainer: 'nnUNetTrainer', plans: 'nnUNetPlans', configuration: '3d_fullres', fold: '0' });
    expect(doc.debug.torchVersion).toBe('2.8.0+cu128');
    expect(doc.explanation.training.firstNonFinite.epoch).toBe(37);
  });

  it('--results wins over nnUNet_results, and a folder argument means its newest log', async () => {
    const { root, newest } = resultsTree();
    const viaFlag = io({ nnUNet_results: '/nonexistent' });
    await runExplain(undefined, { json: true, results: root, failOn: 'fail' }, viaFlag);
    expect(JSON.parse(viaFlag.out()).source.path).toBe(newest);
    const viaFolder = io();
    await runExplain(path.dirname(newest), { json: true, failOn: 'fail' }, viaFolder);
    expect(JSON.parse(viaFolder.out()).source.path).toBe(newest);
  });

  it('reads standard input with -', async () => {
    const run = io({}, readFileSync(path.join(LOGS, 'cli-brackets.txt'), 'utf8'));
    await runExplain('-', { json: true, failOn: 'fail' }, run);
    const doc = JSON.parse(run.out());
    expect(doc.source).toEqual({ kind: 'stdin', chosenBy: 'stdin', lines: 4 });
    expect(doc.primaryCause.id).toBe('L62');
  });

  it('plain text names the cause to act on first and the fix, without colour codes in a pipe', async () => {
    const run = io();
    const code = await runExplain(path.join(LOGS, 'train-workers-died-oom.txt'), { failOn: 'fail' }, run);
    const text = run.out();
    expect(text).toContain('Most likely cause: a worker was killed without an error (OOM killer)');
    expect(text).toMatch(/journalctl -k/);
    expect(text).toMatch(/dmesg/);
    expect(text).not.toMatch(/\x1b\[/);
    expect(code).toBe(1);
  });

  it('exits 0 for a healthy log, 1 with --fail-on warn when it has warnings', async () => {
    expect(await runExplain(path.join(LOGS, 'training_log_healthy.txt'), { failOn: 'fail' }, io())).toBe(0);
    expect(await runExplain(path.join(LOGS, 'training_log_slow.txt'), { failOn: 'fail' }, io())).toBe(0);
    expect(await runExplain(path.join(LOGS, 'training_log_slow.txt'), { failOn: 'warn' }, io())).toBe(1);
  });

  it('says what to do when there is nothing to explain', async () => {
    await expect(runExplain(undefined, { failOn: 'fail' }, io({}))).rejects.toThrow(/nnUNet_results is not set/);
    await expect(runExplain('/no/such/log.txt', { failOn: 'fail' }, io())).rejects.toBeInstanceOf(UsageError);
    const empty = mkdtempSync(path.join(os.tmpdir(), 'nnd-empty-'));
    await expect(runExplain(undefined, { failOn: 'fail' }, io({ nnUNet_results: empty }))).rejects.toThrow(/no training_log_\*\.txt under/);
  });
});
