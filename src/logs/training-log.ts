import { median } from '../util/math.js';
import type { LogLine } from './normalize.js';

/** One epoch as nnU-Net logged it (nnUNetTrainer.on_epoch_end; v1: network_trainer.py). */
export interface EpochRecord {
  epoch: number;
  learningRate?: number;
  /** null: the log printed nan or inf. */
  trainLoss?: number | null;
  valLoss?: number | null;
  /** Per foreground class; null where the log printed nan. */
  pseudoDice?: (number | null)[];
  epochTimeS?: number;
  newBestEmaDice?: number;
}

/** The "This is the configuration used by this training" block (nnUNetTrainer.print_plans). */
export interface TrainingConfiguration {
  name?: string;
  dataIdentifier?: string;
  batchSize?: number;
  patchSize?: number[];
  spacing?: number[];
  normalizationSchemes?: string[];
  networkClass?: string;
  datasetName?: string;
  plansName?: string;
}

export interface NonFiniteOnset {
  epoch: number;
  /** Which losses were nan/inf in that epoch. */
  losses: ('train_loss' | 'val_loss')[];
  lastFiniteEpoch?: number;
  /** How the losses behaved before: never finite, climbing, or steady until a sudden NaN. */
  pattern: 'from-start' | 'after-rise' | 'sudden';
  /** The epoch the run was last continued from a checkpoint (--c) before the onset, if it was. */
  resumedAt?: number;
  /** What the log shows in the epochs before the onset, in words. */
  before: string[];
}

export interface EpochTimeSeries {
  count: number;
  medianS: number;
  firstS: number;
  lastS: number;
  /** Median of the first and last quarter of epochs, the basis of `trend`. */
  earlyMedianS: number;
  lateMedianS: number;
  trend: 'rising' | 'falling' | 'flat' | 'too-short';
}

export interface TrainingLogSummary {
  format: 'v2' | 'v1';
  /** Versions printed in the header, where this nnU-Net (or a trainer) prints them. */
  versions: { nnunet?: string; torch?: string };
  configuration?: TrainingConfiguration;
  device?: string;
  compile?: boolean;
  /** Epochs at which the trainer started (again): more than one means the run was continued with --c. */
  starts: number[];
  epochs: EpochRecord[];
  firstNonFinite?: NonFiniteOnset;
  /** Epochs whose pseudo Dice had a nan while both losses were finite (a class absent from validation). */
  nanDiceWithFiniteLoss: number[];
  epochTime?: EpochTimeSeries;
  finished: boolean;
}

const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}:\d{2}(?:\.\d+)?:\s?/;
const BANNER = /Please cite the following paper when using nnU-Net/;

