import { describe, expect, it } from 'vitest';
import { judgeRunNames, parseRunFolder } from '../../src/nan/custom-code.js';

const DEFAULT_LOSS = 'DeepSupervisionWrapper(\n  (loss): DC_and_CE_loss(\n    (dc): OptimizedModule(\n      (_orig_mod): MemoryEfficientSoftDiceLoss()\n    )\n    (ce): RobustCrossEntropyLoss()\n  )\n)';

describe('judgeRunNames', () => {
  it('accepts the defaults, including a compiled default loss', () => {
    expect(judgeRunNames({ trainer: 'nnUNetTrainer', plans: 'nnUNetResEncUNetMPlans', configuration: '3d_fullres', loss: DEFAULT_LOSS })).toEqual({ trainer: 'default', plans: 'default', customLosses: [] });
  });

  it("tells nnU-Net's own variants from user trainers", () => {
    expect(judgeRunNames({ trainer: 'nnUNetTrainer_250epochs', plans: 'nnUNetPlans', configuration: '2d' }).trainer).toBe('shipped-variant');
    expect(judgeRunNames({ trainer: 'nnUNetTrainerDiceCELoss_noSmooth', plans: 'nnUNetPlans', configuration: '2d' }).trainer).toBe('shipped-variant');
    expect(judgeRunNames({ trainer: 'nnUNetTrainerMyAug', plans: 'nnUNetPlans', configuration: '2d' }).trainer).toBe('custom');
  });

  it('names custom loss classes and plans', () => {
    const verdict = judgeRunNames({ trainer: 'nnUNetTrainer', plans: 'nnUNetPlans_bs24', configuration: '3d_fullres', loss: 'DeepSupervisionWrapper(\n  (loss): FocalTverskyLoss()\n)' });
    expect(verdict).toEqual({ trainer: 'default', plans: 'custom', customLosses: ['FocalTverskyLoss'] });
  });
});

describe('parseRunFolder', () => {
  it('reads <Trainer>__<Plans>__<configuration> and nothing else', () => {
    expect(parseRunFolder('nnUNetTrainer__nnUNetPlans__3d_fullres')).toEqual({ trainer: 'nnUNetTrainer', plans: 'nnUNetPlans', configuration: '3d_fullres' });
    expect(parseRunFolder('ensembles')).toBeUndefined();
    expect(parseRunFolder('a__b')).toBeUndefined();
  });
});
