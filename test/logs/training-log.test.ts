import { describe, expect, it } from 'vitest';
import { normalizeLog } from '../../src/logs/normalize.js';
import { epochTimeSeries, parseTrainingLog } from '../../src/logs/training-log.js';

const parse = (text: string) => parseTrainingLog(normalizeLog(text));

const epoch = (e: number, train: string, val: string, seconds = 30, lr = 0.01) =>
  `2025-01-01 10:00:00.000000: Epoch ${e} \n2025-01-01 10:00:00.000001: Current learning rate: ${lr} \n2025-01-01 10:00:30.000000: train_loss ${train} \n2025-01-01 10:00:30.000001: val_loss ${val} \n2025-01-01 10:00:30.000002: Pseudo dice [0.5, nan] \n2025-01-01 10:00:30.000003: Epoch time: ${seconds} s \n`;

describe('parseTrainingLog', () => {
  it('reads epochs, learning rates, numpy 2 values and the nan pseudo Dice of an absent class', () => {
    const log = parse(`${epoch(0, '0.1', '-0.2')}2025-01-01 10:00:31.000000: Pseudo dice [np.float32(0.7), np.float32(nan)] \n`);
    expect(log?.epochs[0]).toMatchObject({ epoch: 0, learningRate: 0.01, trainLoss: 0.1, valLoss: -0.2, pseudoDice: [0.7, null], epochTimeS: 30 });
    expect(log?.nanDiceWithFiniteLoss).toEqual([0]);
    expect(log?.firstNonFinite).toBeUndefined();
  });

  it('finds the first non-finite epoch, the loss rise before it and a restart from a checkpoint', () => {
    const banner = 'Please cite the following paper when using nnU-Net:\n';
    const text = `${banner}${epoch(0, '-0.5', '-0.5')}${epoch(1, '-0.5', '-0.5')}${banner}${epoch(2, '-0.1', '-0.4')}${epoch(3, '0.4', '-0.3')}${epoch(4, 'nan', '-0.2')}${epoch(5, 'nan', 'nan')}`;
    const onset = parse(text)?.firstNonFinite;
    expect(onset).toMatchObject({ epoch: 4, losses: ['train_loss'], lastFiniteEpoch: 3, pattern: 'after-rise', resumedAt: 2 });
    expect(onset?.before.join(' ')).toMatch(/rose from -0.5 to 0.4/);
  });

  it('reads nnU-Net v1 logs too', () => {
    const v1 = 'epoch:  0\ntrain loss : -0.3012\nvalidation loss: -0.4420\nAverage global foreground Dice: [0.8121, 0.6643]\nThis epoch took 142.551 s\n';
    expect(parse(v1)).toMatchObject({ format: 'v1', epochs: [{ epoch: 0, trainLoss: -0.3012, valLoss: -0.442, pseudoDice: [0.8121, 0.6643], epochTimeS: 142.551 }] });
  });

  it('reads the configuration block, joined across hard-wrapped lines', () => {
    const text = `This is the configuration used by this training:\nConfiguration name: 3d_lowres\n {'data_identifier': 'nnUNetPlans_3d_lowres', 'batch_size': 2, 'patch_size': [256, 96, 96], 'spacing': [1.2, 1.2, 1.2], 'normalization_schemes': ['Resc\naleTo01Normalization'], 'UNet_class_name': 'PlainConvUNet'} \n\n${epoch(0, '0.1', '0.1')}`;
    expect(parse(text)?.configuration).toMatchObject({ name: '3d_lowres', batchSize: 2, patchSize: [256, 96, 96], spacing: [1.2, 1.2, 1.2], normalizationSchemes: ['RescaleTo01Normalization'], networkClass: 'PlainConvUNet' });
  });

  it('reads versions when the header prints them', () => {
    expect(parse(`PyTorch version: 2.8.0+cu128\nnnU-Net version: 2.6.4\n${epoch(0, '1', '1')}`)?.versions).toEqual({ torch: '2.8.0+cu128', nnunet: '2.6.4' });
  });

  it('returns nothing for text without epochs', () => {
    expect(parse('Traceback (most recent call last):\nValueError: x\n')).toBeUndefined();
  });
});

describe('epochTimeSeries', () => {
  it('ignores the compile-heavy first epoch and calls a run that doubles its epoch time rising', () => {
    expect(epochTimeSeries([400, 100, 101, 99, 100, 150, 190, 200, 210])?.trend).toBe('rising');
    expect(epochTimeSeries([400, 100, 101, 99, 100, 98, 102, 100, 101])?.trend).toBe('flat');
    expect(epochTimeSeries([100, 100])?.trend).toBe('too-short');
  });
});
