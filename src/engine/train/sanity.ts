import os from 'node:os';
import { estimateCost } from '../cost.js';
import { initWeights, seededRandom } from '../init.js';
import { preset, type PresetName } from '../presets.js';
import { createSession, quietOrt, type ProviderAttempt, type ProviderName } from '../session.js';
import { buildUNetGraph } from '../unet-graph.js';
import { describeUNet, outputName, type UNetConfig, type UNetDescription } from '../unet.js';
import type { Weights } from '../init.js';
import { normalizeVolume, sampleBatch, type Batch, type CtStatistics, type NormalizationScheme } from './patches.js';
import { polyLr } from './schedule.js';
import { dicePerClass, predictSlidingWindow } from './sliding-window.js';
import { syntheticVolume, type LabelledVolume } from './synthetic.js';
import { Trainer } from './trainer.js';
import { MEASURABLE_DECREASE } from './sanity-fact.js';

/**
 * nnU-Net's debug sequence for `train_loss nan`, run by the doctor: a short training with nnU-Net's loss,
 * optimizer and schedule on the detected hardware; stop at the first non-finite value and say which tensor
 * and why; then a sliding-window prediction of a held-out case and its Dice.
 */
export interface SanityData {
  kind: 'synthetic' | 'dataset';
  name: string;
  /** Training cases, already normalized. */
  training: LabelledVolume[];
  /** A case not trained on, normalized. */
  heldOut: LabelledVolume;
  numClasses: number;
  /** How the user's cases were chosen, normalized and resized (train/prepare.ts). */
  preparation?: string[];
  /** Found in the raw files while loading (NaN/Inf voxel, label out of range): reported before training. */
  problem?: SanityProblem;
}

export interface SanityOptions {
  preset?: PresetName;
  /** A network other than a preset's (tests use smaller ones). */
  network?: UNetConfig;
  steps?: number;
  fp16?: boolean;
  providers?: readonly ProviderName[];
  threads?: number;
  seed?: number;
  data?: SanityData;
  onProgress?(progress: SanityProgress): void;
}

export interface SanityProgress {
  phase: 'training' | 'inference';
  done: number;
  total: number;
  loss?: number;
}

export interface SanityStep {
  step: number;
  loss: number;
  gradNorm: number;
  durationMs: number;
}

export type ProblemKind = 'input' | 'label' | 'activation' | 'loss' | 'gradient';

/** The first thing that went wrong, with the tensor it was found in. */
export interface SanityProblem {
  kind: ProblemKind;
  /** 1-based step; 0 = found before training. */
  step: number;
  tensor: string;
  cause: string;
  detail: string;
  caseIds: string[];
}

export interface SanityResult {
  data: { kind: SanityData['kind']; name: string; trainingCases: number; heldOutCase: string; preparation?: string[] };
  network: { preset: string; patchSize: number[]; batchSize: number; parameterCount: number; numClasses: number };
  provider: ProviderName;
  fallbacks: ProviderAttempt[];
  precision: { requested: 'fp32' | 'fp16'; computed: 'fp32' | 'fp16'; note?: string };
  learningRate: number;
  stepsPlanned: number;
  steps: SanityStep[];
  problem?: SanityProblem;
  loss?: { first: number; last: number; decrease: number; relativeDecrease: number };
  verdict: 'learning' | 'not-learning' | 'non-finite' | 'bad-labels';
  inference?: { caseId: string; tiles: number; finite: boolean; dicePerClass: (number | null)[]; meanDice: number | null; durationMs: number };
  durationMs: number;
}

export const DEFAULT_SANITY_STEPS = 16;

export function syntheticData(patch: readonly number[], channels: number, classes: number, seed: number): SanityData {
  const shape = patch.map((p) => Math.round(p * 1.5));
  const normalize = (v: LabelledVolume) => normalizeVolume(v, 'ZScoreNormalization');
  return {
    kind: 'synthetic',
    name: `synthetic spheres and boxes in noise, ${shape.join('x')}`,
    training: Array.from({ length: 6 }, (_, i) => normalize(syntheticVolume(shape, channels, classes, seed + i))),
    heldOut: normalize(syntheticVolume(shape, channels, classes, seed + 1000)),
    numClasses: classes,
  };
}

