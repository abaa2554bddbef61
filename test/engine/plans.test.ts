import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlans, parsePlans } from '../../src/engine/plans.js';

const FIX = path.resolve(import.meta.dirname, '../../fixtures/engine');

describe('reading a plans file', () => {
  it('takes the network from architecture.arch_kwargs, and channels/classes from dataset.json', async () => {
    const r = await loadPlans(path.join(FIX, 'plans-v2/nnUNetPlans.json'), '3d_fullres');
    if (!r.ok) throw new Error(r.reason);
    expect(r.config.patchSize).toEqual([40, 56, 40]);
    expect(r.config.batchSize).toBe(9);
    expect(r.config.featuresPerStage).toEqual([32, 64, 128, 256]);
    expect(r.config.numClasses).toBe(3);
    expect(r.config.inputChannels).toBe(1);
    expect(r.medianShape).toEqual([36, 50, 35]);
    expect(r.notes).toEqual([]);
  });

  it('gives a 2d configuration its cases with the original slice count', async () => {
    const r = await loadPlans(path.join(FIX, 'plans-v2/nnUNetPlans.json'), '2d');
    if (!r.ok) throw new Error(r.reason);
    expect(r.config.dims).toBe(2);
    expect(r.medianShape).toEqual([36, 50, 35]);
  });

  it('resolves inherits_from, and reports a loop', async () => {
    const text = await readFile(path.join(FIX, 'plans-v2/nnUNetPlans.json'), 'utf8');
    const r = parsePlans(text, '3d_fullres_bs18');
    expect(r.ok && r.config.batchSize).toBe(18);
    expect(r.ok && r.config.patchSize).toEqual([40, 56, 40]);
    const loop = parsePlans(text, '3d_loop_a');
    expect(loop.ok).toBe(false);
    expect(!loop.ok && loop.reason).toMatch(/inherits from itself/);
  });

  it('reads the older flat layout (pool_op_kernel_sizes, conv_kernel_sizes)', async () => {
    const r = await loadPlans(path.join(FIX, 'plans-old/nnUNetPlans.json'), '3d_fullres');
    if (!r.ok) throw new Error(r.reason);
    expect(r.config.featuresPerStage).toEqual([32, 64, 128, 256, 320, 320]);
    expect(r.config.strides.at(-1)).toEqual([1, 2, 2]);
    expect(r.notes.join()).toMatch(/assuming 2 output classes/);
  });

  it('says a file that is not JSON is not JSON', async () => {
    const r = await loadPlans(path.join(FIX, 'broken-plans.json'), '3d_fullres');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/is not JSON/);
  });

  it('names the configurations a plans file does have', async () => {
    const r = await loadPlans(path.join(FIX, 'plans-v2/nnUNetPlans.json'), '3d_lowres');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/no configuration "3d_lowres".*2d, 3d_fullres/);
    expect(!r.ok && r.available).toContain('3d_fullres');
  });

  it('rejects arch_kwargs that describe no U-Net', () => {
    const plans = {
      configurations: {
        x: { batch_size: 2, patch_size: [31, 32, 32], architecture: { network_class_name: 'PlainConvUNet', arch_kwargs: { features_per_stage: [32, 64], kernel_sizes: [[3, 3, 3], [3, 3, 3]], strides: [[1, 1, 1], [2, 2, 2]], n_conv_per_stage: [2, 2], n_conv_per_stage_decoder: [2] } } },
      },
    };
    const r = parsePlans(JSON.stringify(plans), 'x');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/not divisible by the total stride \[2, 2, 2\]/);
  });

  it('approximates ResidualEncoderUNet with a note', () => {
    const plans = {
      configurations: {
        r: { batch_size: 2, patch_size: [32, 32, 32], architecture: { network_class_name: 'dynamic_network_architectures.architectures.unet.ResidualEncoderUNet', arch_kwargs: { features_per_stage: [32, 64], kernel_sizes: [[3, 3, 3], [3, 3, 3]], strides: [[1, 1, 1], [2, 2, 2]], n_blocks_per_stage: [1, 3], n_conv_per_stage_decoder: [1] } } },
      },
    };
    const r = parsePlans(JSON.stringify(plans), 'r');
    if (!r.ok) throw new Error(r.reason);
    expect(r.config.nConvPerStage).toEqual([2, 6]);
    expect(r.notes[0]).toMatch(/ResidualEncoderUNet is benchmarked as a PlainConvUNet/);
  });
});
