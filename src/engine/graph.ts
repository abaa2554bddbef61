/**
 * A typed ONNX graph builder (opset 17, IR 8) that writes a ModelProto through onnx-proto. Tensors are
 * referred to by name (plain strings), so forward and backward graphs compose with ordinary code.
 *
 *   const g = new GraphBuilder('unet');
 *   const x = g.input('x', 'float32', ['N', 1, 64, 64, 64]);   // symbolic dims are strings
 *   const w = g.initializer('w', weights, [32, 1, 3, 3, 3]);     // or g.input('w', 'float32', dims) for training
 *   const y = g.leakyRelu(g.conv(x, w, b, { kernel: [3, 3, 3], pads: [1, 1, 1, 1, 1, 1] }), 0.01);
 *   g.output(y, { as: 'logits' });                               // Identity-renames when `as` is given
 *   const bytes = g.toBytes();                                   // Uint8Array for InferenceSession.create
 *
 * - Every op helper returns the name of its (first) output; names are unique (`fresh(prefix)`).
 * - `node(opType, inputs, attrs, outputs)` emits any op the helpers do not cover; pass '' for an omitted
 *   optional input. Attribute values: integer -> INT, integer[] -> INTS, string -> STRING,
 *   `{ float: x }` -> FLOAT, `{ floats: [...] }` -> FLOATS.
 * - Constants: `scalar(v)`, `constF32(values, dims)`, `constI64(values)` become initializers (deduplicated
 *   for small int64 vectors such as axes and shapes).
 * - Opset-17 argument forms (training-math.md §0): ReduceSum, Slice, Reshape, Unsqueeze, Squeeze, Split,
 *   Pad take axes/sizes as int64 INPUTS (the helpers create them); ReduceMean, ReduceMax, ReduceSumSquare
 *   take `axes` as an ATTRIBUTE. Softmax/LogSoftmax default to axis 1 here (ONNX's default is -1).
 * - `dtypeOf(name)` knows the type of inputs, initializers and Cast outputs; `output()` defaults to it.
 * Sessions: see ./session.ts (`createSession` with provider fallback).
 */
import pkg from 'onnx-proto';
import { product } from '../util/math.js';

const { onnx } = pkg;

export const OPSET = 17;
export const IR_VERSION = 8;

export type DType = 'float32' | 'float16' | 'float64' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';
/** A dimension: a size, or a symbolic name such as 'N'. */
export type Dim = number | string;
export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;

const DATA_TYPE: Record<DType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
};

export type AttrValue = number | readonly number[] | string | { float: number } | { floats: readonly number[] };
export type Attrs = Record<string, AttrValue | undefined>;

export interface ConvOptions {
  kernel: readonly number[];
  strides?: readonly number[];
  /** All begins then all ends: [b_D, b_H, b_W, e_D, e_H, e_W]. */
  pads?: readonly number[];
  dilations?: readonly number[];
  group?: number;
}

export interface ConvTransposeOptions extends ConvOptions {
  outputPadding?: readonly number[];
}

export interface OutputOptions {
  /** Graph output name; an Identity node renames the tensor when it differs. */
  as?: string;
  dtype?: DType;
  shape?: readonly Dim[];
}

const INT64_MAX = 9223372036854775807n;