/** Normalizes raw cases as nnU-Net's preprocessing would; the last case is held out for inference. */
export function datasetData(name: string, cases: readonly LabelledVolume[], numClasses: number, scheme: NormalizationScheme, ct?: CtStatistics): SanityData {
  if (cases.length < 2) throw new Error(`the sanity run needs at least 2 cases (one held out), ${name} has ${cases.length}`);
  const normalized = cases.map((c) => normalizeVolume(c, scheme, ct));
  return { kind: 'dataset', name, training: normalized.slice(0, -1), heldOut: normalized[normalized.length - 1]!, numClasses };
}

export async function runSanity(options: SanityOptions = {}): Promise<SanityResult> {
  const started = performance.now();
  const presetName = options.preset ?? 'tiny';
  const seed = options.seed ?? 0;
  const stepsPlanned = options.steps ?? DEFAULT_SANITY_STEPS;
  const base = options.network ?? preset(presetName);
  const given = options.data;
  const config = given ? { ...base, inputChannels: given.training[0]!.channels, numClasses: given.numClasses } : base;
  const description = describeUNet(config);
  refuseIfTooLarge(description);
  const data = given ?? syntheticData(base.patchSize, base.inputChannels, base.numClasses, seed);
  const lr = polyLr(0);
  const trainer = await Trainer.create(description, initWeights(description, seed), {
    batchSize: config.batchSize,
    // nnU-Net's plans: batch dice for 2d; for 3d_fullres only when a 3d_lowres exists (the presets have none).
    batchDice: config.dims === 2,
    providers: options.providers,
    intraOpThreads: options.threads,
  });
  const result: SanityResult = {
    data: { kind: data.kind, name: data.name, trainingCases: data.training.length, heldOutCase: data.heldOut.caseId, ...(data.preparation ? { preparation: data.preparation } : {}) },
    network: { preset: options.network?.name ?? presetName, patchSize: config.patchSize, batchSize: config.batchSize, parameterCount: description.parameterCount, numClasses: config.numClasses },
    provider: trainer.provider,
    fallbacks: trainer.fallbacks,
    precision: precisionOf(Boolean(options.fp16), trainer.provider),
    learningRate: lr,
    stepsPlanned,
    steps: [],
    verdict: 'learning',
    durationMs: 0,
  };
  try {
    const early = data.problem ?? findLabelProblem(data);
    if (early) return finish(result, { problem: early, verdict: early.kind === 'label' ? 'bad-labels' : 'non-finite' }, started);
    const random = seededRandom(seed + 17);
    for (let step = 1; step <= stepsPlanned; step++) {
      const batch = sampleBatch(data.training, config.patchSize, config.batchSize, random);
      const out = await trainer.step(batch.input, batch.labels, lr);
      result.steps.push({ step, loss: out.loss, gradNorm: out.gradNorm, durationMs: Math.round(out.durationMs) });
      options.onProgress?.({ phase: 'training', done: step, total: stepsPlanned, loss: out.loss });
      if (!Number.isFinite(out.loss) || !Number.isFinite(out.gradNorm)) {
        const problem = await diagnoseNonFinite(description, trainer, batch, step, out, result.steps, options);
        return finish(result, { problem, verdict: 'non-finite' }, started);
      }
    }
    result.loss = lossDecrease(result.steps);
    result.verdict = result.loss.decrease >= MEASURABLE_DECREASE ? 'learning' : 'not-learning';
    options.onProgress?.({ phase: 'inference', done: 0, total: 1 });
    result.inference = await infer(description, trainer.weights(), data.heldOut, options);
    options.onProgress?.({ phase: 'inference', done: 1, total: 1 });
    return finish(result, {}, started);
  } finally {
    await trainer.release();
  }
}

