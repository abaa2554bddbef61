import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import check from '../../checks/logs.training.js';
import { failure } from '../../src/core/facts.js';
import type { Facts } from '../../src/core/index.js';
import { explainLog } from '../../src/logs/index.js';

const LOGS = path.resolve(import.meta.dirname, '../../fixtures/logs');

function factFor(file: string): Partial<Facts> {
  return {
    trainingLog: {
      ok: true,
      path: `/results/Dataset004_Hippocampus/nnUNetTrainer__nnUNetPlans__3d_fullres/fold_0/${file}`,
      modifiedAt: '2025-05-12T09:44:47.000Z',
      run: { dataset: 'Dataset004_Hippocampus', trainer: 'nnUNetTrainer', plans: 'nnUNetPlans', configuration: '3d_fullres', fold: '0' },
      explanation: explainLog(readFileSync(path.join(LOGS, file), 'utf8')),
    },
  };
}

describe('logs.training', () => {
  it('fails with the first NaN epoch for a log whose loss went NaN', async () => {
    const findings = [await check.run(factFor('training_log_nan.txt'))].flat();
    expect(findings[0]).toMatchObject({ status: 'info', summary: expect.stringContaining('Dataset004_Hippocampus nnUNetTrainer__nnUNetPlans__3d_fullres fold 0') });
    const nan = findings.find((f) => f.status === 'fail');
    expect(nan?.summary).toMatch(/became nan at epoch 37/);
  });

  it('passes a healthy log with only harmless lines, labelled as such', async () => {
    const findings = [await check.run(factFor('training_log_healthy.txt'))].flat();
    expect(findings.filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([]);
    expect(findings.some((f) => f.summary.startsWith('harmless'))).toBe(true);
  });

  it('skips with the reason when there is no log to read', async () => {
    const findings = [await check.run({ trainingLog: failure('nnUNet_results is not set and no --results folder was given') })].flat();
    expect(findings).toEqual([{ status: 'skip', summary: 'nnUNet_results is not set and no --results folder was given' }]);
  });
});
