import type { GraphBuilder, NodeView } from '../graph.js';
import { convGeometry, type ShapeTable } from './shapes.js';

/**
 * Reverse-mode differentiation over a GraphBuilder's nodes: walks the forward nodes backwards and emits,
 * for each, the ONNX nodes of its gradient into the same graph (training-math.md §2). Gradients of a tensor
 * used twice are summed. Only tensors that depend on a `wrt` tensor get gradients, so the image's gradient
 * (the first conv's dX) is never computed. An op without a rule is an explicit error.
 */
export interface BackwardRequest {
  g: GraphBuilder;
  /** The forward nodes, in the order they were emitted. */
  nodes: readonly NodeView[];
  shapes: ShapeTable;
  /** Gradient tensors of the outputs the backward starts from (e.g. the loss gradient of the logits). */
  seeds: ReadonlyMap<string, string>;
  /** The tensors whose gradients are wanted (parameters). */
  wrt: readonly string[];
}

/** Gradient tensor per `wrt` entry; absent where the seeds do not depend on it (PyTorch's `grad is None`). */
export type Gradients = Map<string, string>;

interface RuleContext {
  g: GraphBuilder;
  node: NodeView;
  shapes: ShapeTable;
  /** Gradient of each output, or undefined where no gradient flows into it. */
  dOut: (string | undefined)[];
  /** Whether input i needs a gradient. */
  wants: boolean[];
}

/** Returns the gradient of each input (undefined where not wanted or zero). */
type GradientRule = (ctx: RuleContext) => (string | undefined)[];

export function backward(request: BackwardRequest): Gradients {
  const { g, nodes, shapes, seeds, wrt } = request;
  const dependsOnWrt = new Set(wrt);
  for (const node of nodes) {
    if (node.inputs.some((i) => dependsOnWrt.has(i))) for (const o of node.outputs) dependsOnWrt.add(o);
  }
  const pending = new Map<string, string[]>();
  const contribute = (tensor: string, grad: string) => pending.set(tensor, [...(pending.get(tensor) ?? []), grad]);
  for (const [tensor, grad] of seeds) contribute(tensor, grad);
  /** The summed gradient of a tensor, once all its consumers have contributed. */
  const take = (tensor: string): string | undefined => {
    const parts = pending.get(tensor);
    if (!parts) return undefined;
    const total = g.sum(parts);
    pending.set(tensor, [total]);
    return total;
  };

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    const dOut = node.outputs.map(take);
    if (dOut.every((d) => d === undefined)) continue;
    const wants = node.inputs.map((input) => input !== '' && dependsOnWrt.has(input));
    if (!wants.some(Boolean)) continue;
    const rule = RULES[node.opType];
    if (!rule) throw new Error(`no gradient rule for ONNX op ${node.opType} (node output ${node.outputs[0]})`);
    const dIn = rule({ g, node, shapes, dOut, wants });
    node.inputs.forEach((input, k) => {
      const d = dIn[k];
      if (d !== undefined && wants[k]) contribute(input, d);
    });
  }
  const grads: Gradients = new Map();
  for (const name of wrt) {
    const d = take(name);
    if (d !== undefined) grads.set(name, d);
  }
  return grads;
}

