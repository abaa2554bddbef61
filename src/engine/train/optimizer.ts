import type { GraphBuilder } from '../graph.js';
import { NNUNET_TRAINING } from './schedule.js';

/**
 * clip_grad_norm_(params, 12) then SGD(momentum 0.99, nesterov, weight_decay 3e-5, dampening 0) with
 * PyTorch's semantics, as nodes (training-math.md §6). Momentum buffers start at zero, which equals
 * PyTorch's first-step `buf = d`. Parameters without a gradient pass through untouched (no decay, no
 * momentum), like the zero-weight deep-supervision head in nnU-Net.
 */
export interface ParamUpdate {
  param: string;
  buffer: string;
  grad?: string;
}

export interface OptimizerSpec {
  params: readonly ParamUpdate[];
  /** Scalar float input: the learning rate of this epoch. */
  lr: string;
  /** fp16 mode: the loss scale S; gradients are unscaled by 1/S and a non-finite step is skipped. */
  lossScale?: string;
}

export interface OptimizerOutputs {
  newParams: string[];
  newBuffers: string[];
  /** The gradient norm before clipping (as clip_grad_norm_ returns it), after unscaling. */
  totalNorm: string;
  /** fp16 mode: bool scalar, true when a gradient was Inf/NaN and the step was skipped. */
  foundInf?: string;
}

export function sgdStep(g: GraphBuilder, spec: OptimizerSpec): OptimizerOutputs {
  const { momentum, weightDecay, gradClipNorm } = NNUNET_TRAINING;
  const withGrad = spec.params.filter((p) => p.grad !== undefined);
  if (withGrad.length === 0) throw new Error('no parameter has a gradient');
  // S is a power of two, so multiplying by 1/S unscales exactly (GradScaler.unscale_).
  const invScale = spec.lossScale ? g.reciprocal(spec.lossScale) : undefined;
  const grads = new Map(withGrad.map((p) => [p.param, invScale ? g.mul(p.grad!, invScale) : p.grad!]));
  const totalNorm = g.sqrt(g.sum([...grads.values()].map((d) => g.reduceSumSquare(d, undefined, false))));
  // A sum of squares is non-finite when any element is: one test for every gradient.
  const foundInf = spec.lossScale ? g.or(g.isNaN(totalNorm), g.isInf(totalNorm)) : undefined;
  const coef = g.min([g.div(g.scalar(gradClipNorm), g.add(totalNorm, g.scalar(1e-6))), g.scalar(1)]);
  const mu = g.scalar(momentum);
  const newParams: string[] = [];
  const newBuffers: string[] = [];
  for (const p of spec.params) {
    const grad = grads.get(p.param);
    if (grad === undefined) {
      newParams.push(g.identity(p.param));
      newBuffers.push(g.identity(p.buffer));
      continue;
    }
    const d = g.add(g.mul(grad, coef), g.mul(p.param, g.scalar(weightDecay)));
    const buffer = g.add(g.mul(p.buffer, mu), d);
    const param = g.sub(p.param, g.mul(spec.lr, g.add(d, g.mul(buffer, mu))));
    newParams.push(foundInf ? g.where(foundInf, p.param, param) : param);
    newBuffers.push(foundInf ? g.where(foundInf, p.buffer, buffer) : buffer);
  }
  return { newParams, newBuffers, totalNorm, ...(foundInf ? { foundInf } : {}) };
}
