import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FactStore } from '../../src/core/fact-store.js';
import { trainingLogProbe } from '../../src/probes/logs.js';

const LOGS = path.resolve(import.meta.dirname, '../../fixtures/logs');

function store(env: NodeJS.ProcessEnv, results?: string): FactStore {
  return new FactStore({ probes: [trainingLogProbe], options: { probeTimeoutMs: 10_000, results }, env });
}

function checksums(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.join(e.parentPath, e.name)] = createHash('sha256').update(readFileSync(path.join(e.parentPath, e.name))).digest('hex');
  }
  return out;
}

describe('the trainingLog probe', () => {
  it('explains the newest training log under nnUNet_results, skipping validation folders, and changes nothing', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'nnd-probe-'));
    const fold = path.join(root, 'Dataset027_ACDC', 'nnUNetTrainer__nnUNetPlans__2d', 'fold_1');
    mkdirSync(path.join(fold, 'validation'), { recursive: true });
    cpSync(path.join(LOGS, 'training_log_slow.txt'), path.join(fold, 'training_log_2025_9_1_08_00_00.txt'));
    // A log-like file inside validation/ is never a training log of this run.
    cpSync(path.join(LOGS, 'training_log_nan.txt'), path.join(fold, 'validation', 'training_log_2099_1_1_00_00_00.txt'));
    utimesSync(path.join(fold, 'validation', 'training_log_2099_1_1_00_00_00.txt'), new Date('2099-01-01'), new Date('2099-01-01'));
    const before = checksums(root);
    const fact = await store({ nnUNet_results: root }).get('trainingLog');
    expect(fact.ok).toBe(true);
    if (!fact.ok) return;
    expect(fact.run).toMatchObject({ dataset: 'Dataset027_ACDC', configuration: '2d', fold: '1' });
    expect(fact.explanation.training?.epochTime?.trend).toBe('rising');
    expect(checksums(root)).toEqual(before);
  });

  it('is a failure with a reason when nnUNet_results is unset or holds no log', async () => {
    const unset = await store({}).get('trainingLog');
    expect(unset).toEqual({ ok: false, reason: 'nnUNet_results is not set and no --results folder was given' });
    const empty = mkdtempSync(path.join(os.tmpdir(), 'nnd-probe-empty-'));
    const none = await store({}, empty).get('trainingLog');
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toContain('no training_log_*.txt under');
  });
});
