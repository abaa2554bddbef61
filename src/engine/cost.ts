/**
 * Analytic work and memory of a described U-Net, per batch. FLOPs count a multiply-add as 2. Convolution
 * FLOPs are what an FMA unit can do and what GFLOP/s and share-of-peak refer to; the element-wise ops
 * (InstanceNorm, LeakyReLU) are memory-bound and counted apart.
 */
import type { UNetDescription, UNetOp } from './unet.js';
import { product } from '../util/math.js';

export const FLOAT32_BYTES = 4;
/** Element-wise FLOPs per output element: InstanceNorm (mean, centre, square, mean, rsqrt-scale, affine). */
const NORM_FLOPS_PER_ELEMENT = 7;

export interface CostEstimate {
  batch: number;
  voxelsPerBatch: number;
  parameterCount: number;
  parameterBytes: number;
  forward: { convFlops: number; elementwiseFlops: number };
  /** Forward + backward (dX for every conv but the first, dW for all) + SGD update. */
  trainingStep: { convFlops: number; elementwiseFlops: number };
  /** Peak of live activations during inference, as a buffer-reusing planner (ORT's) reaches it. */
  inferencePeakActivationBytes: number;
  /** Activations a training step keeps for the backward, plus the largest gradient buffers. */
  trainingActivationBytes: number;
  /** Weights, gradients and SGD momentum. */
  trainingParameterStateBytes: number;
}


export function convFlopsOf(op: UNetOp): number {
  if (op.kind === 'conv') return 2 * op.inShape[0]! * product(op.kernel) * product(op.outShape);
  if (op.kind === 'convTranspose') return 2 * op.inShape[0]! * product(op.kernel) * product(op.outShape);
  return 0;
}

function elementwiseFlopsOf(op: UNetOp): number {
  if (op.kind === 'instanceNorm') return NORM_FLOPS_PER_ELEMENT * product(op.outShape);
  if (op.kind === 'leakyRelu') return product(op.outShape);
  return 0;
}

export function estimateCost(description: UNetDescription, batch = description.config.batchSize): CostEstimate {
  const { ops } = description;
  const convFlops = ops.reduce((s, op) => s + convFlopsOf(op), 0) * batch;
  const elementwiseFlops = ops.reduce((s, op) => s + elementwiseFlopsOf(op), 0) * batch;
  // The first conv needs no input gradient (nothing wants the image's), every conv needs its weight gradient.
  const first = ops.find((op) => op.kind === 'conv');
  const firstFlops = first ? convFlopsOf(first) * batch : 0;
  const paramCount = description.parameterCount;
  const tensorBytes = (shape: readonly number[]) => product(shape) * batch * FLOAT32_BYTES;

  // Training keeps each conv/transposed-conv output (the norm's input), the norm output (LeakyReLU runs
  // in place over it, as nnU-Net's does), each concat and each head's logits and softmax.
  let kept = tensorBytes(description.input.shape);
  let largest = 0;
  for (const op of ops) {
    const bytes = tensorBytes(op.outShape);
    largest = Math.max(largest, bytes);
    if (op.kind === 'leakyRelu') continue;
    kept += op.kind === 'conv' && op.role === 'seg' ? 2 * bytes : bytes;
  }
  return {
    batch,
    voxelsPerBatch: product(description.config.patchSize) * batch,
    parameterCount: paramCount,
    parameterBytes: paramCount * FLOAT32_BYTES,
    forward: { convFlops, elementwiseFlops },
    trainingStep: {
      convFlops: 3 * convFlops - firstFlops,
      elementwiseFlops: 3 * elementwiseFlops + 3 * 2 * paramCount,
    },
    inferencePeakActivationBytes: peakLiveBytes(description, batch),
    trainingActivationBytes: kept + 3 * largest,
    trainingParameterStateBytes: 3 * paramCount * FLOAT32_BYTES,
  };
}

/** Simulates tensor lifetimes over the op order: a tensor lives from its op to its last consumer. */
function peakLiveBytes(description: UNetDescription, batch: number): number {
  const { ops } = description;
  const lastUse = new Map<string, number>();
  ops.forEach((op, i) => {
    for (const input of op.kind === 'concat' ? op.inputs : [op.input]) lastUse.set(input, i);
  });
  const outputs = new Set(description.outputs.map((o) => o.tensor));
  const size = new Map<string, number>([[description.input.name, product(description.input.shape) * batch * FLOAT32_BYTES]]);
  let live = size.get(description.input.name)!;
  let peak = live;
  ops.forEach((op, i) => {
    const bytes = product(op.outShape) * batch * FLOAT32_BYTES;
    size.set(op.output, bytes);
    live += bytes;
    peak = Math.max(peak, live);
    for (const [tensor, last] of lastUse) {
      if (last === i && !outputs.has(tensor)) live -= size.get(tensor) ?? 0;
    }
  });
  return peak;
}

export interface MemoryVerdict {
  fits: boolean;
  neededBytes: number;
  availableBytes: number;
  what: string;
}

/** Whether running the benchmark graph (weights, serialised model copy, live activations, inputs) fits. */
export function inferenceMemoryNeed(cost: CostEstimate): number {
  // Weights live in the serialised model, in ORT's initializers and in prepacked conv weights.
  return 3 * cost.parameterBytes + cost.inferencePeakActivationBytes + cost.voxelsPerBatch * FLOAT32_BYTES;
}

export function checkMemory(cost: CostEstimate, availableBytes: number, headroom = 0.8): MemoryVerdict {
  const neededBytes = inferenceMemoryNeed(cost);
  return { fits: neededBytes <= availableBytes * headroom, neededBytes, availableBytes, what: 'weights and peak activations of one forward pass' };
}
