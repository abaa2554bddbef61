import { describe, expect, it } from 'vitest';
import { convFeatureMapSize, getPoolAndConvProps, planConfiguration } from '../../src/engine/topology.js';

// Expected values: nnunet-facts.md §5.3 (published Hippocampus plans; the rest re-derived from the planner and
// checked against the constants in residual_encoder_unet_planners.py).
describe("nnU-Net's default planner rules", () => {
  it('reproduces the published Dataset004_Hippocampus plans (3d bs 9, 2d bs 366)', () => {
    const geometry = { spacing: [1, 1, 1], medianShape: [36, 50, 35], numTraining: 260, inputChannels: 1, numClasses: 3 };
    const d3 = planConfiguration(geometry, { dims: 3 });
    expect(d3.patchSize).toEqual([40, 56, 40]);
    expect(d3.batchSize).toBe(9);
    expect(d3.featuresPerStage).toEqual([32, 64, 128, 256]);
    expect(d3.strides).toEqual([[1, 1, 1], [2, 2, 2], [2, 2, 2], [2, 2, 2]]);
    const d2 = planConfiguration(geometry, { dims: 2 });
    expect(d2.patchSize).toEqual([56, 40]);
    expect(d2.batchSize).toBe(366);
  });

  it('gives isotropic 1 mm CT with a 512^3 median the 128^3, batch 2, 6-stage network', () => {
    const c = planConfiguration({ spacing: [1, 1, 1], medianShape: [512, 512, 512], numTraining: 100, inputChannels: 1, numClasses: 3 }, { dims: 3 });
    expect(c.patchSize).toEqual([128, 128, 128]);
    expect(c.batchSize).toBe(2);
    expect(c.featuresPerStage).toEqual([32, 64, 128, 256, 320, 320]);
    const c2 = planConfiguration({ spacing: [1, 1, 1], medianShape: [512, 512, 512], numTraining: 100, inputChannels: 1, numClasses: 3 }, { dims: 2 });
    expect(c2.patchSize).toEqual([512, 512]);
    expect(c2.batchSize).toBe(12);
    expect(c2.featuresPerStage).toEqual([32, 64, 128, 256, 512, 512, 512, 512]);
  });

  it('stops pooling a lone axis early (heart-like: last stride [1,2,2])', () => {
    const c = planConfiguration({ spacing: [1.37, 1.25, 1.25], medianShape: [115, 320, 232], numTraining: 20, inputChannels: 1, numClasses: 2 }, { dims: 3 });
    expect(c.patchSize).toEqual([80, 192, 160]);
    expect(c.batchSize).toBe(2);
    expect(c.strides.at(-1)).toEqual([1, 2, 2]);
  });

  it('uses in-plane kernels and strides for thick slices (prostate-like)', () => {
    const c = planConfiguration({ spacing: [3.6, 0.625, 0.625], medianShape: [20, 320, 319], numTraining: 32, inputChannels: 2, numClasses: 3 }, { dims: 3 });
    expect(c.patchSize).toEqual([20, 320, 256]);
    expect(c.featuresPerStage).toHaveLength(7);
    expect(c.kernelSizes.slice(0, 3)).toEqual([[1, 3, 3], [1, 3, 3], [3, 3, 3]]);
    expect(c.strides).toEqual([[1, 1, 1], [1, 2, 2], [1, 2, 2], [2, 2, 2], [2, 2, 2], [1, 2, 2], [1, 2, 2]]);
  });

  it('pads the patch to a multiple of 2^pools', () => {
    const p = getPoolAndConvProps([1, 1, 1], [100, 100, 100]);
    expect(p.mustBeDivisibleBy).toEqual([16, 16, 16]);
    expect(p.patchSize).toEqual([112, 112, 112]);
    expect(p.convKernels.at(-1)).toEqual([3, 3, 3]);
  });

  it('counts feature-map voxels the way compute_conv_feature_map_size does', () => {
    // Two stages, 1 conv each, 4/8 features on 4^3: encoder 4*64 + 8*8, decoder conv 4*64 + transp 4*64 + seg 2*64.
    const size = convFeatureMapSize({ featuresPerStage: [4, 8], strides: [[1, 1, 1], [2, 2, 2]], nConvPerStage: [1, 1], nConvPerStageDecoder: [1], numClasses: 2, deepSupervision: false }, [4, 4, 4]);
    expect(size).toBe(4 * 64 + 8 * 8 + 4 * 64 + 4 * 64 + 2 * 64);
  });
});
