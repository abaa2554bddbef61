import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../../src/engine/graph.js';
import { fillNormal, seededRandom } from '../../../src/engine/init.js';
import { backward } from '../../../src/engine/train/autodiff.js';
import { ShapeTable } from '../../../src/engine/train/shapes.js';

/**
 * Finite-difference check of the autodiff rules: L = sum(Y * R) for a fixed random R, so dL/dY = R seeds
 * the backward. For random directions v, the analytic <dL/dx, v> must match the central difference
 * (L(x + eps v) - L(x - eps v)) / (2 eps) computed by onnxruntime from the same forward graph.
 */
export interface GradCheckInput {
  name: string;
  shape: number[];
  /** Default: standard normal. */
  data?: Float32Array;
  /** Whether the gradient of this input is checked. */
  differentiate?: boolean;
}

export async function gradCheck(
  inputs: GradCheckInput[],
  forward: (g: GraphBuilder, names: string[]) => string,
  { eps = 1e-2, directions = 2, seed = 1 } = {},
): Promise<{ input: string; analytic: number; numeric: number; relError: number }[]> {
  const rand = seededRandom(seed);
  const g = new GraphBuilder('gradcheck');
  const names = inputs.map((i) => g.input(i.name, 'float32', i.shape));
  const y = forward(g, names);
  const nodes = g.nodesSince(0);
  const shapes = new ShapeTable(g);
  shapes.infer(nodes);
  const yShape = shapes.get(y);
  const r = g.constF32(fillNormal(new Float32Array(yShape.reduce((a, b) => a * b, 1)), 1, rand), yShape);
  g.output(g.reduceSum(g.mul(y, r), undefined, false), { as: 'L' });
  const wrt = inputs.filter((i) => i.differentiate !== false).map((i) => i.name);
  const grads = backward({ g, nodes, shapes, seeds: new Map([[y, r]]), wrt });
  for (const name of wrt) {
    if (!grads.has(name)) throw new Error(`no gradient for ${name}`);
    g.output(grads.get(name)!, { as: `${name}.grad` });
  }
  const session = await ort.InferenceSession.create(g.toBytes(), { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled' });
  const data = inputs.map((i) => i.data ?? fillNormal(new Float32Array(i.shape.reduce((a, b) => a * b, 1)), 1, rand));
  const feeds = (override?: { index: number; values: Float32Array }) =>
    Object.fromEntries(inputs.map((inp, k) => [inp.name, new ort.Tensor('float32', override?.index === k ? override.values : data[k]!, inp.shape)]));
  const base = await session.run(feeds());
  const results = [];
  for (const name of wrt) {
    const k = inputs.findIndex((i) => i.name === name);
    const grad = base[`${name}.grad`]!.data as Float32Array;
    for (let d = 0; d < directions; d++) {
      const v = fillNormal(new Float32Array(grad.length), 1, rand);
      const shifted = (sign: number) => data[k]!.map((x, i) => x + sign * eps * v[i]!);
      const plus = (await session.run(feeds({ index: k, values: shifted(1) }))).L!.data[0] as number;
      const minus = (await session.run(feeds({ index: k, values: shifted(-1) }))).L!.data[0] as number;
      const numeric = (plus - minus) / (2 * eps);
      const analytic = grad.reduce((s, gi, i) => s + gi * v[i]!, 0);
      results.push({ input: name, analytic, numeric, relError: Math.abs(analytic - numeric) / Math.max(Math.abs(numeric), 1e-3) });
    }
  }
  await session.release();
  return results;
}