export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly dtypes = new Map<string, DType>();
  private readonly used = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly i64Cache = new Map<string, string>();

  constructor(readonly name = 'graph') {}

  /** A tensor name not used yet in this graph (`prefix`, `prefix_1`, ...); it is taken once a node or input uses it. */
  fresh(prefix: string): string {
    let n = this.counters.get(prefix) ?? 0;
    let candidate = n === 0 ? prefix : `${prefix}_${n}`;
    while (this.used.has(candidate)) candidate = `${prefix}_${++n}`;
    this.counters.set(prefix, n + 1);
    return candidate;
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new Error(`tensor name "${name}" is already used in graph ${this.name}`);
    this.used.add(name);
    return name;
  }

  dtypeOf(name: string): DType | undefined {
    return this.dtypes.get(name);
  }

  has(name: string): boolean {
    return this.used.has(name);
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Nodes emitted from index `start` on, as plain data, for passes over the graph (src/engine/train/autodiff.ts). */
  nodesSince(start = 0): NodeView[] {
    return this.nodes.slice(start).map((n) => ({
      opType: n.opType ?? '',
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attrs: Object.fromEntries((n.attribute ?? []).map((a) => [a.name ?? '', attributeValue(a)])),
    }));
  }

  /** The declared shape of a graph input or initializer (undefined for computed tensors). */
  declaredShape(name: string): Dim[] | undefined {
    const init = this.initializers.find((t) => t.name === name);
    if (init) return (init.dims ?? []).map(Number);
    const dims = this.inputs.find((v) => v.name === name)?.type?.tensorType?.shape?.dim;
    return dims?.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
  }

  input(name: string, dtype: DType, shape: readonly Dim[]): string {
    this.claim(name);
    this.dtypes.set(name, dtype);
    this.inputs.push(valueInfo(name, dtype, shape));
    return name;
  }

  initializer(name: string, data: TensorData, dims: readonly number[], dtype: DType = dtypeOfData(data)): string {
    const count = product(dims);
    if (count !== data.length) throw new Error(`initializer ${name}: ${data.length} values for dims [${dims.join(',')}]`);
    this.claim(name);
    this.dtypes.set(name, dtype);
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims: [...dims],
        dataType: DATA_TYPE[dtype],
        rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      }),
    );
    return name;
  }

  /** Marks a tensor as a graph output. Returns the output's name. */
  output(tensor: string, options: OutputOptions = {}): string {
    let name = tensor;
    if (options.as !== undefined && options.as !== tensor) {
      name = this.node('Identity', [tensor], {}, [options.as])[0]!;
      const known = this.dtypes.get(tensor);
      if (known) this.dtypes.set(name, known);
    }
    const dtype = options.dtype ?? this.dtypes.get(name) ?? 'float32';
    this.outputs.push(valueInfo(name, dtype, options.shape));
    return name;
  }

  /**
   * Emits one node. `outputs` is a count (fresh names derived from the op) or explicit names.
   * Returns the output names.
   */
  node(opType: string, inputs: readonly string[], attrs: Attrs = {}, outputs: number | readonly string[] = 1): string[] {
    for (const input of inputs) {
      if (input !== '' && !this.used.has(input)) throw new Error(`${opType}: unknown input tensor "${input}"`);
    }
    const prefix = opType.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`));
    const names = typeof outputs === 'number'
      ? Array.from({ length: outputs }, () => this.claim(this.fresh(prefix)))
      : outputs.map((o) => this.claim(o));
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        name: `n${this.nodes.length}_${opType}`,
        input: [...inputs],
        output: names,
        attribute: Object.entries(attrs)
          .filter((entry): entry is [string, AttrValue] => entry[1] !== undefined)
          .map(([key, value]) => attribute(key, value)),
      }),
    );
    return names;
  }

  private one(opType: string, inputs: readonly string[], attrs: Attrs = {}): string {
    return this.node(opType, inputs, attrs)[0]!;
  }

  // ---- constants -------------------------------------------------------------------------------------

  scalar(value: number, dtype: 'float32' | 'int64' = 'float32'): string {
    return dtype === 'int64' ? this.constI64([value], []) : this.constF32([value], []);
  }

  constF32(values: readonly number[] | Float32Array, dims: readonly number[] = [values.length]): string {
    return this.initializer(this.fresh('const_f32'), Float32Array.from(values), dims);
  }

  /** An int64 tensor (axes, shapes, slice bounds). Identical small vectors share one initializer. */
  constI64(values: readonly (number | bigint)[], dims: readonly number[] = [values.length]): string {
    const key = `${dims.join('x')}:${values.join(',')}`;
    const cached = this.i64Cache.get(key);
    if (cached) return cached;
    const data = BigInt64Array.from(values.map((v) => (typeof v === 'bigint' ? v : BigInt(v))));
    const name = this.initializer(this.fresh('const_i64'), data, dims);
    this.i64Cache.set(key, name);
    return name;
  }

  // ---- layers ----------------------------------------------------------------------------------------

  conv(x: string, w: string, b: string | undefined, o: ConvOptions): string {
    return this.one('Conv', b ? [x, w, b] : [x, w], {
      kernel_shape: o.kernel,
      strides: o.strides,
      pads: o.pads,
      dilations: o.dilations,
      group: o.group,
    });
  }

  /** Weight layout [Cin, Cout, k...] (input channels first), as PyTorch. */
  convTranspose(x: string, w: string, b: string | undefined, o: ConvTransposeOptions): string {
    return this.one('ConvTranspose', b ? [x, w, b] : [x, w], {
      kernel_shape: o.kernel,
      strides: o.strides,
      pads: o.pads,
      dilations: o.dilations,
      output_padding: o.outputPadding,
      group: o.group,
    });
  }

  instanceNorm(x: string, scale: string, bias: string, epsilon = 1e-5): string {
    return this.one('InstanceNormalization', [x, scale, bias], { epsilon: { float: epsilon } });
  }

  leakyRelu(x: string, alpha = 0.01): string {
    return this.one('LeakyRelu', [x], { alpha: { float: alpha } });
  }

  relu(x: string): string {
    return this.one('Relu', [x]);
  }

  concat(xs: readonly string[], axis = 1): string {
    return this.one('Concat', xs, { axis });
  }

  split(x: string, sizes: readonly number[], axis = 1): string[] {
    return this.node('Split', [x, this.constI64(sizes)], { axis }, sizes.length);
  }

  softmax(x: string, axis = 1): string {
    return this.one('Softmax', [x], { axis });
  }

  logSoftmax(x: string, axis = 1): string {
    return this.one('LogSoftmax', [x], { axis });
  }

  matMul(a: string, b: string): string {
    return this.one('MatMul', [a, b]);
  }

  gemm(a: string, b: string, c?: string, o: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {}): string {
    return this.one('Gemm', c ? [a, b, c] : [a, b], {
      transA: o.transA ? 1 : undefined,
      transB: o.transB ? 1 : undefined,
      alpha: o.alpha === undefined ? undefined : { float: o.alpha },
      beta: o.beta === undefined ? undefined : { float: o.beta },
    });
  }

  // ---- element-wise ----------------------------------------------------------------------------------

  add(a: string, b: string): string {
    return this.one('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.one('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.one('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.one('Div', [a, b]);
  }
  pow(a: string, b: string): string {
    return this.one('Pow', [a, b]);
  }
  /** Variadic element-wise sum (gradient accumulation). */
  sum(xs: readonly string[]): string {
    return xs.length === 1 ? xs[0]! : this.one('Sum', xs);
  }
  max(xs: readonly string[]): string {
    return this.one('Max', xs);
  }
  min(xs: readonly string[]): string {
    return this.one('Min', xs);
  }
  neg(x: string): string {
    return this.one('Neg', [x]);
  }
  abs(x: string): string {
    return this.one('Abs', [x]);
  }
  sqrt(x: string): string {
    return this.one('Sqrt', [x]);
  }
  reciprocal(x: string): string {
    return this.one('Reciprocal', [x]);
  }
  exp(x: string): string {
    return this.one('Exp', [x]);
  }
  log(x: string): string {
    return this.one('Log', [x]);
  }
  sigmoid(x: string): string {
    return this.one('Sigmoid', [x]);
  }
  clip(x: string, min?: string, max?: string): string {
    return this.one('Clip', [x, min ?? '', max ?? ''].slice(0, max ? 3 : min ? 2 : 1));
  }
  identity(x: string): string {
    return this.one('Identity', [x]);
  }

  // ---- comparisons and logic -------------------------------------------------------------------------

  equal(a: string, b: string): string {
    return this.one('Equal', [a, b]);
  }
  greater(a: string, b: string): string {
    return this.one('Greater', [a, b]);
  }
  less(a: string, b: string): string {
    return this.one('Less', [a, b]);
  }
  where(condition: string, a: string, b: string): string {
    return this.one('Where', [condition, a, b]);
  }
  not(x: string): string {
    return this.one('Not', [x]);
  }
  and(a: string, b: string): string {
    return this.one('And', [a, b]);
  }
  or(a: string, b: string): string {
    return this.one('Or', [a, b]);
  }
  isNaN(x: string): string {
    return this.one('IsNaN', [x]);
  }
  isInf(x: string): string {
    return this.one('IsInf', [x]);
  }

  // ---- reductions ------------------------------------------------------------------------------------

  /** Opset 13+: axes as an input; no axes = all. */
  reduceSum(x: string, axes?: readonly number[], keepdims = true): string {
    return this.one('ReduceSum', axes ? [x, this.constI64(axes)] : [x], { keepdims: keepdims ? 1 : 0 });
  }
  reduceMean(x: string, axes?: readonly number[], keepdims = true): string {
    return this.one('ReduceMean', [x], { axes, keepdims: keepdims ? 1 : 0 });
  }
  reduceMax(x: string, axes?: readonly number[], keepdims = true): string {
    return this.one('ReduceMax', [x], { axes, keepdims: keepdims ? 1 : 0 });
  }
  reduceSumSquare(x: string, axes?: readonly number[], keepdims = true): string {
    return this.one('ReduceSumSquare', [x], { axes, keepdims: keepdims ? 1 : 0 });
  }
  argMax(x: string, axis = 1, keepdims = true): string {
    return this.one('ArgMax', [x], { axis, keepdims: keepdims ? 1 : 0 });
  }

  // ---- shapes and types ------------------------------------------------------------------------------

  transpose(x: string, perm: readonly number[]): string {
    return this.one('Transpose', [x], { perm });
  }
  reshape(x: string, shape: readonly number[] | string): string {
    return this.one('Reshape', [x, typeof shape === 'string' ? shape : this.constI64(shape)]);
  }
  /** `ends` entries of Infinity mean "to the end". */
  slice(x: string, starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]): string {
    const endValues = ends.map((e) => (e === Infinity ? INT64_MAX : e));
    const inputs = [x, this.constI64(starts), this.constI64(endValues)];
    if (axes) inputs.push(this.constI64(axes));
    if (steps) inputs.push(...(axes ? [] : [this.constI64(starts.map((_, i) => i))]), this.constI64(steps));
    return this.one('Slice', inputs);
  }
  unsqueeze(x: string, axes: readonly number[]): string {
    return this.one('Unsqueeze', [x, this.constI64(axes)]);
  }
  squeeze(x: string, axes?: readonly number[]): string {
    return this.one('Squeeze', axes ? [x, this.constI64(axes)] : [x]);
  }
  expand(x: string, shape: readonly number[] | string): string {
    return this.one('Expand', [x, typeof shape === 'string' ? shape : this.constI64(shape)]);
  }
  shape(x: string): string {
    const out = this.one('Shape', [x]);
    this.dtypes.set(out, 'int64');
    return out;
  }
  /** pads: all begins then all ends. */
  pad(x: string, pads: readonly number[], value?: string): string {
    return this.one('Pad', value ? [x, this.constI64(pads), value] : [x, this.constI64(pads)]);
  }
  cast(x: string, to: DType): string {
    const out = this.one('Cast', [x], { to: DATA_TYPE[to] });
    this.dtypes.set(out, to);
    return out;
  }
  oneHot(indices: string, depth: number, axis = 1): string {
    return this.one('OneHot', [indices, this.constI64([depth], []), this.constF32([0, 1])], { axis });
  }
  gather(x: string, indices: string, axis = 0): string {
    return this.one('Gather', [x, indices], { axis });
  }
  /** A Constant node (rather than an initializer), e.g. for a value that must not be an input. */
  constant(values: Float32Array, dims: readonly number[]): string {
    const t = onnx.TensorProto.create({
      dims: [...dims],
      dataType: DATA_TYPE.float32,
      rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    });
    const out = this.claim(this.fresh('constant'));
    this.nodes.push(onnx.NodeProto.create({
      opType: 'Constant',
      name: `n${this.nodes.length}_Constant`,
      output: [out],
      attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t }],
    }));
    this.dtypes.set(out, 'float32');
    return out;
  }

  // ---- serialisation ---------------------------------------------------------------------------------

  toModel(): InstanceType<typeof onnx.ModelProto> {
    return onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'nnunet-doctor',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: onnx.GraphProto.create({
        name: this.name,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      }),
    });
  }

  toBytes(): Uint8Array {
    return onnx.ModelProto.encode(this.toModel()).finish();
  }
}

function dtypeOfData(data: TensorData): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'float16';
  return 'uint8';
}

function valueInfo(name: string, dtype: DType, shape?: readonly Dim[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[dtype],
        shape: shape ? { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } : undefined,
      },
    },
  });
}

/** One node as plain data: attribute values decoded back to the forms `node()` accepts. */
export interface NodeView {
  opType: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

function attributeValue(a: pkg.onnx.IAttributeProto): AttrValue {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.INT:
      return Number(a.i);
    case T.INTS:
      return (a.ints ?? []).map(Number);
    case T.FLOAT:
      return { float: a.f ?? 0 };
    case T.FLOATS:
      return { floats: [...(a.floats ?? [])] };
    case T.STRING:
      return new TextDecoder().decode(a.s ?? new Uint8Array());
    default:
      return '';
  }
}

function attribute(name: string, value: AttrValue) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer; use { float: ${value} }`);
    return { name, type: T.INT, i: value };
  }
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: T.FLOATS, floats: [...value.floats] };
  if (value.some((v) => !Number.isInteger(v))) throw new Error(`attribute ${name}: [${value.join(',')}] are not integers`);
  return { name, type: T.INTS, ints: [...value] };
}
