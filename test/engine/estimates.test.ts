import { describe, expect, it } from 'vitest';
import { estimateEpoch, estimateInference, fmtDuration, slidingWindowSteps } from '../../src/engine/estimates.js';

describe('sliding-window and epoch estimates', () => {
  it('places tiles as compute_steps_for_sliding_window does (step 0.5)', () => {
    expect(slidingWindowSteps([512], [128])).toEqual([[0, 64, 128, 192, 256, 320, 384]]);
    // 200 with tile 128: ceil(72 / 64) + 1 = 3 steps, spread evenly over 72 voxels.
    expect(slidingWindowSteps([200], [128])).toEqual([[0, 36, 72]]);
    expect(slidingWindowSteps([100], [128])).toEqual([[0]]);
  });

  it('counts tiles and mirrored passes; 2D predicts every slice', () => {
    const e3 = estimateInference([512, 512, 512], [128, 128, 128], 0.1);
    expect(e3.tiles).toBe(343);
    expect(e3.forwardPassesMirrored).toBe(343 * 8);
    expect(e3.secondsNoMirroring).toBeCloseTo(34.3);
    const e2 = estimateInference([36, 50, 35], [56, 40], 0.01);
    expect(e2.tiles).toBe(36);
    expect(e2.forwardPassesMirrored).toBe(36 * 4);
  });

  it('puts 250 training steps and 50 validation passes in an epoch', () => {
    const e = estimateEpoch(2, 3);
    expect(e.secondsPerIteration).toBe(6);
    expect(e.secondsPerEpoch).toBe(250 * 6 + 50 * 2);
    expect(e.hoursFor1000Epochs).toBeCloseTo((1600 * 1000) / 3600);
    expect(fmtDuration(e.secondsPerEpoch)).toBe('27 min');
    expect(fmtDuration(e.hoursFor1000Epochs * 3600)).toBe('18.5 days');
  });
});

describe('published reference epochs', () => {
  it('apply to a configuration of the same kind only', async () => {
    const { referencesFor } = await import('../../src/engine/references.js');
    expect(referencesFor(3, 128 ** 3, 2)?.references[0]).toMatchObject({ label: 'A100 40GB PCIe', secondsPerEpoch: 41.49 });
    expect(referencesFor(3, 40 * 56 * 40, 9)?.references[0]?.secondsPerEpoch).toBe(7.5);
    expect(referencesFor(2, 512 ** 2, 12)?.what).toMatch(/Liver 2d/);
    expect(referencesFor(3, 32 ** 3, 2)).toBeUndefined();
  });
});
