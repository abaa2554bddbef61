import type { GraphBuilder } from '../graph.js';
import { NNUNET_TRAINING } from './schedule.js';

/**
 * clip_grad_norm_(params, 12) then SGD(momentum 0.99, nesterov, weight_decay 3e-5, dampening 0) with
 * PyTorch's semantics, as nodes (training-math.md §6). Momentum buffers start at zero, which equals
 * PyTorch's first-step `buf = d`. Only parameters with a gradient take part: one without (the zero-weight
 * deep-supervision head in nnU-Net) gets no decay and no momentum, so the caller leaves it out.
 *
 * Parameters and buffers are flat vectors and the update runs once over them: per-tensor chains were ~700
 * nodes and 10-12 ms of the tiny preset's step, mostly per-node overhead (bench/train-profile.ts).
 */
export interface OptimizerSpec {
  /** Flat float [P] tensor: the parameters, concatenated in the order of `grads`. */
  params: string;
  /** Flat float [P] tensor: their momentum buffers, in the same layout. */
  buffers: string;
  /** The gradient of each parameter (any shape), in layout order. */
  grads: readonly string[];
  /** Scalar float input: the learning rate of this epoch. */
  lr: string;
  /** fp16 mode: the loss scale S; gradients are unscaled by 1/S and a non-finite step is skipped. */
  lossScale?: string;
}

export interface OptimizerOutputs {
  /** Flat [P]: the updated parameters and buffers (unchanged when a loss-scaled step is skipped). */
  newParams: string;
  newBuffers: string;
  /** The gradient norm before clipping (as clip_grad_norm_ returns it), after unscaling. */
  totalNorm: string;
  /** fp16 mode: bool scalar, true when a gradient was Inf/NaN and the step was skipped. */
  foundInf?: string;
}

export function sgdStep(g: GraphBuilder, spec: OptimizerSpec): OptimizerOutputs {
  const { momentum, weightDecay, gradClipNorm } = NNUNET_TRAINING;
  if (spec.grads.length === 0) throw new Error('no parameter has a gradient');
  const rawGrads = g.concat(spec.grads.map((t) => g.reshape(t, [-1])), 0);
  // S is a power of two, so multiplying by 1/S unscales exactly (GradScaler.unscale_).
  const grads = spec.lossScale ? g.mul(rawGrads, g.reciprocal(spec.lossScale)) : rawGrads;
  const totalNorm = g.sqrt(g.reduceSumSquare(grads, undefined, false));
  // A sum of squares is non-finite when any element is: one test for every gradient.
  const foundInf = spec.lossScale ? g.or(g.isNaN(totalNorm), g.isInf(totalNorm)) : undefined;
  const coef = g.min([g.div(g.scalar(gradClipNorm), g.add(totalNorm, g.scalar(1e-6))), g.scalar(1)]);
  const mu = g.scalar(momentum);
  const d = g.add(g.mul(grads, coef), g.mul(spec.params, g.scalar(weightDecay)));
  const buffer = g.add(g.mul(spec.buffers, mu), d);
  const param = g.sub(spec.params, g.mul(spec.lr, g.add(d, g.mul(buffer, mu))));
  const kept = (updated: string, old: string) => (foundInf ? g.where(foundInf, old, updated) : updated);
  return { newParams: kept(param, spec.params), newBuffers: kept(buffer, spec.buffers), totalNorm, ...(foundInf ? { foundInf } : {}) };
}
