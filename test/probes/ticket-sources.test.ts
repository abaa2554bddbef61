import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FactStore } from '../../src/core/fact-store.js';
import { builtinProbes } from '../../src/probes/index.js';
import { caseIdOf, TAIL_LINES } from '../../src/probes/ticket-sources.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'nnunet-doctor-sources-'));

function sources(options: { dataset?: string; results?: string }, env: NodeJS.ProcessEnv = {}) {
  return new FactStore({ probes: builtinProbes, options: { probeTimeoutMs: 10_000, ...options }, env }).get('ticketSources');
}

describe('ticketSources probe', () => {
  it('derives case identifiers from file names as nnU-Net names them', () => {
    expect(caseIdOf('liver_003_0000.nii.gz', '.nii.gz', true)).toBe('liver_003');
    expect(caseIdOf('liver_003.nii.gz', '.nii.gz', false)).toBe('liver_003');
    expect(caseIdOf('img_12_0001.png', undefined, true)).toBe('img_12');
    expect(caseIdOf('case_0000.nii.gz', '.nii.gz', false)).toBe('case_0000');
  });

  it('lists a dataset by id under nnUNet_raw: dataset.json and case names, no image opened', async () => {
    const raw = path.join(root, 'raw');
    const dir = path.join(raw, 'Dataset007_Spleen');
    mkdirSync(path.join(dir, 'imagesTr'), { recursive: true });
    mkdirSync(path.join(dir, 'labelsTr'), { recursive: true });
    for (const c of ['spleen_1', 'spleen_2']) {
      writeFileSync(path.join(dir, 'imagesTr', `${c}_0000.nii.gz`), '');
      writeFileSync(path.join(dir, 'labelsTr', `${c}.nii.gz`), '');
    }
    writeFileSync(path.join(dir, 'dataset.json'), '{"file_ending": ".nii.gz", "numTraining": 2}');
    const fact = await sources({ dataset: '7' }, { nnUNet_raw: raw });
    expect(fact.dataset).toEqual({
      ok: true,
      dir,
      name: 'Dataset007_Spleen',
      datasetJson: { ok: true, content: { file_ending: '.nii.gz', numTraining: 2 } },
      caseIds: ['spleen_1', 'spleen_2'],
      fileCounts: { imagesTr: 2, labelsTr: 2, imagesTs: 0 },
    });
    const missing = await sources({ dataset: '8' }, { nnUNet_raw: raw });
    expect(missing.dataset).toMatchObject({ ok: false, reason: expect.stringContaining('no dataset with the id 8') });
  });

  it('quotes the tail of the newest training log, its debug.json and the plans configuration (inherits_from resolved)', async () => {
    const results = path.join(root, 'results');
    const runDir = path.join(results, 'Dataset007_Spleen', 'nnUNetTrainer__nnUNetPlans__3d_lowres');
    for (const fold of ['fold_0', 'fold_1']) mkdirSync(path.join(runDir, fold), { recursive: true });
    const old = path.join(runDir, 'fold_0', 'training_log_2024_1_1_00_00_00.txt');
    writeFileSync(old, 'old run\n');
    utimesSync(old, new Date('2024-01-01'), new Date('2024-01-01'));
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i}`);
    writeFileSync(path.join(runDir, 'fold_1', 'training_log_2024_6_1_00_00_00.txt'), `${lines.join('\n')}\n`);
    writeFileSync(path.join(runDir, 'fold_1', 'debug.json'), '{"torch_version": "2.8.0"}');
    const plans = { configurations: { '3d_fullres': { batch_size: 2, patch_size: [96, 96, 96] }, '3d_lowres': { inherits_from: '3d_fullres', batch_size: 4 } } };
    writeFileSync(path.join(runDir, 'plans.json'), JSON.stringify(plans));
    const fact = await sources({}, { nnUNet_results: results });
    expect(fact.results).toMatchObject({
      ok: true,
      trainingLog: { path: path.join(runDir, 'fold_1', 'training_log_2024_6_1_00_00_00.txt'), tail: lines.slice(-TAIL_LINES) },
      debugJson: { content: { torch_version: '2.8.0' } },
      plans: { plansName: 'nnUNetPlans', configurationName: '3d_lowres', configuration: { batch_size: 4, patch_size: [96, 96, 96], inherits_from: '3d_fullres' } },
    });
  });

  it('says why when the results folder is missing, and reads nothing without --dataset or --results', async () => {
    expect((await sources({ results: path.join(root, 'nope') })).results).toMatchObject({ ok: false, reason: expect.stringContaining('does not exist') });
    expect(await sources({})).toEqual({ ok: true });
  });
});
