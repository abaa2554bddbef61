import { logFindings } from '../../logs/findings.js';
import { plural } from '../../util/format.js';
import { WEIGHT, type CauseEvidence } from '../causes.js';
import { outcome, type NanStep } from '../flow.js';

/** The training log: the first non-finite epoch and how the run behaved right before it. */
export const trainingLogStep: NanStep = {
  id: 'training-log',
  title: 'Training log: first NaN epoch and what came before',
  async run(ctx) {
    const log = await ctx.trainingLog();
    if (!log.ok) return outcome('skip', log.reason);
    const { explanation } = log;
    const training = explanation.training;
    const where = log.run.trainer ? `${log.run.trainer}__${log.run.plans}__${log.run.configuration} fold ${log.run.fold}` : log.path;
    const causes: CauseEvidence[] = [];
    const diagnosed = new Set(explanation.diagnoses.map((d) => d.id));
    if (diagnosed.has('L34')) causes.push({ cause: 'bad-labels', weight: WEIGHT.strong, evidence: 'the log has a CUDA device-side assert: a label value at or above the number of classes' });
    if (diagnosed.has('L54')) causes.push({ cause: 'fp16-overflow', weight: WEIGHT.weak, evidence: 'numpy warned about an overflow or an invalid division in the Dice sums' });
    // The NaN onset is this step's own summary; the other problems in the log stay as findings.
    const findings = logFindings(explanation).filter((f) => (f.status === 'fail' || f.status === 'warn') && !f.evidence?.losses);
    if (!training) return outcome(causes.length > 0 ? 'fail' : 'info', `${where}: no epochs logged yet`, { findings, causes });
    const onset = training.firstNonFinite;
    if (!onset) {
      const dice = training.nanDiceWithFiniteLoss.length > 0 ? `; NaN only in the pseudo Dice of ${plural(training.nanDiceWithFiniteLoss.length, 'epoch')} (a class absent from validation: harmless)` : '';
      return outcome(causes.length > 0 ? 'warn' : 'pass', `${where}: losses finite in all ${plural(training.epochs.length, 'epoch')}${dice}`, { findings, causes });
    }
    const line = `${onset.losses.join(' and ')} nan from epoch ${onset.epoch}${onset.lastFiniteEpoch === undefined ? '' : ` (last finite: ${onset.lastFiniteEpoch})`}`;
    const because = onset.before.join('; ');
    if (onset.pattern === 'from-start') {
      causes.push(
        { cause: 'bad-labels', weight: WEIGHT.weak, evidence: `${line}: never finite, which points at the data` },
        { cause: 'nan-inf-voxels', weight: WEIGHT.weak, evidence: `${line}: never finite, which points at the data` },
        { cause: 'constant-images', weight: WEIGHT.weak, evidence: `${line}: never finite, which points at the data` },
      );
    } else if (onset.pattern === 'after-rise') {
      causes.push({ cause: 'learning-rate', weight: WEIGHT.moderate, evidence: `${line}: ${onset.before[0]}` });
    } else {
      causes.push(
        { cause: 'nan-inf-voxels', weight: WEIGHT.weak, evidence: `${line}: sudden after steady epochs, as when one bad case reaches a batch` },
        { cause: 'fp16-overflow', weight: WEIGHT.weak, evidence: `${line}: sudden after steady epochs, as an fp16 overflow is` },
      );
    }
    if (onset.resumedAt !== undefined) causes.push({ cause: 'custom-code', weight: WEIGHT.weak, evidence: `the run was continued from a checkpoint at epoch ${onset.resumedAt}, before the NaN` });
    return outcome('fail', `${where}: ${line}. ${because}`, { findings, causes });
  },
};
