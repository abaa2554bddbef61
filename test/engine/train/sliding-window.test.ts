import { describe, expect, it } from 'vitest';
import { dicePerClass, gaussianImportance, predictSlidingWindow } from '../../../src/engine/train/sliding-window.js';

describe('sliding-window prediction', () => {
  it('Gaussian importance peaks at 10 in the centre and has no zeros', () => {
    const g = gaussianImportance([8, 8]);
    expect(Math.max(...g)).toBeCloseTo(10, 5);
    expect(g[4 * 8 + 4]).toBeCloseTo(10, 5);
    expect(Math.min(...g)).toBeGreaterThan(0);
    expect(g[0]).toBeLessThan(g[4 * 8 + 4]!);
  });

  it('stitches tiles back to the right voxels and scores Dice', async () => {
    // A "network" that predicts class 1 where the input is positive: the stitched result must equal the truth.
    const shape = [12, 20];
    const truth = Int32Array.from({ length: 240 }, (_, i) => ((i % 20) > 9 ? 1 : 0));
    const image = Float32Array.from(truth, (l) => (l ? 1 : -1));
    const result = await predictSlidingWindow({
      image, channels: 1, shape, patch: [8, 8], classes: 2,
      predictTile: async (tile) => Float32Array.from([...tile.map((v) => -v), ...tile]),
    });
    expect(result.tiles).toBe(2 * 4);
    expect(result.finite).toBe(true);
    expect([...result.labels]).toEqual([...truth]);
    expect(dicePerClass(result.labels, truth, 2)).toEqual([1]);
    expect(dicePerClass(Int32Array.of(1, 0, 0, 0), Int32Array.of(1, 1, 0, 0), 3)).toEqual([2 / 3, Number.NaN]);
  });
});
