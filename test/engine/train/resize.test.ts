import { describe, expect, it } from 'vitest';
import { padCase, shrinkCase } from '../../../src/engine/train/resize.js';
import type { LabelledVolume } from '../../../src/engine/train/synthetic.js';

/** A 100×60×40 case (numpy order) with a foreground box at z 70..79, y 10..19, x 30..35; values = flat index. */
function bigCase(): LabelledVolume {
  const shape = [100, 60, 40];
  const voxels = 100 * 60 * 40;
  const labels = new Int32Array(voxels);
  for (let z = 70; z < 80; z++) for (let y = 10; y < 20; y++) for (let x = 30; x < 36; x++) labels[(z * 60 + y) * 40 + x] = 1;
  return { caseId: 'big', image: Float32Array.from({ length: voxels }, (_, i) => i), labels, shape, channels: 1 };
}

describe('shrinkCase and padCase', () => {
  it('downsample an axis longer than four patches, crop to two around the foreground', () => {
    const r = shrinkCase(bigCase(), [16, 16, 16]);
    // z: 100 > 64 -> every 2nd voxel (50), cropped to 32 around the foreground; y: 60 -> 32; x: 40 -> 32.
    expect(r.factor).toEqual([2, 1, 1]);
    expect(r.cropped).toBe(true);
    expect(r.volume.shape).toEqual([32, 32, 32]);
    // Every foreground voxel on the kept (even) z planes survives, sampled by nearest neighbour.
    expect(r.volume.labels.reduce((n, v) => n + v, 0)).toBe(5 * 10 * 6);
    const source = r.volume.image[r.volume.labels.indexOf(1)]!;
    expect([Math.floor(source / 2400), Math.floor(source / 40) % 60, source % 40]).toEqual([70, 10, 30]);
    // Image and label stay paired: every kept voxel is the source voxel's own label.
    const original = bigCase();
    r.volume.image.forEach((v, i) => expect(r.volume.labels[i]).toBe(original.labels[v]));
  });

  it('leave a case that already fits untouched', () => {
    const c = bigCase();
    expect(shrinkCase(c, [64, 64, 64])).toEqual({ volume: c, factor: [1, 1, 1], cropped: false });
    expect(padCase(c, [64, 32, 32])).toEqual({ volume: c, padded: false });
  });

  it('pad a case smaller than the patch with image 0 and background', () => {
    const small: LabelledVolume = { caseId: 's', image: new Float32Array(8).fill(5), labels: new Int32Array(8).fill(1), shape: [2, 2, 2], channels: 1 };
    const r = padCase(small, [4, 4, 4]);
    expect(r.padded).toBe(true);
    expect(r.volume.shape).toEqual([4, 4, 4]);
    expect(r.volume.image.filter((v) => v === 5)).toHaveLength(8);
    expect(r.volume.labels.filter((v) => v === 1)).toHaveLength(8);
    expect(r.volume.image[0]).toBe(5);
    expect(r.volume.image[63]).toBe(0);
  });
});