/** The network does not fit this machine's memory for training: a clear refusal, never an allocation that kills the process. */
export class SanityTooLargeError extends Error {}

function refuseIfTooLarge(description: UNetDescription): void {
  const cost = estimateCost(description);
  // Kept activations and gradient buffers, plus parameters, gradients and momentum, with room for onnxruntime's copies.
  const neededBytes = 1.5 * (cost.trainingActivationBytes + cost.trainingParameterStateBytes);
  const totalBytes = os.totalmem();
  if (neededBytes > 0.8 * totalBytes) {
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    throw new SanityTooLargeError(
      `training ${description.config.name} (patch ${description.config.patchSize.join('x')}, batch ${description.config.batchSize}) needs about ${gib(neededBytes)}, this machine has ${gib(totalBytes)}; use --preset tiny`,
    );
  }
}

function finish(result: SanityResult, extra: Partial<SanityResult>, started: number): SanityResult {
  return { ...result, ...extra, durationMs: Math.round(performance.now() - started) };
}

/** Honest about fp16: the CPU provider upcasts fp16 convolutions silently (dependencies.md §3). */
export function precisionOf(fp16: boolean, provider: ProviderName): SanityResult['precision'] {
  if (!fp16) return { requested: 'fp32', computed: 'fp32' };
  if (provider === 'cpu') {
    return {
      requested: 'fp16',
      computed: 'fp32',
      note: 'the CPU execution provider has no fp16 convolution: onnxruntime inserts casts and computes fp32, so an fp16 run here would only pretend. This run is fp32 and says nothing about fp16 overflow; nnU-Net itself uses AMP only on CUDA.',
    };
  }
  return {
    requested: 'fp16',
    computed: 'fp32',
    note: `fp16 training graphs (casts at the convolutions, dynamic loss scaling) are not built yet for the ${provider} provider; this run is fp32.`,
  };
}

/** OneHot silently zeroes an out-of-range label, so the labels are checked before any step. */
function findLabelProblem(data: SanityData): SanityProblem | undefined {
  for (const volume of data.training) {
    for (const value of volume.labels) {
      if (value < 0 || value >= data.numClasses || !Number.isInteger(value)) {
        return {
          kind: 'label',
          step: 0,
          tensor: 'target',
          cause: 'label out of range',
          detail: `case ${volume.caseId} has label value ${value}, but the network has ${data.numClasses} classes (0..${data.numClasses - 1}); nnU-Net would crash with a CUDA device-side assert or train on garbage`,
          caseIds: [volume.caseId],
        };
      }
    }
  }
  return undefined;
}

async function diagnoseNonFinite(
  description: UNetDescription,
  trainer: Trainer,
  batch: Batch,
  step: number,
  out: { loss: number; gradNorm: number },
  history: readonly SanityStep[],
  options: SanityOptions,
): Promise<SanityProblem> {
  const badInput = firstNonFinite(batch.input);
  if (badInput !== undefined) {
    const perSample = batch.input.length / batch.caseIds.length;
    const caseId = batch.caseIds[Math.floor(badInput.index / perSample)]!;
    return {
      kind: 'input',
      step,
      tensor: description.input.name,
      cause: 'the input already contained NaN/Inf',
      detail: `the batch from case ${caseId} holds ${badInput.value} before the network sees it; a single NaN voxel makes the case's z-score mean NaN and spreads to every voxel. Replace NaN/Inf in the image files (nnU-Net checks NaN only with --verify_dataset_integrity, and never Inf).`,
      caseIds: [caseId],
    };
  }
  const activation = await firstNonFiniteActivation(description, trainer.weightsBeforeLastStep(), batch, options);
  const grew = history.length > 2 && history[history.length - 2]!.gradNorm > 100 * history[0]!.gradNorm;
  const likely = options.fp16 ? 'fp16 overflow (a value above 65504)' : grew ? 'exploding gradients: the gradient norm grew by more than 100x before this step' : 'exploding activations or gradients';
  if (activation) {
    return { kind: 'activation', step, tensor: activation, cause: likely, detail: `the first non-finite activation in forward order is ${activation}`, caseIds: batch.caseIds };
  }
  if (!Number.isFinite(out.loss)) {
    return { kind: 'loss', step, tensor: 'loss', cause: 'the loss became non-finite with finite logits', detail: `loss ${out.loss}`, caseIds: batch.caseIds };
  }
  return { kind: 'gradient', step, tensor: 'grad_norm', cause: likely, detail: `the loss is finite (${out.loss.toFixed(4)}) but the gradient norm is ${out.gradNorm}`, caseIds: batch.caseIds };
}