/** A training_log_*.txt (or a console capture of training) as data. Returns undefined if it has no epochs. */
export function parseTrainingLog(lines: readonly LogLine[]): TrainingLogSummary | undefined {
  const epochs: EpochRecord[] = [];
  const starts: number[] = [];
  const versions: TrainingLogSummary['versions'] = {};
  let format: 'v1' | 'v2' | undefined;
  let current: EpochRecord | undefined;
  let device: string | undefined;
  let compile: boolean | undefined;
  let finished = false;
  let bannerPending = false;

  const open = (epoch: number) => {
    current = { epoch };
    epochs.push(current);
    if (bannerPending) {
      starts.push(epoch);
      bannerPending = false;
    }
  };
  const record = (apply: (e: EpochRecord) => void) => {
    // Metrics before any "Epoch N" line (a pasted excerpt) start an epoch of their own.
    if (!current) open(epochs.length);
    apply(current!);
  };

  for (const line of lines) {
    const text = line.text.replace(TIMESTAMP, '').trim();
    let m: RegExpExecArray | null;
    if (BANNER.test(text)) bannerPending = true;
    else if ((m = /^Epoch (\d+)$/.exec(text))) ((format = 'v2'), open(Number(m[1])));
    else if ((m = /^epoch:\s+(\d+)$/.exec(text))) ((format = 'v1'), open(Number(m[1])));
    else if ((m = /^Current learning rate: (\S+)/.exec(text)) || (m = /^lr: (\S+)/.exec(text))) record((e) => (e.learningRate = num(m![1]!) ?? undefined));
    else if ((m = /^train_loss (\S+)/.exec(text)) || (m = /^train loss : (\S+)/.exec(text))) record((e) => (e.trainLoss = num(m![1]!)));
    else if ((m = /^val_loss (\S+)/.exec(text)) || (m = /^validation loss: (\S+)/.exec(text))) record((e) => (e.valLoss = num(m![1]!)));
    else if ((m = /^Pseudo dice \[(.*)\]/.exec(text)) || (m = /^Average global foreground Dice: \[(.*)\]/.exec(text))) record((e) => (e.pseudoDice = numberList(m![1]!)));
    else if ((m = /^Epoch time: (\S+) s/.exec(text)) || (m = /^This epoch took (\S+) s/.exec(text))) record((e) => (e.epochTimeS = num(m![1]!) ?? undefined));
    else if ((m = /^Yayy! New best EMA pseudo Dice: (.+)$/.exec(text))) record((e) => (e.newBestEmaDice = numberList(m![1]!)[0] ?? undefined));
    else if ((m = /^Using device: (\S+)/.exec(text))) device = m[1];
    else if (/^(?:Using torch\.compile|Compiling network)/.test(text)) compile = true;
    else if (/^Training done\.?$/.test(text)) finished = true;
    else if ((m = /nnU-?Net(?:v2)? version:?\s*v?(\d+\.\d+[\w.]*)/i.exec(text))) versions.nnunet = m[1];
    else if ((m = /^(?:PyTorch|torch) version:?\s*(\d+\.\d+[\w.+]*)/i.exec(text))) versions.torch = m[1];
  }
  const measured = epochs.filter((e) => e.trainLoss !== undefined || e.valLoss !== undefined || e.epochTimeS !== undefined);
  if (measured.length === 0) return undefined;
  const firstNonFinite = findNonFiniteOnset(measured, starts);
  return {
    format: format ?? 'v2',
    versions,
    configuration: parseConfiguration(lines),
    device,
    compile,
    starts,
    epochs: measured,
    firstNonFinite,
    nanDiceWithFiniteLoss: measured
      .filter((e) => e.pseudoDice?.some((d) => d === null) && isFinite(e.trainLoss) && isFinite(e.valLoss))
      .map((e) => e.epoch),
    epochTime: epochTimeSeries(measured.flatMap((e) => (e.epochTimeS === undefined ? [] : [e.epochTimeS]))),
    finished,
  };
}

/** "nan", "inf", "-inf" and numpy 2's "np.float32(0.5)" as printed by nnU-Net. null: not finite. */
function num(token: string): number | null {
  const inner = /^np\.float\d+\((.*)\)$/.exec(token.trim())?.[1] ?? token.trim();
  const value = Number(inner.replace(/,$/, ''));
  if (/^-?(?:nan|inf)/i.test(inner)) return null;
  return Number.isNaN(value) ? null : value;
}

function numberList(text: string): (number | null)[] {
  return text
    .replace(/np\.float\d+\(([^)]*)\)/g, '$1')
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(num);
}

function isFinite(value: number | null | undefined): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

function findNonFiniteOnset(epochs: readonly EpochRecord[], starts: readonly number[]): NonFiniteOnset | undefined {
  const index = epochs.findIndex((e) => e.trainLoss === null || e.valLoss === null);
  if (index === -1) return undefined;
  const onset = epochs[index]!;
  const losses = [...(onset.trainLoss === null ? ['train_loss' as const] : []), ...(onset.valLoss === null ? ['val_loss' as const] : [])];
  const previous = epochs.slice(0, index).filter((e) => isFinite(e.trainLoss));
  const last = previous[previous.length - 1];
  const resumedAt = starts.filter((s) => s > 0 && s <= onset.epoch).pop();
  return { epoch: onset.epoch, losses, lastFiniteEpoch: last?.epoch, ...describeBefore(onset, previous, resumedAt), ...(resumedAt === undefined ? {} : { resumedAt }) };
}

