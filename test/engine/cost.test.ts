import { describe, expect, it } from 'vitest';
import { checkMemory, convFlopsOf, estimateCost } from '../../src/engine/cost.js';
import { preset } from '../../src/engine/presets.js';
import { describeUNet, validateConfig } from '../../src/engine/unet.js';

describe('the network description and its cost', () => {
  it('has the 31.2 M parameters the Primus paper lists for the default 3d_fullres CNN', () => {
    const d = describeUNet(preset('3d_fullres'));
    expect(d.parameterCount / 1e6).toBeCloseTo(31.2, 1);
    expect(d.outputs.map((o) => o.shape)).toEqual([
      [3, 128, 128, 128], [3, 64, 64, 64], [3, 32, 32, 32], [3, 16, 16, 16], [3, 8, 8, 8],
    ]);
  });

  it('counts a conv as 2 x Cin x k^3 x Cout x output voxels', () => {
    const d = describeUNet(preset('tiny'));
    const first = d.ops[0]!;
    expect(first.kind).toBe('conv');
    expect(convFlopsOf(first)).toBe(2 * 1 * 27 * 8 * 32 ** 3);
    const cost = estimateCost(d, 2);
    const total = d.ops.reduce((s, op) => s + convFlopsOf(op), 0);
    expect(cost.forward.convFlops).toBe(2 * total);
    // Backward: dX for every conv but the first, dW for every conv.
    expect(cost.trainingStep.convFlops).toBe(3 * cost.forward.convFlops - 2 * convFlopsOf(first));
  });

  it('keeps the skips alive in the inference peak, but not every activation', () => {
    const d = describeUNet(preset('tiny'));
    const cost = estimateCost(d, 1);
    const everything = d.ops.reduce((s, op) => s + op.outShape.reduce((a, b) => a * b, 1) * 4, 0);
    const skip0 = 8 * 32 ** 3 * 4;
    expect(cost.inferencePeakActivationBytes).toBeGreaterThan(2 * skip0);
    expect(cost.inferencePeakActivationBytes).toBeLessThan(everything / 2);
    expect(cost.trainingActivationBytes).toBeGreaterThan(cost.inferencePeakActivationBytes);
  });

  it('says the 3d_fullres network does not fit in 1 GiB, with the numbers', () => {
    const verdict = checkMemory(estimateCost(describeUNet(preset('3d_fullres'))), 2 ** 30);
    expect(verdict.fits).toBe(false);
    expect(verdict.neededBytes).toBeGreaterThan(2 ** 30);
  });

  it('lists what is wrong with an impossible configuration', () => {
    const c = preset('tiny');
    expect(validateConfig({ ...c, strides: c.strides.slice(1), featuresPerStage: [8] })).toEqual(expect.arrayContaining([
      'a U-Net needs at least 2 stages, this one has 1',
      '3 strides for 1 stages',
    ]));
    expect(() => describeUNet({ ...c, patchSize: [32, 32] })).toThrow(/not 3-D/);
  });
});