export function supportedOps(): string[] {
  return Object.keys(RULES).sort();
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const spatialAxes = (rank: number) => range(2, rank);
const batchSpatialAxes = (rank: number) => [0, ...range(2, rank)];
const swapBatchChannel = (rank: number) => [1, 0, ...range(2, rank)];

/** A per-channel vector [C] as [1, C, 1, ...] so it broadcasts over channels, not the last axis. */
export function perChannel(g: GraphBuilder, vector: string, rank: number): string {
  return g.unsqueeze(vector, [0, ...range(2, rank)]);
}

/** Sums a broadcast gradient back to the shape of the operand it came from. */
function unbroadcast(g: GraphBuilder, grad: string, gradShape: readonly number[], to: readonly number[]): string {
  const lead = gradShape.length - to.length;
  const axes = gradShape.map((_, i) => i).filter((i) => i < lead || (to[i - lead] === 1 && gradShape[i] !== 1));
  if (axes.length === 0) return grad;
  const summed = g.reduceSum(grad, axes, true);
  return lead > 0 ? g.reshape(summed, [...to]) : summed;
}

function conv({ g, node, shapes, dOut, wants }: RuleContext): (string | undefined)[] {
  const [x, w, b] = node.inputs as [string, string, string | undefined];
  const dY = dOut[0]!;
  const xShape = shapes.get(x);
  const wShape = shapes.get(w);
  const yShape = shapes.get(node.outputs[0]!);
  const rank = xShape.length;
  const geo = convGeometry(node, wShape.slice(2));
  if (geo.group !== 1 || geo.dilations.some((d) => d !== 1)) throw new Error('no gradient rule for grouped or dilated Conv');
  const r = rank - 2;
  const result: (string | undefined)[] = [undefined, undefined, undefined];
  if (b && wants[2]) result[2] = g.reduceSum(dY, batchSpatialAxes(rank), false);
  const pointwise = geo.kernel.every((k) => k === 1) && geo.strides.every((s) => s === 1) && geo.pads.every((p) => p === 0);
  const unitStride = geo.strides.every((st) => st === 1);
  if (wants[0]) {
    if (unitStride && geo.kernel.every((k, i) => geo.pads[i]! < k && geo.pads[i + r]! < k)) {
      // Stride 1: a conv with the flipped, transposed kernel; onnxruntime's ConvTranspose is several
      // times slower than its Conv for the same work (measured in bench:train's profile).
      const flipped = g.slice(w, geo.kernel.map(() => -1), geo.kernel.map((k) => -(k + 1)), spatialAxes(rank), geo.kernel.map(() => -1));
      const pads = geo.pads.map((p, i) => geo.kernel[i % r]! - 1 - p);
      result[0] = g.conv(dY, g.transpose(flipped, swapBatchChannel(rank)), undefined, { kernel: geo.kernel, pads });
    } else {
      // The size lost to the floor of a strided conv comes back as output_padding (training-math §2.1).
      const outputPadding = xShape.slice(2).map((size, i) => (size + geo.pads[i]! + geo.pads[i + r]! - geo.kernel[i]!) % geo.strides[i]!);
      result[0] = g.convTranspose(dY, w, undefined, { kernel: geo.kernel, strides: geo.strides, pads: geo.pads, outputPadding });
    }
  }
  if (wants[1]) {
    if (pointwise) {
      // 1x1 seg head: a GEMM per sample over its voxels (onnxruntime fuses the transpose into the MatMul).
      const [cout, cin] = wShape as [number, number];
      const n = xShape[0]!;
      const perSample = g.matMul(g.reshape(dY, [n, cout, -1]), g.transpose(g.reshape(x, [n, cin, -1]), [0, 2, 1]));
      result[1] = g.reshape(g.reduceSum(perSample, [0], false), wShape);
    } else if (unitStride) {
      result[1] = convWeightGradFlat(g, x, dY, xShape, yShape, wShape, geo);
    } else {
      // Strided (downsampling) convs: the batch becomes the channel axis and dY the weight of a conv
      // dilated by the stride (training-math §2.1).
      const raw = g.conv(g.transpose(x, swapBatchChannel(rank)), g.transpose(dY, swapBatchChannel(rank)), undefined, {
        kernel: yShape.slice(2),
        pads: geo.pads,
        dilations: geo.strides,
      });
      const tapsPerAxis = xShape.slice(2).map((size, i) => size + geo.pads[i]! + geo.pads[i + r]! - geo.strides[i]! * (yShape[i + 2]! - 1));
      const sliced = tapsPerAxis.some((t, i) => t !== geo.kernel[i]) ? g.slice(raw, geo.kernel.map(() => 0), geo.kernel, spatialAxes(rank)) : raw;
      result[1] = g.transpose(sliced, swapBatchChannel(rank));
    }
  }
  return result;
}

/**
 * Weight gradient of a stride-1 conv without im2col: dW[co, ci, t] = sum over (n, y) of
 * dY[n, co, y] * Xpad[n, ci, y + t]. On the flattened padded grid a kernel tap is a constant offset, so
 * each tap is one contiguous slice of X and one small GEMM against dY embedded in the same grid (zeros
 * where no output exists). Memory stays at one copy of X; measured several times faster on the CPU
 * provider than a conv with a dY-sized kernel.
 */
function convWeightGradFlat(
  g: GraphBuilder,
  x: string,
  dY: string,
  xShape: readonly number[],
  yShape: readonly number[],
  wShape: readonly number[],
  geo: ReturnType<typeof convGeometry>,
): string {
  const rank = xShape.length;
  const r = rank - 2;
  const [n, cin] = xShape as [number, number];
  const cout = wShape[0]!;
  const grid = xShape.slice(2).map((size, i) => size + geo.pads[i]! + geo.pads[i + r]!);
  const gridVoxels = n * grid.reduce((a, d) => a * d, 1);
  const axisStride = grid.map((_, i) => grid.slice(i + 1).reduce((a, d) => a * d, 1));
  const taps = geo.kernel.reduce<number[][]>((acc, k) => acc.flatMap((prefix) => range(0, k).map((t) => [...prefix, t])), [[]]);
  const offsets = taps.map((tap) => tap.reduce((sum, t, i) => sum + t * axisStride[i]!, 0));
  const maxOffset = Math.max(...offsets);
  const zeros = (count: number) => Array<number>(count).fill(0);
  const padded = geo.pads.some((p) => p > 0) ? g.pad(x, [0, 0, ...geo.pads.slice(0, r), 0, 0, ...geo.pads.slice(r)]) : x;
  const xFlat = g.pad(g.reshape(g.transpose(padded, swapBatchChannel(rank)), [cin, gridVoxels]), [0, 0, 0, maxOffset]);
  const dyGrid = g.pad(dY, [...zeros(rank), 0, 0, ...grid.map((size, i) => size - yShape[i + 2]!)]);
  const dyFlat = g.reshape(g.transpose(dyGrid, swapBatchChannel(rank)), [cout, gridVoxels]);
  const perTap = offsets.map((o) => g.gemm(dyFlat, g.slice(xFlat, [o], [o + gridVoxels], [1]), undefined, { transB: true }));
  const stacked = g.reshape(g.concat(perTap, 1), [cout, taps.length, cin]);
  return g.reshape(g.transpose(stacked, [0, 2, 1]), wShape);
}

function convTranspose({ g, node, shapes, dOut, wants }: RuleContext): (string | undefined)[] {
  const [x, w, b] = node.inputs as [string, string, string | undefined];
  const dU = dOut[0]!;
  const xShape = shapes.get(x);
  const wShape = shapes.get(w);
  const rank = xShape.length;
  const geo = convGeometry(node, wShape.slice(2));
  const upsampling = geo.kernel.every((k, i) => k === geo.strides[i]) && geo.pads.every((p) => p === 0) && geo.group === 1 && geo.dilations.every((d) => d === 1) && geo.outputPadding.every((p) => p === 0);
  if (!upsampling) throw new Error('the ConvTranspose gradient rule covers kernel = stride without padding (nnU-Net upsampling) only');
  const result: (string | undefined)[] = [undefined, undefined, undefined];
  if (b && wants[2]) result[2] = g.reduceSum(dU, batchSpatialAxes(rank), false);
  // Each input voxel writes its own stride block, so the input gradient is a conv with kernel = stride.
  if (wants[0]) result[0] = g.conv(dU, w, undefined, { kernel: geo.kernel, strides: geo.strides });
  if (wants[1]) {
    // dW[ci, co, a] = sum over (n, i) of X[n, ci, i] * dU[n, co, s*i + a]: one GEMM (training-math §2.2).
    const [n, cin, ...spatial] = xShape as number[];
    const cout = wShape[1]!;
    const r = spatial.length;
    const xm = g.reshape(g.transpose(x, swapBatchChannel(rank)), [cin!, -1]);
    const blocks = g.reshape(dU, [n!, cout, ...spatial.flatMap((d, i) => [d, geo.strides[i]!])]);
    const perm = [1, ...range(0, r).map((i) => 3 + 2 * i), 0, ...range(0, r).map((i) => 2 + 2 * i)];
    const um = g.reshape(g.transpose(blocks, perm), [cout * geo.strides.reduce((a, s) => a * s, 1), -1]);
    result[1] = g.reshape(g.gemm(xm, um, undefined, { transB: true }), wShape);
  }
  return result;
}

/** Recomputes X-hat and 1/sigma from the input with the two-pass variance (training-math §2.3). */
function instanceNorm({ g, node, shapes, dOut, wants }: RuleContext): (string | undefined)[] {
  const [x, gamma] = node.inputs as [string, string, string];
  const dY = dOut[0]!;
  const rank = shapes.get(x).length;
  const sp = spatialAxes(rank);
  const epsilon = (node.attrs.epsilon as { float: number } | undefined)?.float ?? 1e-5;
  const centred = g.sub(x, g.reduceMean(x, sp));
  const variance = g.reduceMean(g.mul(centred, centred), sp);
  const invStd = g.reciprocal(g.sqrt(g.add(variance, g.scalar(epsilon))));
  const xHat = g.mul(centred, invStd);
  const result: (string | undefined)[] = [undefined, undefined, undefined];
  if (wants[2]) result[2] = g.reduceSum(dY, batchSpatialAxes(rank), false);
  if (wants[1]) result[1] = g.reduceSum(g.mul(dY, xHat), batchSpatialAxes(rank), false);
  if (wants[0]) {
    const gy = g.mul(dY, perChannel(g, gamma, rank));
    const inner = g.sub(g.sub(gy, g.reduceMean(gy, sp)), g.mul(xHat, g.reduceMean(g.mul(gy, xHat), sp)));
    result[0] = g.mul(invStd, inner);
  }
  return result;
}

/** PyTorch's mask is a strict y > 0; the output has the input's sign, and it is kept anyway. */
function leakyRelu({ g, node, dOut }: RuleContext): (string | undefined)[] {
  const alpha = (node.attrs.alpha as { float: number } | undefined)?.float ?? 0.01;
  const dA = dOut[0]!;
  return [g.where(g.greater(node.outputs[0]!, g.scalar(0)), dA, g.mul(dA, g.scalar(alpha)))];
}

function relu({ g, node, dOut }: RuleContext): (string | undefined)[] {
  const dA = dOut[0]!;
  return [g.where(g.greater(node.outputs[0]!, g.scalar(0)), dA, g.mul(dA, g.scalar(0)))];
}

function concat({ g, node, shapes, dOut }: RuleContext): (string | undefined)[] {
  const axis = node.attrs.axis as number;
  return g.split(dOut[0]!, node.inputs.map((i) => shapes.get(i)[axis]!), axis);
}

function binary({ g, node, shapes, dOut, wants }: RuleContext): (string | undefined)[] {
  const [a, b] = node.inputs as [string, string];
  const dY = dOut[0]!;
  const yShape = shapes.get(node.outputs[0]!);
  const back = (grad: string, operand: string) => unbroadcast(g, grad, yShape, shapes.get(operand));
  switch (node.opType) {
    case 'Add':
      return [wants[0] ? back(dY, a) : undefined, wants[1] ? back(dY, b) : undefined];
    case 'Sub':
      return [wants[0] ? back(dY, a) : undefined, wants[1] ? back(g.neg(dY), b) : undefined];
    case 'Mul':
      return [wants[0] ? back(g.mul(dY, b), a) : undefined, wants[1] ? back(g.mul(dY, a), b) : undefined];
    default: {
      // Div: d(a/b) = dY/b, -dY*a/b^2
      const y = node.outputs[0]!;
      return [wants[0] ? back(g.div(dY, b), a) : undefined, wants[1] ? back(g.neg(g.div(g.mul(dY, y), b)), b) : undefined];
    }
  }
}

function softmax({ g, node, dOut }: RuleContext): (string | undefined)[] {
  const axis = (node.attrs.axis as number | undefined) ?? -1;
  const p = node.outputs[0]!;
  const dP = dOut[0]!;
  return [g.mul(p, g.sub(dP, g.reduceSum(g.mul(p, dP), [axis], true)))];
}

function logSoftmax({ g, node, dOut }: RuleContext): (string | undefined)[] {
  const axis = (node.attrs.axis as number | undefined) ?? -1;
  const dL = dOut[0]!;
  return [g.sub(dL, g.mul(g.exp(node.outputs[0]!), g.reduceSum(dL, [axis], true)))];
}

function sigmoid({ g, node, dOut }: RuleContext): (string | undefined)[] {
  const s = node.outputs[0]!;
  return [g.mul(dOut[0]!, g.mul(s, g.sub(g.scalar(1), s)))];
}

/** Gradients flow back in the input's precision (fp16 mode casts conv inputs to fp16 and back). */
function cast({ g, node, dOut }: RuleContext): (string | undefined)[] {
  return [g.cast(dOut[0]!, g.dtypeOf(node.inputs[0]!) ?? 'float32')];
}

const RULES: Record<string, GradientRule> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  InstanceNormalization: instanceNorm,
  LeakyRelu: leakyRelu,
  Relu: relu,
  Concat: concat,
  Add: binary,
  Sub: binary,
  Mul: binary,
  Div: binary,
  Softmax: softmax,
  LogSoftmax: logSoftmax,
  Sigmoid: sigmoid,
  Identity: ({ dOut }) => [dOut[0]],
  Neg: ({ g, dOut }) => [g.neg(dOut[0]!)],
  Exp: ({ g, node, dOut }) => [g.mul(dOut[0]!, node.outputs[0]!)],
  Cast: cast,
};
