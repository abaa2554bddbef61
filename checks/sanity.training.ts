import { defineCheck, fail, info, pass, skip, warn, type Finding } from '../src/core/index.js';
import { MEASURABLE_DECREASE, SANITY_NOT_RUN } from '../src/engine/train/sanity-fact.js';
import type { SanityProblem } from '../src/engine/train/sanity.js';

const REF = 'nnU-Net documentation: "train_loss nan" debugging; nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py';

const FIX: Record<SanityProblem['kind'], string> = {
  input: 'replace NaN/Inf voxels in the named case (e.g. np.nan_to_num), then rerun nnUNetv2_plan_and_preprocess --verify_dataset_integrity',
  label: 'fix the label values of the named case or the "labels" map in dataset.json (labels must be 0..classes-1)',
  activation: 'lower the learning rate or check the data scale; with AMP, retry without it (nnUNetTrainer_fp32 or a trainer without autocast) to rule out fp16 overflow',
  loss: 'check the labels and the loss customisation; the default DC_and_CE loss is finite for finite logits',
  gradient: 'lower the learning rate or keep gradient clipping at 12; retry without AMP to rule out fp16 overflow',
};

export default defineCheck({
  id: 'sanity.training',
  title: 'Short training and held-out prediction',
  category: 'sanity',
  needs: ['sanity'],
  run({ sanity }) {
    if (!sanity.ok) return skip(sanity.reason.startsWith('no probe provides') ? SANITY_NOT_RUN : sanity.reason);
    const findings: Finding[] = [];
    const evidence = { provider: sanity.provider, precision: sanity.precision, steps: sanity.steps.length, data: sanity.data };
    if (sanity.precision.note) findings.push(info(`fp16 requested, computed in ${sanity.precision.computed}`, { why: sanity.precision.note, evidence: { precision: sanity.precision } }));
    const p = sanity.problem;
    if (p) {
      const where = p.step === 0 ? 'before training' : `at step ${p.step}`;
      findings.push(fail(`${p.kind === 'label' ? 'label out of range' : 'non-finite value'} ${where} in ${p.tensor}: ${p.cause}`, {
        why: p.detail,
        fix: FIX[p.kind],
        ref: REF,
        evidence: { ...evidence, problem: p },
      }));
      return findings;
    }
    const loss = sanity.loss!;
    const curve = `loss ${loss.first.toFixed(3)} -> ${loss.last.toFixed(3)} over ${sanity.steps.length} steps on ${sanity.provider} (${sanity.data.kind} data)`;
    if (sanity.verdict === 'not-learning') {
      findings.push(warn(`the loss did not fall measurably: ${curve}`, {
        why: `a working setup lowers nnU-Net's DC+CE loss by at least ${MEASURABLE_DECREASE} within a few steps on this task.`,
        fix: 'check that images and labels belong together (same case, same orientation) and that the labels are not empty',
        ref: REF,
        evidence: { ...evidence, loss },
      }));
    } else {
      findings.push(pass(`finite and falling: ${curve}`, { evidence: { ...evidence, loss } }));
    }
    const inf = sanity.inference;
    if (inf && !inf.finite) {
      findings.push(fail(`the prediction of ${inf.caseId} has non-finite logits`, { why: 'nnU-Net raises on Inf logits at inference.', ref: 'nnunetv2/inference/predict_from_raw_data.py', evidence: { inference: inf } }));
    } else if (inf) {
      const dice = inf.dicePerClass.map((d) => (d === null ? 'n/a' : d.toFixed(2))).join(', ');
      findings.push(info(`held-out ${inf.caseId}: Dice ${inf.meanDice?.toFixed(2) ?? 'n/a'} (per class ${dice}), sliding window with Gaussian weighting, ${inf.tiles} tiles`, { evidence: { inference: inf } }));
    }
    return findings;
  },
});
