import type { SanityData, SanityOptions, SanityResult } from '../../engine/train/sanity.js';
import type { UNetConfig } from '../../engine/unet.js';
import { WEIGHT, type CauseEvidence } from '../causes.js';
import type { NanContext } from '../context.js';
import { outcome, type NanStep } from '../flow.js';

/**
 * A short training with nnU-Net's loss, optimizer and schedule on this machine (src/engine/train), in fp32
 * and, where the hardware computes it, fp16. With a dataset known it trains on a few of the user's cases,
 * so the step can implicate the data; a run that fails on them is repeated on synthetic data to tell
 * the data from the installation. Without one, synthetic data rules the installation in or out.
 */
export const sanityStep: NanStep = {
  id: 'sanity',
  title: 'Short sanity training with and without fp16',
  async run(ctx) {
    if (!ctx.options.sanity) return outcome('skip', 'not run (--no-sanity); it trains a small network for a few steps');
    const { runSanity, precisionOf } = await import('../../engine/train/sanity.js');
    const { preset } = await import('../../engine/presets.js');
    const steps = ctx.options.sanitySteps;
    const base = ctx.options.sanityNetwork ?? preset('tiny');
    const train = (label: string, extra: Partial<SanityOptions>) =>
      runSanity({ network: base, steps, ...extra, onProgress: (p) => ctx.progress(`${label}: ${p.phase} ${p.done}/${p.total}${p.loss === undefined ? '' : ` · loss ${p.loss.toFixed(3)}`}`) });
    const user = await userInputs(ctx, base);
    const causes: CauseEvidence[] = [];
    const lines: string[] = [];
    const fp32 = await train('fp32', { ...user.inputs, fp16: false });
    lines.push(`fp32 on ${fp32.provider}, ${describe(fp32)}`);
    if (user.inputs) {
      causes.push(...(await judgeUserRun(fp32, () => train('fp32 synthetic', { fp16: false }), lines)));
    } else {
      causes.push(fp32.verdict === 'non-finite' || fp32.verdict === 'bad-labels'
        ? { cause: 'install', weight: WEIGHT.direct, evidence: `fp32 training on clean synthetic data went non-finite: ${fp32.problem?.cause ?? fp32.verdict}` }
        : { cause: 'install', weight: WEIGHT.against, evidence: 'fp32 sanity training on synthetic data stayed finite' });
    }
    const fp16Precision = precisionOf(true, fp32.provider);
    if (fp16Precision.computed !== 'fp16') {
      lines.push(`fp16 not run: ${fp16Precision.note ?? 'not computed in fp16 on this provider'}`);
    } else if (!fp32.problem || fp32.problem.step > 0) {
      const fp16 = await train('fp16', { ...user.inputs, fp16: true });
      if (fp16.verdict === 'non-finite' && fp32.verdict !== 'non-finite') {
        causes.push({ cause: 'fp16-overflow', weight: WEIGHT.strong, evidence: `the same training went non-finite only in fp16: ${fp16.problem?.cause ?? ''}` });
        lines.push(`fp16 on ${fp16.provider}: non-finite at step ${fp16.problem?.step}`);
      } else {
        lines.push(`fp16 on ${fp16.provider}: ${fp16.verdict}`);
      }
    }
    const failed = causes.some((c) => c.weight > 0);
    const data = user.inputs ? `data: ${fp32.data.name}, ${fp32.data.trainingCases} training case(s) + ${fp32.data.heldOutCase} held out` : `synthetic data (${user.why})`;
    return outcome(failed ? 'fail' : 'pass', `${lines.join('; ')} · ${data}`, { causes });
  },
};

/** The user's cases for the run, or why there are none (no dataset named, or it cannot be trained on). */
async function userInputs(ctx: NanContext, base: UNetConfig): Promise<{ inputs?: { network: UNetConfig; data: SanityData }; why: string }> {
  const target = await ctx.datasetTarget();
  if (!target) return { why: 'no dataset named: pass --dataset to train on your cases' };
  const { userSanityInputs } = await import('../../engine/train/prepare.js');
  const { UserDataError } = await import('../../engine/train/user-data.js');
  try {
    return { inputs: await userSanityInputs(target, base, { env: ctx.env, onProgress: ctx.progress }), why: '' };
  } catch (error) {
    if (error instanceof UserDataError) return { why: `${target} not used: ${error.message}` };
    throw error;
  }
}

function describe(result: SanityResult): string {
  const data = result.data.kind === 'dataset' ? 'your data' : 'synthetic data';
  const p = result.problem;
  if (p) return `${data}: ${p.cause} ${p.step === 0 ? 'before training' : `at step ${p.step}`} in ${p.tensor} (${p.caseIds.join(', ')})`;
  return `${data}: finite, loss ${result.loss?.first.toFixed(3)} → ${result.loss?.last.toFixed(3)} (${result.verdict})`;
}

/**
 * What a run on the user's cases says. A bad voxel or label found in their files is direct evidence; a
 * run that goes non-finite on finite inputs is repeated on synthetic data: finite there, the data (its
 * scale, or a learning rate too high for it) is to blame, not the installation.
 */
async function judgeUserRun(run: SanityResult, trainSynthetic: () => Promise<SanityResult>, lines: string[]): Promise<CauseEvidence[]> {
  const p = run.problem;
  if (p?.kind === 'input') return [{ cause: 'nan-inf-voxels', weight: WEIGHT.direct, evidence: `sanity training on ${run.data.name}: ${p.detail}` }];
  if (p?.kind === 'label') return [{ cause: 'bad-labels', weight: WEIGHT.direct, evidence: `sanity training on ${run.data.name}: ${p.detail}` }];
  if (run.verdict !== 'non-finite') return [{ cause: 'install', weight: WEIGHT.against, evidence: `fp32 sanity training on ${run.data.name} stayed finite` }];
  const synthetic = await trainSynthetic();
  lines.push(`fp32 on ${synthetic.provider}, ${describe(synthetic)}`);
  if (synthetic.verdict === 'non-finite') return [{ cause: 'install', weight: WEIGHT.direct, evidence: `fp32 training went non-finite on clean synthetic data too: ${synthetic.problem?.cause ?? ''}` }];
  return [
    { cause: 'learning-rate', weight: WEIGHT.strong, evidence: `training on ${run.data.name} went non-finite at step ${p?.step} in ${p?.tensor} (${p?.cause}) from finite inputs, while the same training on synthetic data stayed finite` },
    { cause: 'install', weight: WEIGHT.against, evidence: 'fp32 sanity training on synthetic data stayed finite' },
  ];
}
