import type { GraphBuilder } from '../graph.js';
import { NNUNET_TRAINING } from './schedule.js';
import { product } from '../../util/math.js';

/**
 * nnU-Net's DC_and_CE_loss for one output (nnunetv2/training/loss/compound_losses.py, dice.py
 * MemoryEfficientSoftDiceLoss with do_bg=False, smooth 1e-5; CE weight 1, Dice weight 1), emitted as ONNX
 * nodes together with its analytic gradient with respect to the logits (training-math.md §3).
 */
export interface OutputLoss {
  /** Scalar loss of this output (CE + Dice, unweighted). */
  loss: string;
  /** d(weight * loss)/d(logits), times the seed `weight` tensor. */
  dLogits: string;
}

export interface OutputLossSpec {
  logits: string;
  /** [N, C, ...spatial] of the logits. */
  shape: readonly number[];
  /** int64 labels [N, 1, ...spatial] at this output's resolution. */
  labels: string;
  batchDice: boolean;
  /** Scalar tensor the gradient is multiplied by: the DS weight (times the loss scale in fp16 mode). */
  seed: string;
}

export function outputLoss(g: GraphBuilder, spec: OutputLossSpec): OutputLoss {
  const [n, classes, ...spatial] = spec.shape as [number, number, ...number[]];
  const rank = spec.shape.length;
  const spatialAxes = Array.from({ length: rank - 2 }, (_, i) => i + 2);
  const diceAxes = spec.batchDice ? [0, ...spatialAxes] : spatialAxes;
  const voxels = n * product(spatial);
  const foregroundClasses = spec.batchDice ? classes - 1 : n * (classes - 1);
  const smooth = NNUNET_TRAINING.diceSmooth;

  // Both by hand: onnxruntime's OneHot and its LogSoftmax over the channel axis (it transposes the channel
  // axis last and back) took 7 of the loss's 9 ms on the tiny preset (bench/train-profile.ts).
  const classIds = g.constI64(Array.from({ length: classes }, (_, c) => c), [1, classes, ...spatialAxes.map(() => 1)]);
  const onehot = g.cast(g.equal(spec.labels, classIds), 'float32');
  const shifted = g.sub(spec.logits, g.reduceMax(spec.logits, [1], true));
  const exps = g.exp(shifted);
  const expSum = g.reduceSum(exps, [1], true);
  const logProbs = g.sub(shifted, g.log(expSum));
  const probs = g.div(exps, expSum);
  const ce = g.div(g.neg(g.reduceSum(g.mul(onehot, logProbs), undefined, false)), g.scalar(voxels));

  const intersect = g.reduceSum(g.mul(probs, onehot), diceAxes, true);
  const sumPred = g.reduceSum(probs, diceAxes, true);
  const sumGt = g.reduceSum(onehot, diceAxes, true);
  // nnU-Net clips the denominator at 1e-8; with smooth 1e-5 added it never binds, so its derivative is 1.
  const den = g.max([g.add(g.add(sumPred, sumGt), g.scalar(smooth)), g.scalar(1e-8)]);
  const dc = g.div(g.add(g.mul(intersect, g.scalar(2)), g.scalar(smooth)), den);
  const fg = g.constF32(Array.from({ length: classes }, (_, c) => (c === 0 ? 0 : 1)), [1, classes, ...spatialAxes.map(() => 1)]);
  const dice = g.div(g.neg(g.reduceSum(g.mul(fg, dc), undefined, false)), g.scalar(foregroundClasses));
  const loss = g.add(ce, dice);

  // Background is left out of the Dice value only: its logit still gets Dice gradient through the softmax.
  const dCe = g.div(g.sub(probs, onehot), g.scalar(voxels));
  const dProbs = g.mul(g.neg(fg), g.div(g.sub(g.mul(onehot, g.scalar(2)), dc), g.mul(den, g.scalar(foregroundClasses))));
  const dDice = g.mul(probs, g.sub(dProbs, g.reduceSum(g.mul(probs, dProbs), [1], true)));
  return { loss, dLogits: g.mul(g.add(dCe, dDice), spec.seed) };
}

/**
 * The label map at a deep-supervision scale: nearest-exact picks the centred source voxel f*j + floor(f/2)
 * (batchgeneratorsv2 DownsampleSegForDSTransform), always from the full-resolution labels.
 */
export function downsampleLabels(g: GraphBuilder, labels: string, factor: readonly number[]): string {
  if (factor.every((f) => f === 1)) return labels;
  const axes = factor.map((_, i) => i + 2);
  return g.slice(labels, factor.map((f) => Math.floor(f / 2)), factor.map(() => Infinity), axes, factor);
}

/** Per-output factors: the cumulative product of the strides up to that scale (scale 0 = full resolution). */
export function deepSupervisionFactors(strides: readonly (readonly number[])[], outputs: number): number[][] {
  const factors: number[][] = [];
  let current = strides[0]!.map(() => 1);
  for (let i = 0; i < outputs; i++) {
    current = current.map((f, a) => f * strides[i]![a]!);
    factors.push(current);
  }
  return factors;
}
