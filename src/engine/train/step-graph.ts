import { buildUNetGraph } from '../unet-graph.js';
import type { UNetDescription } from '../unet.js';
import { backward } from './autodiff.js';
import { deepSupervisionFactors, downsampleLabels, outputLoss } from './loss.js';
import { sgdStep } from './optimizer.js';
import { deepSupervisionWeights } from './schedule.js';
import { ShapeTable } from './shapes.js';
import { product } from '../../util/math.js';

/**
 * One nnU-Net training step as a single ONNX inference graph: forward, DC+CE loss with deep supervision,
 * reverse-mode backward, gradient clipping and SGD. Parameters and momentum buffers are graph inputs and
 * their updated values graph outputs, so the caller keeps them between steps.
 */
export interface TrainingStepOptions {
  batchSize: number;
  /** plans.batch_dice: always true for 2d; for 3d_fullres only when a 3d_lowres exists. */
  batchDice: boolean;
  /** Adds a `loss_scale` input, unscales by it and skips non-finite steps (GradScaler). */
  lossScaling?: boolean;
  /** Also output each raw gradient as `<param>.grad` (tests compare them with PyTorch). */
  gradientOutputs?: boolean;
}

export interface StepParam {
  name: string;
  shape: number[];
  /**
   * Where its values sit in the flat parameter and momentum vectors. Undefined for the zero-weight
   * deep-supervision head: PyTorch gives it no gradient, so the step leaves it unchanged.
   */
  offset?: number;
}

/**
 * The parameters that have gradients, as flat float32 vectors of `size` values: inputs (the parameters,
 * which must hold the same values as their per-parameter inputs, and their momentum) and outputs (both
 * updated). One vector in and out per step instead of a tensor per parameter keeps the optimizer to a
 * dozen nodes; the caller can back the per-parameter inputs with views of the flat one.
 */
export interface FlatState {
  size: number;
  params: string;
  momentum: string;
  newParams: string;
  newMomentum: string;
}

export interface TrainingStepGraph {
  model: Uint8Array;
  inputName: string;
  /** [N, C, ...patch] */
  inputShape: number[];
  /** int64 labels [N, 1, ...patch]. */
  labelsName: string;
  labelsShape: number[];
  /** Scalar float32: this epoch's learning rate. */
  lrName: string;
  lossScaleName?: string;
  lossName: string;
  gradNormName: string;
  foundInfName?: string;
  /** Per used output: its DS weight and the output name of its unweighted loss. */
  outputLosses: { scale: number; weight: number; name: string }[];
  /** Every parameter, each also a graph input of its own name (the forward reads those). */
  params: StepParam[];
  flat: FlatState;
  dsWeights: number[];
  dsFactors: number[][];
  nodeCount: number;
  /** Index of the first node of each phase (the forward starts at 0), for per-phase profiles. */
  phaseStarts: { loss: number; backward: number; optimizer: number };
}

export function dsWeightsFor(description: UNetDescription): number[] {
  return description.config.deepSupervision ? deepSupervisionWeights(description.outputs.length) : [1];
}

export function buildTrainingStep(description: UNetDescription, options: TrainingStepOptions): TrainingStepGraph {
  const { builder: g, inputName } = buildUNetGraph(description, { weights: 'inputs', batch: options.batchSize });
  const forward = g.nodesSince(0);
  const shapes = new ShapeTable(g);
  shapes.infer(forward);

  const patch = description.config.patchSize;
  const labels = g.input('target', 'int64', [options.batchSize, 1, ...patch]);
  const lr = g.input('lr', 'float32', []);
  const lossScale = options.lossScaling ? g.input('loss_scale', 'float32', []) : undefined;
  const dsWeights = dsWeightsFor(description);
  const dsFactors = deepSupervisionFactors(description.config.strides, dsWeights.length);

  const lossStart = g.nodeCount;
  const seeds = new Map<string, string>();
  const weightedLosses: string[] = [];
  const outputLosses: TrainingStepGraph['outputLosses'] = [];
  for (const out of description.outputs) {
    const weight = dsWeights[out.scale]!;
    // nnU-Net's DeepSupervisionWrapper skips zero-weight outputs entirely: that head gets no gradient.
    if (weight === 0) continue;
    const seed = lossScale ? g.mul(g.scalar(weight), lossScale) : g.scalar(weight);
    const { loss, dLogits } = outputLoss(g, {
      logits: out.tensor,
      shape: [options.batchSize, ...out.shape],
      labels: downsampleLabels(g, labels, dsFactors[out.scale]!),
      batchDice: options.batchDice,
      seed,
    });
    seeds.set(out.tensor, dLogits);
    weightedLosses.push(g.mul(loss, g.scalar(weight)));
    outputLosses.push({ scale: out.scale, weight, name: g.output(loss, { as: `loss_${out.scale}` }) });
  }

  const paramNames = description.params.map((p) => p.name);
  const backwardStart = g.nodeCount;
  const grads = backward({ g, nodes: forward, shapes, seeds, wrt: paramNames });
  if (options.gradientOutputs) for (const [name, grad] of grads) g.output(grad, { as: `${name}.grad` });
  const offsets = new Map<string, number>();
  let size = 0;
  for (const p of description.params.filter((q) => grads.has(q.name))) {
    offsets.set(p.name, size);
    size += product(p.shape);
  }
  const flatParams = g.input('params', 'float32', [size]);
  const flatMomentum = g.input('momentum', 'float32', [size]);
  const optimizerStart = g.nodeCount;
  const step = sgdStep(g, { params: flatParams, buffers: flatMomentum, grads: [...offsets.keys()].map((name) => grads.get(name)!), lr, lossScale });
  const params: StepParam[] = description.params.map((p) => ({ name: p.name, shape: p.shape, ...(offsets.has(p.name) ? { offset: offsets.get(p.name)! } : {}) }));
  const flat: FlatState = {
    size,
    params: flatParams,
    momentum: flatMomentum,
    newParams: g.output(step.newParams, { as: 'params.new' }),
    newMomentum: g.output(step.newBuffers, { as: 'momentum.new' }),
  };
  const lossName = g.output(g.sum(weightedLosses), { as: 'loss' });
  const gradNormName = g.output(step.totalNorm, { as: 'grad_norm' });
  const foundInfName = step.foundInf ? g.output(step.foundInf, { as: 'found_inf', dtype: 'bool' }) : undefined;
  return {
    model: g.toBytes(),
    inputName,
    inputShape: [options.batchSize, ...description.input.shape],
    labelsName: labels,
    labelsShape: [options.batchSize, 1, ...patch],
    lrName: lr,
    ...(lossScale ? { lossScaleName: lossScale } : {}),
    lossName,
    gradNormName,
    ...(foundInfName ? { foundInfName } : {}),
    outputLosses,
    params,
    flat,
    dsWeights,
    dsFactors,
    nodeCount: g.nodeCount,
    phaseStarts: { loss: lossStart, backward: backwardStart, optimizer: optimizerStart },
  };
}
