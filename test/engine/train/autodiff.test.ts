import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/engine/graph.js';
import { backward, supportedOps } from '../../../src/engine/train/autodiff.js';
import { ShapeTable } from '../../../src/engine/train/shapes.js';
import { gradCheck } from './gradcheck.js';

const TOLERANCE = 5e-3;

async function expectGradientsMatch(...args: Parameters<typeof gradCheck>) {
  const results = await gradCheck(...args);
  expect(results.length).toBeGreaterThan(0);
  for (const r of results) expect(r.relError, `${r.input}: analytic ${r.analytic} vs numeric ${r.numeric}`).toBeLessThan(TOLERANCE);
}

describe('autodiff gradient rules against finite differences', () => {
  it.each([
    { label: 'k3 s1 p1', x: [2, 2, 6, 6, 6], w: [3, 2, 3, 3, 3], strides: [1, 1, 1], pads: [1, 1, 1, 1, 1, 1] },
    { label: 'k3 s2 p1, even size (output_padding 1)', x: [2, 2, 8, 8, 8], w: [3, 2, 3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] },
    { label: 'k3 s2 p1, mixed sizes', x: [1, 2, 6, 7, 9], w: [2, 2, 3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] },
    { label: 'k[1,3,3] s[1,2,2] anisotropic', x: [2, 2, 5, 8, 7], w: [3, 2, 1, 3, 3], strides: [1, 2, 2], pads: [0, 1, 1, 0, 1, 1] },
    { label: 'k[1,3,3] s1 p[0,1,1], cout < cin', x: [2, 4, 3, 6, 5], w: [2, 4, 1, 3, 3], strides: [1, 1, 1], pads: [0, 1, 1, 0, 1, 1] },
    { label: 'k3 s1 unpadded', x: [1, 3, 5, 6, 7], w: [2, 3, 3, 3, 3], strides: [1, 1, 1], pads: [0, 0, 0, 0, 0, 0] },
    { label: '1x1x1 seg head', x: [2, 4, 4, 4, 4], w: [3, 4, 1, 1, 1], strides: [1, 1, 1], pads: [0, 0, 0, 0, 0, 0] },
    { label: '2D k3 s1', x: [2, 3, 7, 6], w: [4, 3, 3, 3], strides: [1, 1], pads: [1, 1, 1, 1] },
  ])('Conv $label', async ({ x, w, strides, pads }) => {
    await expectGradientsMatch(
      [{ name: 'x', shape: x }, { name: 'w', shape: w }, { name: 'b', shape: [w[0]!] }],
      (g, [xi, wi, bi]) => g.conv(xi!, wi!, bi, { kernel: w.slice(2), strides, pads }),
      // Linear in each input: a large step has no truncation error and less fp32 rounding.
      { eps: 0.5 },
    );
  });

  it.each([
    { label: '[2,2,2]', x: [2, 3, 3, 4, 2], w: [3, 2, 2, 2, 2] },
    { label: '[1,2,2]', x: [1, 2, 3, 3, 3], w: [2, 3, 1, 2, 2] },
  ])('ConvTranspose kernel = stride $label', async ({ x, w }) => {
    await expectGradientsMatch(
      [{ name: 'x', shape: x }, { name: 'w', shape: w }, { name: 'b', shape: [w[1]!] }],
      (g, [xi, wi, bi]) => g.convTranspose(xi!, wi!, bi, { kernel: w.slice(2), strides: w.slice(2) }),
      { eps: 0.5 },
    );
  });

  it('InstanceNormalization (affine, eps 1e-5), input far from zero mean', async () => {
    const x = new Float32Array(2 * 3 * 4 * 4 * 4).map((_, i) => 5 + Math.sin(i * 1.7) * (1 + (i % 3)));
    await expectGradientsMatch(
      [{ name: 'x', shape: [2, 3, 4, 4, 4], data: x }, { name: 'gamma', shape: [3] }, { name: 'beta', shape: [3] }],
      (g, [xi, gi, bi]) => g.instanceNorm(xi!, gi!, bi!, 1e-5),
      { eps: 1e-3 },
    );
  });

  it('Conv into InstanceNormalization: the absorbed conv bias gets an exact zero gradient', async () => {
    const inputs = (biasOnly: boolean) => [
      { name: 'x', shape: [2, 2, 5, 5, 5], differentiate: !biasOnly },
      { name: 'w', shape: [3, 2, 3, 3, 3], differentiate: !biasOnly },
      { name: 'b', shape: [3], differentiate: biasOnly },
      { name: 'gamma', shape: [3], differentiate: !biasOnly },
      { name: 'beta', shape: [3], differentiate: !biasOnly },
    ];
    const forward = (g: GraphBuilder, [x, w, b, gamma, beta]: string[]) => g.instanceNorm(g.conv(x!, w!, b, { kernel: [3, 3, 3], pads: [1, 1, 1, 1, 1, 1] }), gamma!, beta!, 1e-5);
    await expectGradientsMatch(inputs(false), forward, { eps: 1e-2 });
    // Moving the bias leaves the loss unchanged up to float32 rounding of a sum of ~500 terms.
    for (const r of await gradCheck(inputs(true), forward, { eps: 0.5 })) {
      expect(r.analytic).toBe(0);
      expect(Math.abs(r.numeric)).toBeLessThan(1e-3);
    }
  });

  it('LeakyRelu, Concat, Add/Mul with broadcasting', async () => {
    await expectGradientsMatch(
      [{ name: 'a', shape: [2, 2, 3, 3] }, { name: 'b', shape: [2, 3, 3, 3] }, { name: 'c', shape: [1, 5, 1, 1] }],
      (g, [a, b, c]) => g.mul(g.add(g.leakyRelu(g.concat([a!, b!], 1), 0.01), c!), c!),
      { eps: 1e-3 },
    );
  });

  it('Softmax, LogSoftmax, Sigmoid, Sub, Div', async () => {
    await expectGradientsMatch(
      [{ name: 'z', shape: [2, 4, 3, 3] }, { name: 'd', shape: [2, 4, 3, 3], data: new Float32Array(72).map((_, i) => 1.5 + (i % 5) * 0.1) }],
      (g, [z, d]) => g.div(g.sub(g.softmax(z!, 1), g.mul(g.logSoftmax(z!, 1), g.sigmoid(z!))), d!),
      { eps: 1e-3 },
    );
  });

  it('names the op when there is no gradient rule, and never differentiates towards inputs that need none', () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', [2, 3]);
    const w = g.input('w', 'float32', [2, 3]);
    const y = g.node('Tanh', [g.mul(x, w)])[0]!;
    const shapes = new ShapeTable(g);
    const nodes = g.nodesSince(0);
    shapes.set(y, [2, 3]);
    shapes.infer(nodes.slice(0, 1));
    expect(() => backward({ g, nodes, shapes, seeds: new Map([[y, x]]), wrt: [w] })).toThrow(/no gradient rule for ONNX op Tanh/);
    const before = g.nodeCount;
    const grads = backward({ g, nodes: nodes.slice(0, 1), shapes, seeds: new Map([[nodes[0]!.outputs[0]!, x]]), wrt: [w] });
    expect(grads.has('w')).toBe(true);
    expect(grads.has('x')).toBe(false);
    expect(g.nodeCount - before).toBeLessThanOrEqual(2);
    expect(supportedOps()).toEqual(expect.arrayContaining(['Conv', 'ConvTranspose', 'InstanceNormalization', 'LeakyRelu', 'Concat', 'Softmax']));
  });
});