/** The changes a person would look for in the epochs just before the losses turned non-finite. */
function describeBefore(onset: EpochRecord, previous: readonly EpochRecord[], resumedAt: number | undefined): Pick<NonFiniteOnset, 'pattern' | 'before'> {
  if (previous.length === 0) {
    return { pattern: 'from-start', before: ['the loss was not finite from the first logged epoch: suspect the data or the setup, not the optimisation'] };
  }
  const notes: string[] = [];
  const window = previous.slice(-5);
  const losses = window.map((e) => e.trainLoss as number);
  const first = losses[0]!;
  const last = losses[losses.length - 1]!;
  const rising = last - first > 0.2;
  if (rising) notes.push(`train_loss rose from ${first} to ${last} in the ${plural(window.length)} before epoch ${onset.epoch}: the optimisation diverged (learning rate, loss customisation)`);
  else notes.push(`train_loss was steady (${first} → ${last}) right before epoch ${onset.epoch}: a sudden NaN points to one bad batch (NaN/Inf voxels, a broken case) or an fp16 overflow`);
  if (resumedAt !== undefined) notes.push(`the training was continued from a checkpoint at epoch ${resumedAt}; check what changed in the data, plans or code at that restart`);
  const lrs = window.map((e) => e.learningRate).filter((lr): lr is number => lr !== undefined);
  if (lrs.length > 1 && lrs[lrs.length - 1]! > lrs[0]!) notes.push(`the learning rate increased (${lrs[0]} → ${lrs[lrs.length - 1]}): a custom schedule`);
  return { pattern: rising ? 'after-rise' : 'sudden', before: notes };
}

function plural(n: number): string {
  return n === 1 ? 'epoch' : `${n} epochs`;
}

/** Epoch durations and whether they grow over the run (I/O or RAM thrash) or shrink (warm-up, compile). */
export function epochTimeSeries(timesS: readonly number[]): EpochTimeSeries | undefined {
  if (timesS.length === 0) return undefined;
  const quarter = Math.max(1, Math.floor(timesS.length / 4));
  // The first epoch includes torch.compile and cuDNN autotuning; leave it out of the early median.
  const early = median(timesS.slice(timesS.length > 4 ? 1 : 0, quarter + (timesS.length > 4 ? 1 : 0)));
  const late = median(timesS.slice(-quarter));
  const trend = timesS.length < 8 ? 'too-short' : late > early * 1.3 ? 'rising' : late < early / 1.3 ? 'falling' : 'flat';
  return {
    count: timesS.length,
    medianS: median(timesS),
    firstS: timesS[0]!,
    lastS: timesS[timesS.length - 1]!,
    earlyMedianS: early,
    lateMedianS: late,
    trend,
  };
}

/** Reads the keys people ask about from the Python dict nnU-Net prints (joined, since pastes hard-wrap it). */
function parseConfiguration(lines: readonly LogLine[]): TrainingConfiguration | undefined {
  const start = lines.findIndex((l) => /Configuration name: /.test(l.text));
  const plansStart = lines.findIndex((l) => /These are the global plan\.json settings/.test(l.text));
  if (start === -1 && plansStart === -1) return undefined;
  const block = (from: number) => (from === -1 ? '' : joinUntilBlank(lines, from));
  const config = block(start);
  const plans = block(plansStart);
  const str = (text: string, key: string) => new RegExp(`'${key}': '([^']*)'`).exec(text)?.[1];
  const list = (text: string, key: string) => new RegExp(`'${key}': \\[([^\\]]*)\\]`).exec(text)?.[1];
  const numbers = (text: string | undefined) => text?.split(',').map((v) => Number(v.trim())).filter((v) => !Number.isNaN(v));
  const strings = (text: string | undefined) => text?.split(',').map((v) => v.trim().replace(/^'|'$/g, '')).filter(Boolean);
  const batch = /'batch_size': (\d+)/.exec(config)?.[1];
  return {
    name: /Configuration name: (\S+)/.exec(config)?.[1],
    dataIdentifier: str(config, 'data_identifier'),
    batchSize: batch === undefined ? undefined : Number(batch),
    patchSize: numbers(list(config, 'patch_size')),
    spacing: numbers(list(config, 'spacing')),
    normalizationSchemes: strings(list(config, 'normalization_schemes')),
    networkClass: str(config, 'network_class_name') ?? str(config, 'UNet_class_name'),
    datasetName: str(plans, 'dataset_name'),
    plansName: str(plans, 'plans_name'),
  };
}

function joinUntilBlank(lines: readonly LogLine[], from: number): string {
  const parts: string[] = [lines[from]!.text];
  for (let j = from + 1; j < lines.length && j < from + 200; j += 1) {
    const text = lines[j]!.text;
    if (text.trim() === '' && parts.length > 1) break;
    parts.push(text);
  }
  return parts.join('');
}
