import type { GraphBuilder, NodeView } from '../graph.js';

/**
 * Static shape inference for the ops the training step differentiates through. A training step has a fixed
 * batch and patch, so every shape is a number; the backward rules need them (output_padding of a conv's
 * input gradient, the split sizes of a concat, the axes a broadcast gradient is summed over).
 */
export class ShapeTable {
  private readonly shapes = new Map<string, number[]>();

  constructor(private readonly g: GraphBuilder) {}

  set(name: string, shape: readonly number[]): void {
    this.shapes.set(name, [...shape]);
  }

  get(name: string): number[] {
    const known = this.shapes.get(name);
    if (known) return known;
    const declared = this.g.declaredShape(name);
    if (!declared) throw new Error(`no shape known for tensor "${name}"`);
    if (declared.some((d) => typeof d !== 'number')) {
      throw new Error(`tensor "${name}" has symbolic dims [${declared.join(',')}]; a training step needs fixed shapes`);
    }
    this.shapes.set(name, declared as number[]);
    return declared as number[];
  }

  /** Infers and records the output shapes of `nodes`, in order. */
  infer(nodes: readonly NodeView[]): void {
    for (const node of nodes) {
      const shapes = outputShapes(node, (name) => this.get(name));
      node.outputs.forEach((o, i) => this.set(o, shapes[i]!));
    }
  }
}

export function ints(value: unknown, fallback: readonly number[]): number[] {
  return Array.isArray(value) ? (value as number[]) : [...fallback];
}

export function convGeometry(node: NodeView, kernelFromWeight: readonly number[]) {
  const r = kernelFromWeight.length;
  const kernel = ints(node.attrs.kernel_shape, kernelFromWeight);
  const strides = ints(node.attrs.strides, Array(r).fill(1));
  const dilations = ints(node.attrs.dilations, Array(r).fill(1));
  const pads = ints(node.attrs.pads, Array(2 * r).fill(0));
  const group = typeof node.attrs.group === 'number' ? node.attrs.group : 1;
  const outputPadding = ints(node.attrs.output_padding, Array(r).fill(0));
  return { kernel, strides, dilations, pads, group, outputPadding };
}

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`cannot broadcast [${a.join(',')}] with [${b.join(',')}]`);
    return Math.max(da, db);
  });
}

function outputShapes(node: NodeView, shapeOf: (name: string) => number[]): number[][] {
  const x = () => shapeOf(node.inputs[0]!);
  switch (node.opType) {
    case 'Conv': {
      const [n, , ...spatial] = x();
      const w = shapeOf(node.inputs[1]!);
      const geo = convGeometry(node, w.slice(2));
      const out = spatial.map((size, i) =>
        Math.floor((size + geo.pads[i]! + geo.pads[i + spatial.length]! - geo.dilations[i]! * (geo.kernel[i]! - 1) - 1) / geo.strides[i]!) + 1,
      );
      return [[n!, w[0]!, ...out]];
    }
    case 'ConvTranspose': {
      const [n, , ...spatial] = x();
      const w = shapeOf(node.inputs[1]!);
      const geo = convGeometry(node, w.slice(2));
      const out = spatial.map(
        (size, i) =>
          geo.strides[i]! * (size - 1) + geo.outputPadding[i]! + (geo.kernel[i]! - 1) * geo.dilations[i]! + 1 - geo.pads[i]! - geo.pads[i + spatial.length]!,
      );
      return [[n!, w[1]! * geo.group, ...out]];
    }
    case 'Concat': {
      const axis = node.attrs.axis as number;
      const shapes = node.inputs.map(shapeOf);
      const out = [...shapes[0]!];
      out[axis] = shapes.reduce((sum, s) => sum + s[axis]!, 0);
      return [out];
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return [broadcastShapes(shapeOf(node.inputs[0]!), shapeOf(node.inputs[1]!))];
    case 'InstanceNormalization':
    case 'LeakyRelu':
    case 'Relu':
    case 'Softmax':
    case 'LogSoftmax':
    case 'Sigmoid':
    case 'Identity':
    case 'Cast':
    case 'Neg':
    case 'Exp':
      return [x()];
    default:
      throw new Error(`no shape rule for ${node.opType}`);
  }
}
