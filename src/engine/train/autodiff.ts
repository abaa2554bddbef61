import type { GraphBuilder, NodeView } from '../graph.js';
import { convGeometry, type ShapeTable } from './shapes.js';
import { product } from '../../util/math.js';

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
  /** Op types of the nodes that read a tensor. */
  consumers: (tensor: string) => string[];
}

/** Returns the gradient of each input (undefined where not wanted or zero). */
type GradientRule = (ctx: RuleContext) => (string | undefined)[];

export function backward(request: BackwardRequest): Gradients {
  const { g, nodes, shapes, seeds, wrt } = request;
  const dependsOnWrt = new Set(wrt);
  for (const node of nodes) {
    if (node.inputs.some((i) => dependsOnWrt.has(i))) for (const o of node.outputs) dependsOnWrt.add(o);
  }
  const readers = new Map<string, string[]>();
  for (const node of nodes) for (const input of node.inputs) readers.set(input, [...(readers.get(input) ?? []), node.opType]);
  const consumers = (tensor: string) => readers.get(tensor) ?? [];
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
    const dIn = rule({ g, node, shapes, dOut, wants, consumers });
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

function conv({ g, node, shapes, dOut, wants, consumers }: RuleContext): (string | undefined)[] {
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
  if (b && wants[2]) {
    // In front of InstanceNorm the bias gradient is analytically zero (the per-instance mean absorbs it;
    // training-math §2.1, §8.15): a zero saves a pass over dY, and weight decay still applies to the bias.
    const readers = consumers(node.outputs[0]!);
    const absorbed = readers.length > 0 && readers.every((op) => op === 'InstanceNormalization');
    result[2] = absorbed ? g.constF32(new Float32Array(wShape[0]!)) : g.reduceSum(dY, batchSpatialAxes(rank), false);
  }
  const pointwise = geo.kernel.every((k) => k === 1) && geo.strides.every((s) => s === 1) && geo.pads.every((p) => p === 0);
  const unitStride = geo.strides.every((st) => st === 1);
  const padsWithinKernel = geo.kernel.every((k, i) => geo.pads[i]! < k && geo.pads[i + r]! < k);
  if (wants[0]) {
    if (unitStride && padsWithinKernel) {
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
    } else if (unitStride && padsWithinKernel) {
      result[1] = convWeightGradShifted(g, x, dY, xShape, yShape, wShape, geo);
    } else {
      result[1] = convWeightGradStrided(g, x, dY, xShape, yShape, geo);
    }
  }
  return result;
}

type ConvGeometry = ReturnType<typeof convGeometry>;

/**
 * Weight gradient of a stride-1 conv without im2col: dW[co, ci, t] = sum over (n, v) of
 * dY[n, co, v] * Xg[n, ci, v + o_t], with v running over each sample's output grid flattened and o_t
 * the constant offset of kernel tap t on it. Xg holds X with a band of zeros in front of each axis only,
 * as wide as the larger pad: a tap that runs off an axis' end wraps into the next row's (plane's) front
 * band, which reads zero as well. That grid is (D+1)(H+1)(W+1) instead of (D+2)(H+2)(W+2) for k = 3:
 * the copies and the GEMM shrink with it (tiny preset: backward 86 -> 77 ms in bench/train-profile.ts).
 * Each offset splits as o = p + q, p from the leading axes' taps and q from the last axis' (or the other way
 * round), and with u = v + p the sum is sum over u of dY[co, u - p] * Xg[ci, u + q]: one contiguous copy
 * of dY per p and of X per q, so a 3x3x3 kernel copies 9 + 3 channel-grids instead of 27 (the narrower
 * tensor takes the 9). The copies are stacked on the channel axis and every tap comes out of ONE GEMM per
 * sample, [9 Ca, span] x [span, 3 Cb]: 27 GEMMs of [Ca, span] x [span, Cb] re-read both operands per tap
 * (bench/train-profile.ts: 27 GEMMs and their slices were 105 of a 260 ms step on the tiny preset). The
 * leading-axes offsets are whole grid rows, so their stack is one Gather of rows rather than slices plus
 * a Concat, which copy it twice; rows before or after the tensor gather a row of its zero padding.
 */
function convWeightGradShifted(g: GraphBuilder, x: string, dY: string, xShape: readonly number[], yShape: readonly number[], wShape: readonly number[], geo: ConvGeometry): string {
  const r = xShape.length - 2;
  const [n, cin] = xShape as [number, number];
  const cout = wShape[0]!;
  const axes = range(0, r);
  const band = axes.map((i) => Math.max(geo.pads[i]!, geo.pads[i + r]!));
  const period = axes.map((i) => xShape[i + 2]! + band[i]!);
  const axisStride = period.map((_, i) => product(period.slice(i + 1)));
  const plane = axisStride[0]!;
  const row = period[r - 1]!;
  const tapOffsets = (which: number[]) =>
    which.reduce<number[]>((acc, i) => acc.flatMap((o) => range(0, geo.kernel[i]!).map((t) => o + (t - geo.pads[i]! + band[i]!) * axisStride[i]!)), [0]);
  const dyLeading = cout <= cin;
  const leading = tapOffsets(axes.slice(0, -1));
  const last = tapOffsets(axes.slice(-1));
  const dyShifts = dyLeading ? leading : last;
  const maxShift = Math.max(...dyShifts);
  // u runs in whole rows to the last output voxel plus the largest dY shift.
  const lastOutput = yShape.slice(2).reduce((sum, size, i) => sum + (size - 1) * axisStride[i]!, 0);
  const spanRows = Math.ceil((lastOutput + maxShift + 1) / row);
  const span = spanRows * row;
  // Sliced copies of dY start at u - q >= 0 after whole zero planes in front; gathered ones need none.
  const dyFrontPlanes = dyLeading ? 0 : Math.ceil(maxShift / plane);
  const dyStarts = dyShifts.map((s) => dyFrontPlanes * plane - s);
  const xStarts = dyLeading ? last : leading;
  const gathered = (starts: number[]) => starts.length > 1 && starts.every((s) => s % row === 0);
  /**
   * `tensor` in the grid, `front` zeros before each axis: enough planes after it for a sliced copy from
   * the last start to have the full span, or one zero plane (the row a gather reads outside the tensor).
   */
  const grid = (tensor: string, shape: readonly number[], front: number[], starts: number[]) => {
    const planes = gathered(starts) ? front[0]! + shape[2]! + 1 : Math.ceil((Math.max(...starts) + span) / plane);
    const end = axes.map((i) => (i === 0 ? Math.max(band[0]!, planes - front[0]! - shape[2]!) : period[i]! - front[i]! - shape[i + 2]!));
    return { tensor: g.pad(tensor, [0, 0, ...front, 0, 0, ...end]), rows: (front[0]! + shape[2]! + end[0]!) * (plane / row) };
  };
  /** [n, channels * starts, span]: rows (channel, start) when gathered, (start, channel) when concatenated. */
  const stack = (tensor: string, shape: readonly number[], front: number[], starts: number[]) => {
    const padded = grid(tensor, shape, front, starts);
    const channels = shape[1]!;
    if (gathered(starts)) {
      const inside = (j: number) => (j >= 0 && j < padded.rows ? j : padded.rows - 1);
      const rows = g.constI64(starts.flatMap((s) => range(s / row, s / row + spanRows).map(inside)), [starts.length, spanRows]);
      return { tensor: g.reshape(g.gather(g.reshape(padded.tensor, [n, channels, -1, row]), rows, 2), [n, -1, span]), channelMajor: true };
    }
    const flat = g.reshape(padded.tensor, [n, channels, -1]);
    const copies = starts.map((s) => g.slice(flat, [s], [s + span], [2]));
    return { tensor: copies.length === 1 ? copies[0]! : g.concat(copies, 1), channelMajor: false };
  };
  const dyStack = stack(dY, yShape, axes.map((i) => (i === 0 ? dyFrontPlanes : 0)), dyStarts);
  const xStack = stack(x, xShape, band, xStarts);
  // Summed over the batch: [dY rows, X rows], then into the weight's [cout, cin, leading taps, last taps].
  const products = g.reduceSum(g.matMul(dyStack.tensor, g.transpose(xStack.tensor, [0, 2, 1])), [0], false);
  const labels = [...(dyStack.channelMajor ? ['co', 'p'] : ['p', 'co']), ...(xStack.channelMajor ? ['ci', 'q'] : ['q', 'ci'])];
  const sizes: Record<string, number> = { co: cout, ci: cin, p: dyStarts.length, q: xStarts.length };
  const target = ['co', 'ci', ...(dyLeading ? ['p', 'q'] : ['q', 'p'])];
  const blocks = g.reshape(products, labels.map((l) => sizes[l]!));
  return g.reshape(g.transpose(blocks, target.map((l) => labels.indexOf(l))), wShape);
}

/**
 * Weight gradient of a strided conv as one Conv with batch and channel swapped (training-math §2.1):
 * X^T [cin, n, ...] convolved with dY^T [cout, n, ...] dilated by the stride gives [cin, cout, k...].
 * The end pad drops the taps of the `output_padding` voxels the forward never read, so no Slice follows.
 * Measured 2-3x faster than k^r strided Slices (element-wise copies in onnxruntime) and GEMMs; for stride 1
 * the shifted GEMM above wins instead (this conv's im2col copies k^r times X).
 */
function convWeightGradStrided(g: GraphBuilder, x: string, dY: string, xShape: readonly number[], yShape: readonly number[], geo: ConvGeometry): string {
  const rank = xShape.length;
  const r = rank - 2;
  // The forward reads Xpad up to s*(Y-1)+k-1; what lies beyond (the output_padding) gets no tap.
  const endPads = xShape.slice(2).map((size, i) => geo.strides[i]! * (yShape[i + 2]! - 1) + geo.kernel[i]! - size - geo.pads[i]!);
  const crop = endPads.map((p) => Math.max(0, -p));
  const input = crop.some((c) => c > 0) ? g.slice(x, crop.map(() => 0), xShape.slice(2).map((size, i) => size - crop[i]!), spatialAxes(rank)) : x;
  const swapped = g.conv(g.transpose(input, swapBatchChannel(rank)), g.transpose(dY, swapBatchChannel(rank)), undefined, {
    kernel: yShape.slice(2),
    pads: [...geo.pads.slice(0, r), ...endPads.map((p) => Math.max(0, p))],
    dilations: geo.strides,
  });
  return g.transpose(swapped, swapBatchChannel(rank));
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
    // dW[ci, co, a] = sum over (n, i) of X[n, ci, i] * dU[n, co, s*i + a]. A grouped conv with one-hot
    // kernels splits dU into its s-block phases [n, (co, a), i] (an im2col), then one GEMM per sample
    // contracts i. Measured 4.1 -> 1.2 ms on the tiny preset's largest upsampling against the 8-D Transpose
    // of dU that training-math §2.2's MatMul route needs.
    const [n, cin] = xShape as [number, number];
    const cout = wShape[1]!;
    const phases = product(geo.strides);
    const oneHot = new Float32Array(cout * phases * phases);
    for (let k = 0; k < cout * phases; k++) oneHot[k * phases + (k % phases)] = 1;
    const kernel = g.initializer(g.fresh('phase_kernel'), oneHot, [cout * phases, 1, ...geo.strides]);
    const split = g.reshape(g.conv(dU, kernel, undefined, { kernel: geo.strides, strides: geo.strides, group: cout }), [n, cout * phases, -1]);
    const products = g.matMul(g.reshape(x, [n, cin, -1]), g.transpose(split, [0, 2, 1]));
    result[1] = g.reshape(g.reduceSum(products, [0], false), wShape);
  }
  return result;
}

