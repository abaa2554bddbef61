import { defineCheck, info, skip, warn } from '../src/core/index.js';
import { BENCH_NOT_RUN } from '../src/engine/bench-fact.js';
import { fmtDuration } from '../src/engine/estimates.js';

/** A default training (1000 epochs) that takes longer than this is not practical here. */
const MAX_PRACTICAL_DAYS = 7;
const REF = 'nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py (1000 epochs x 250 iterations); v1 documentation/expected_epoch_times.md';

export default defineCheck({
  id: 'bench.training',
  title: 'Estimated training and inference time',
  category: 'bench',
  needs: ['bench'],
  run({ bench }) {
    if (!bench.ok) return skip(BENCH_NOT_RUN);
    const o = bench.outcome;
    if (o.status !== 'measured') return skip('nothing was measured (see bench.speed)');
    const epochS = o.epoch.secondsPerEpoch;
    const days = o.epoch.hoursFor1000Epochs / 24;
    const fastest = o.reference?.references.reduce((a, b) => (a.secondsPerEpoch < b.secondsPerEpoch ? a : b));
    const vs = fastest ? `; nnU-Net's reference: ${fastest.secondsPerEpoch.toFixed(0)} s on an ${fastest.label}` : '';
    const summary = `about ${fmtDuration(epochS)} per epoch, ${fmtDuration(o.epoch.hoursFor1000Epochs * 3600)} for 1000 epochs${vs}`;
    const evidence = { epoch: o.epoch, inference: o.inference, reference: o.reference?.what };
    const why = `Estimated from the measured forward pass (x${o.epoch.trainingToForwardFlopRatio.toFixed(2)} for forward+backward by FLOPs), fp32 and without data loading. Sliding-window prediction of a [${o.inference.caseShape.join(', ')}] case: ${o.inference.tiles} tiles, ${fmtDuration(o.inference.secondsNoMirroring)} (${fmtDuration(o.inference.secondsMirrored)} with mirroring).`;
    if (days > MAX_PRACTICAL_DAYS) {
      return warn(`${summary}: too slow to train nnU-Net's default schedule here`, {
        why,
        fix: 'train on a GPU with at least 10 GB (nnU-Net installation_instructions.md); this machine can still preprocess and predict',
        ref: REF,
        evidence,
      });
    }
    return info(summary, { why, ref: REF, evidence });
  },
});
