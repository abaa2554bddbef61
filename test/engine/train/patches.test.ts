import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/engine/init.js';
import { ctStatistics, forcesForeground, normalizeChannel, sampleBatch } from '../../../src/engine/train/patches.js';
import { syntheticVolume } from '../../../src/engine/train/synthetic.js';

describe('nnU-Net patch sampling and normalization', () => {
  it('forces foreground in the last round(B x 0.33) samples, as nnUNetDataLoader.get_do_oversample', () => {
    expect([0, 1].map((i) => forcesForeground(i, 2))).toEqual([false, true]);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].filter((i) => forcesForeground(i, 12))).toEqual([8, 9, 10, 11]);
  });

  it('a forced-foreground sample contains foreground even when it is rare', () => {
    const volume = syntheticVolume([40, 40, 40], 1, 3, 4);
    const rand = seededRandom(9);
    for (let k = 0; k < 5; k++) {
      const batch = sampleBatch([volume], [16, 16, 16], 2, rand);
      const second = batch.labels.subarray(16 ** 3);
      expect(second.some((l) => l > 0n)).toBe(true);
    }
  });

  it('z-score per channel, CT clipping to the foreground percentiles, and NaN spreading as in numpy', () => {
    const z = normalizeChannel(Float32Array.of(1, 2, 3, 4), 'ZScoreNormalization');
    expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 6);
    expect(Math.sqrt(z.reduce((a, b) => a + b * b, 0) / 4)).toBeCloseTo(1, 5);
    expect([...normalizeChannel(Float32Array.of(1, Number.NaN, 3), 'ZScoreNormalization')].every(Number.isNaN)).toBe(true);
    const volume = { caseId: 'a', image: Float32Array.from({ length: 201 }, (_, i) => i), labels: new Int32Array(201).fill(1), shape: [201], channels: 1 };
    const ct = ctStatistics([volume]);
    expect(ct.percentile005).toBeCloseTo(1, 6);
    expect(ct.percentile995).toBeCloseTo(199, 6);
    const out = normalizeChannel(Float32Array.of(-1000, 100, 5000), 'CTNormalization', ct);
    expect(out[0]).toBeCloseTo((1 - ct.mean) / ct.std, 5);
    expect(out[2]).toBeCloseTo((199 - ct.mean) / ct.std, 5);
  });
});
