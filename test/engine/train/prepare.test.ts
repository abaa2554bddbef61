import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeHealthyDataset } from '../../../fixtures/dataset/generate.js';
import { writeDataset } from '../../../fixtures/nan/datasets.js';
import { prepareSanityData } from '../../../src/engine/train/prepare.js';
import { loadUserData } from '../../../src/engine/train/user-data.js';

const patchFor = (size: number) => ({ patchFor: (dims: number) => Array<number>(dims).fill(size) });

const tmp = mkdtempSync(path.join(os.tmpdir(), 'nnd-prepare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('prepareSanityData', () => {
  it('z-scores each case whole and holds the last case out, listing what it did', async () => {
    const user = await loadUserData(writeDataset(tmp, 'Dataset611_Healthy'), patchFor(16));
    const data = prepareSanityData(user, [16, 16, 16]);
    expect(data).toMatchObject({ kind: 'dataset', name: 'Dataset611_Healthy', numClasses: 2 });
    expect(data.training.map((c) => c.caseId)).toEqual(['case_000', 'case_001', 'case_002', 'case_003']);
    expect(data.heldOut.caseId).toBe('case_004');
    expect(data.training[0]!.shape).toEqual([16, 16, 16]);
    // The 8×16×16 case fills the first half of z; its values have mean 0 and std 1 over the whole case.
    const kept = data.training[0]!.image.subarray(0, 8 * 16 * 16);
    const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
    const std = Math.sqrt(kept.reduce((a, v) => a + (v - mean) ** 2, 0) / kept.length);
    expect(mean).toBeCloseTo(0, 5);
    expect(std).toBeCloseTo(1, 4);
    expect(data.preparation).toEqual([
      'cases: case_000, case_001, case_002, case_003 trained, case_004 held out (5 of 5)',
      'channel 0 "MRI": ZScoreNormalization',
      'padded to the 16x16x16 patch (image 0, label background): case_000, case_001, case_002, case_003, case_004',
      'the held-out Dice is measured on this reduced grid',
    ]);
  });

  it('normalizes a CT channel with the training foreground percentiles, mean and std', async () => {
    await writeHealthyDataset(path.join(tmp, 'Dataset612_Ct'), { cases: 3 });
    const user = await loadUserData(path.join(tmp, 'Dataset612_Ct'), patchFor(8));
    // numpy's linear percentiles over the full volumes' foreground voxels of the two training cases (not the held-out one).
    const whole = await loadUserData(path.join(tmp, 'Dataset612_Ct'), patchFor(64));
    expect(whole.cases[0]!.shape).toEqual(whole.cases[0]!.originalShape);
    const foreground = whole.cases.slice(0, -1).flatMap((c) => Array.from(c.image).filter((_, i) => c.labels[i]! > 0)).sort((a, b) => a - b);
    const at = (q: number) => {
      const pos = ((foreground.length - 1) * q) / 100;
      const lower = Math.floor(pos);
      return foreground[lower]! + (foreground[Math.min(lower + 1, foreground.length - 1)]! - foreground[lower]!) * (pos - lower);
    };
    const mean = foreground.reduce((a, b) => a + b, 0) / foreground.length;
    const std = Math.sqrt(foreground.reduce((a, v) => a + (v - mean) ** 2, 0) / foreground.length);
    const data = prepareSanityData(user, [8, 8, 8]);
    expect(data.preparation![1]).toMatch(/^channel 0 "CT": CTNormalization \(clip [\d.]+\.\.[\d.]+, mean [\d.]+, std [\d.]+ from the training foreground\)$/);
    // Air (-1024) is clipped to the 0.5th foreground percentile; the brightest lesion voxels to the 99.5th.
    expect(Math.min(...data.heldOut.image)).toBeCloseTo((at(0.5) - mean) / std, 5);
    expect(Math.max(...data.heldOut.image)).toBeCloseTo((at(99.5) - mean) / std, 5);
  });
});
