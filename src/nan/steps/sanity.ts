import { WEIGHT, type CauseEvidence } from '../causes.js';
import { outcome, type NanStep } from '../flow.js';

/**
 * A short training with nnU-Net's loss, optimizer and schedule on this machine (src/engine/train), in fp32
 * and, where the hardware computes it, fp16. It runs on synthetic data: the engine has no loader for the
 * user's cases yet, so this step rules the installation and hardware in or out, not the data.
 */
export const sanityStep: NanStep = {
  id: 'sanity',
  title: 'Short sanity training with and without fp16',
  async run(ctx) {
    if (!ctx.options.sanity) return outcome('skip', 'not run (--no-sanity); it trains a small network for a few steps');
    const { runSanity, precisionOf } = await import('../../engine/train/sanity.js');
    const steps = ctx.options.sanitySteps;
    const progress = (label: string) => (p: { phase: string; done: number; total: number; loss?: number }) =>
      ctx.progress(`${label}: ${p.phase} ${p.done}/${p.total}${p.loss === undefined ? '' : ` · loss ${p.loss.toFixed(3)}`}`);
    const fp32 = await runSanity({ fp16: false, steps, onProgress: progress('fp32') });
    const causes: CauseEvidence[] = [];
    const lines: string[] = [];
    const data = `${fp32.data.kind} data (user data: no loader for dataset cases in the sanity engine yet)`;
    if (fp32.verdict === 'non-finite' || fp32.verdict === 'bad-labels') {
      causes.push({ cause: 'install', weight: WEIGHT.direct, evidence: `fp32 training on clean synthetic data went non-finite: ${fp32.problem?.cause ?? fp32.verdict}` });
      lines.push(`fp32 on ${fp32.provider}: ${fp32.problem ? `${fp32.problem.cause} at step ${fp32.problem.step} in ${fp32.problem.tensor}` : fp32.verdict}`);
    } else {
      causes.push({ cause: 'install', weight: WEIGHT.against, evidence: 'fp32 sanity training on synthetic data stayed finite' });
      lines.push(`fp32 on ${fp32.provider}: finite, loss ${fp32.loss?.first.toFixed(3)} → ${fp32.loss?.last.toFixed(3)} (${fp32.verdict})`);
    }
    const fp16Precision = precisionOf(true, fp32.provider);
    if (fp16Precision.computed !== 'fp16') {
      lines.push(`fp16 not run: ${fp16Precision.note ?? 'not computed in fp16 on this provider'}`);
    } else {
      const fp16 = await runSanity({ fp16: true, steps, onProgress: progress('fp16') });
      if (fp16.verdict === 'non-finite' && fp32.verdict !== 'non-finite') {
        causes.push({ cause: 'fp16-overflow', weight: WEIGHT.strong, evidence: `the same training went non-finite only in fp16: ${fp16.problem?.cause ?? ''}` });
        lines.push(`fp16 on ${fp16.provider}: non-finite at step ${fp16.problem?.step}`);
      } else {
        lines.push(`fp16 on ${fp16.provider}: ${fp16.verdict}`);
      }
    }
    const failed = causes.some((c) => c.weight > 0);
    return outcome(failed ? 'fail' : 'pass', `${lines.join('; ')} · ${data}`, { causes });
  },
};