function firstNonFinite(values: Float32Array): { index: number; value: number } | undefined {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return { index: i, value: values[i]! };
  return undefined;
}

/** Reruns the forward with every intermediate tensor as an output and names the first non-finite one. */
async function firstNonFiniteActivation(description: UNetDescription, weights: Weights, batch: Batch, options: SanityOptions): Promise<string | undefined> {
  const batchSize = batch.caseIds.length;
  const { builder: g } = buildUNetGraph(description, { weights, batch: batchSize });
  for (const op of description.ops) if (!description.outputs.some((o) => o.tensor === op.output)) g.output(op.output);
  const { session } = await createSession(g.toBytes(), { providers: options.providers, intraOpThreads: options.threads });
  try {
    const T = quietOrt().Tensor;
    const out = await session.run({ [description.input.name]: new T('float32', batch.input, [batchSize, ...description.input.shape]) });
    const outputFor = (tensor: string) => {
      const o = description.outputs.find((x) => x.tensor === tensor);
      return out[o ? outputName(o.scale) : tensor];
    };
    for (const op of description.ops) {
      const t = outputFor(op.output);
      if (t && firstNonFinite(t.data as Float32Array)) return op.output;
    }
    return undefined;
  } finally {
    await session.release();
  }
}

export function lossDecrease(steps: readonly SanityStep[]): NonNullable<SanityResult['loss']> {
  const window = Math.max(1, Math.min(3, Math.floor(steps.length / 3)));
  const mean = (xs: readonly SanityStep[]) => xs.reduce((a, s) => a + s.loss, 0) / xs.length;
  const first = mean(steps.slice(0, window));
  const last = mean(steps.slice(-window));
  const decrease = first - last;
  return { first, last, decrease, relativeDecrease: first === 0 ? 0 : decrease / Math.abs(first) };
}

async function infer(description: UNetDescription, weights: Weights, volume: LabelledVolume, options: SanityOptions): Promise<NonNullable<SanityResult['inference']>> {
  const started = performance.now();
  const { builder, outputNames } = buildUNetGraph(description, { weights, batch: 1 });
  const { session } = await createSession(builder.toBytes(), { providers: options.providers, intraOpThreads: options.threads });
  const T = quietOrt().Tensor;
  const patch = description.config.patchSize;
  try {
    const prediction = await predictSlidingWindow({
      image: volume.image,
      channels: volume.channels,
      shape: volume.shape,
      patch,
      classes: description.config.numClasses,
      predictTile: async (tile) => {
        const out = await session.run({ [description.input.name]: new T('float32', tile, [1, volume.channels, ...patch]) });
        return out[outputNames[0]!]!.data as Float32Array;
      },
    });
    const dice = dicePerClass(prediction.labels, volume.labels, description.config.numClasses);
    const present = dice.filter((d) => !Number.isNaN(d));
    return {
      caseId: volume.caseId,
      tiles: prediction.tiles,
      finite: prediction.finite,
      dicePerClass: dice.map((d) => (Number.isNaN(d) ? null : round(d))),
      meanDice: present.length ? round(present.reduce((a, b) => a + b, 0) / present.length) : null,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await session.release();
  }
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