/**
 * Recomputes the centred input and 1/sigma with the two-pass variance (training-math §2.3), then the
 * stable backward written with per-instance sums, so that only ten passes touch full-size tensors (the
 * X-hat form takes sixteen; these element-wise passes were ~25 ms of the tiny preset's step):
 *   dX = r*gamma * (dY - mean(dY) - c * r^2 * mean(dY*c)),  c = X - mean(X),  X-hat = c*r.
 */
function instanceNorm({ g, node, shapes, dOut, wants }: RuleContext): (string | undefined)[] {
  const [x, gamma] = node.inputs as [string, string, string];
  const dY = dOut[0]!;
  const xShape = shapes.get(x);
  const rank = xShape.length;
  const sp = spatialAxes(rank);
  const voxels = g.scalar(product(xShape.slice(2)));
  const epsilon = (node.attrs.epsilon as { float: number } | undefined)?.float ?? 1e-5;
  const centred = g.sub(x, g.reduceMean(x, sp));
  const variance = g.div(g.reduceSumSquare(centred, sp), voxels);
  const invStd = g.reciprocal(g.sqrt(g.add(variance, g.scalar(epsilon))));
  // Per-instance [N, C, 1, ...] sums of dY and of dY*c; the parameter gradients sum them over the batch.
  const sumDy = g.reduceSum(dY, sp, true);
  const sumDyC = wants[0] || wants[1] ? g.reduceSum(g.mul(dY, centred), sp, true) : undefined;
  const overBatch = (perInstance: string) => g.reduceSum(perInstance, batchSpatialAxes(rank), false);
  const result: (string | undefined)[] = [undefined, undefined, undefined];
  if (wants[2]) result[2] = overBatch(sumDy);
  if (wants[1]) result[1] = overBatch(g.mul(sumDyC!, invStd));
  if (wants[0]) {
    const meanDy = g.div(sumDy, voxels);
    const k2 = g.div(g.mul(g.mul(invStd, invStd), sumDyC!), voxels);
    const k1 = g.mul(invStd, perChannel(g, gamma, rank));
    result[0] = g.mul(k1, g.sub(g.sub(dY, meanDy), g.mul(centred, k2)));
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
