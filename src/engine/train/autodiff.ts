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
      result[1] = convWeightGradShifted(g, x, dY, xShape, yShape, wShape, geo);
    } else {
      result[1] = convWeightGradStrided(g, x, dY, xShape, yShape, wShape, geo);
    }
  }
  return result;
}

type ConvGeometry = ReturnType<typeof convGeometry>;

/** Per-tap products [n, cout, cin], in kernel order, summed over the batch into the weight's layout. */
function gatherTaps(g: GraphBuilder, perTap: readonly string[], wShape: readonly number[]): string {
  const [cout, cin] = wShape as [number, number];
  const total = g.reshape(g.reduceSum(g.concat(perTap, 1), [0], false), [perTap.length, cout, cin]);
  return g.reshape(g.transpose(total, [1, 2, 0]), wShape);
}

function padSpatial(g: GraphBuilder, x: string, pads: readonly number[]): string {
  const r = pads.length / 2;
  return pads.some((p) => p > 0) ? g.pad(x, [0, 0, ...pads.slice(0, r), 0, 0, ...pads.slice(r)]) : x;
}

/**
 * Weight gradient of a stride-1 conv without im2col: dW[co, ci, t] = sum over (n, v) of
 * dY[n, co, v] * Xpad[n, ci, v + o_t], with v running over each sample's padded grid flattened and o_t
 * the constant offset of kernel tap t on it. Each offset splits as o = p + q, p from the leading axes' taps
 * and q from the last axis' (or the other way round), and with u = v + p the sum is
 * sum over u of dY[co, u - p] * Xpad[ci, u + q]: one contiguous slice of dY per p and of X per q, so a
 * 3x3x3 kernel copies 9 + 3 channel-grids instead of 27 (the narrower tensor takes the 9), and every tap
 * is one GEMM batched over samples (no batch transposes; the batch spreads the GEMMs over threads).
 * Measured ~15% less step time than 27 slices and GEMMs over batch-transposed tensors (bench:train).
 */
function convWeightGradShifted(g: GraphBuilder, x: string, dY: string, xShape: readonly number[], yShape: readonly number[], wShape: readonly number[], geo: ConvGeometry): string {
  const r = xShape.length - 2;
  const [n, cin] = xShape as [number, number];
  const cout = wShape[0]!;
  const axes = range(0, r);
  const grid = xShape.slice(2).map((size, i) => size + geo.pads[i]! + geo.pads[i + r]!);
  const gridVoxels = grid.reduce((a, d) => a * d, 1);
  const axisStride = grid.map((_, i) => grid.slice(i + 1).reduce((a, d) => a * d, 1));
  const tapOffsets = (which: number[]) => which.reduce<number[]>((acc, i) => acc.flatMap((o) => range(0, geo.kernel[i]!).map((t) => o + t * axisStride[i]!)), [0]);
  const dyLeading = cout <= cin;
  const dyAxes = dyLeading ? axes.slice(0, -1) : axes.slice(-1);
  const dyShifts = tapOffsets(dyAxes);
  const xShifts = tapOffsets(dyLeading ? axes.slice(-1) : axes.slice(0, -1));
  const maxP = dyShifts[dyShifts.length - 1]!;
  // u runs to the last output voxel plus maxP; u + q then stays inside X's grid.
  const lastOutput = yShape.slice(2).reduce((sum, size, i) => sum + (size - 1) * axisStride[i]!, 0);
  const span = lastOutput + maxP + 1;
  // dY in the grid shifted by maxP: padded before on its shifted axes, after on the others, plus whole
  // planes so that every slice has the full span.
  const before = axes.map((i) => (dyAxes.includes(i) ? grid[i]! - yShape[i + 2]! : 0));
  const after = axes.map((i) => grid[i]! - yShape[i + 2]! - before[i]!);
  after[0] = after[0]! + Math.max(0, Math.ceil((maxP + span - gridVoxels) / axisStride[0]!));
  const dyGrid = g.reshape(g.pad(dY, [0, 0, ...before, 0, 0, ...after]), [n, cout, -1]);
  const xGrid = g.reshape(padSpatial(g, x, geo.pads), [n, cin, gridVoxels]);
  const dySlices = dyShifts.map((p) => g.slice(dyGrid, [maxP - p], [maxP - p + span], [2]));
  const xSlices = xShifts.map((q) => g.transpose(g.slice(xGrid, [q], [q + span], [2]), [0, 2, 1]));
  // Kernel order: leading-axes tap major, last-axis tap minor.
  const [major, minor] = dyLeading ? [dySlices, xSlices] : [xSlices, dySlices];
  const perTap = major.flatMap((a) => minor.map((b) => (dyLeading ? g.matMul(a, b) : g.matMul(b, a))));
  return gatherTaps(g, perTap, wShape);
}

/**
 * Weight gradient of a strided conv: dW[co, ci, t] = sum over (n, y) of dY[n, co, y] * Xpad[n, ci, s*y + t].
 * The X voxels a tap meets are one strided slice (1/s^r of X), multiplied with dY in a GEMM batched over
 * samples. Measured faster than a conv with dY as a dilated kernel (training-math §2.1), which onnxruntime
 * runs as a large im2col.
 */
function convWeightGradStrided(g: GraphBuilder, x: string, dY: string, xShape: readonly number[], yShape: readonly number[], wShape: readonly number[], geo: ConvGeometry): string {
  const rank = xShape.length;
  const [n, cin] = xShape as [number, number];
  const out = yShape.slice(2);
  const taps = geo.kernel.reduce<number[][]>((acc, k) => acc.flatMap((prefix) => range(0, k).map((t) => [...prefix, t])), [[]]);
  const padded = padSpatial(g, x, geo.pads);
  const dyFlat = g.reshape(dY, [n, wShape[0]!, -1]);
  const perTap = taps.map((tap) => {
    const ends = tap.map((t, i) => t + geo.strides[i]! * (out[i]! - 1) + 1);
    const met = g.reshape(g.slice(padded, tap, ends, spatialAxes(rank), geo.strides), [n, cin, -1]);
    return g.matMul(dyFlat, g.transpose(met, [0, 2, 1]));
  });
  return gatherTaps(g, perTap, wShape);
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
