import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/engine/graph.js';
import { createSession, f32Tensor } from '../../src/engine/session.js';

describe('GraphBuilder', () => {
  it('gives every tensor a unique name and refuses a name twice', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2]);
    const a = g.add(x, x);
    const b = g.add(x, x);
    expect(a).not.toBe(b);
    expect(() => g.input('x', 'float32', [2])).toThrow(/already used/);
    expect(() => g.add(x, 'nope')).toThrow(/unknown input tensor "nope"/);
  });

  it('refuses a non-integer where ONNX wants an INT attribute', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2]);
    expect(() => g.node('LeakyRelu', [x], { alpha: 0.01 })).toThrow(/use \{ float: 0.01 \}/);
  });

  it('shares identical int64 constants (axes, shapes)', () => {
    const g = new GraphBuilder();
    expect(g.constI64([0, 2])).toBe(g.constI64([0, 2]));
    expect(g.constI64([0, 2])).not.toBe(g.constI64([2, 0]));
  });

  it('builds a model onnxruntime runs, with opset-17 argument forms', async () => {
    const g = new GraphBuilder('ops');
    const x = g.input('x', 'float32', ['N', 3]);
    const sum = g.reduceSum(x, [1], false); // axes as an input (opset 13+)
    const mean = g.reduceMean(x, [1], false); // axes as an attribute (before opset 18)
    const tail = g.slice(x, [1], [Infinity], [1]);
    const positive = g.where(g.greater(x, g.scalar(0)), x, g.mul(x, g.scalar(0.5)));
    const cast = g.cast(g.equal(x, g.scalar(2)), 'float32');
    const probs = g.softmax(x);
    const [left, right] = g.split(x, [1, 2], 1);
    g.output(sum, { as: 'sum' });
    g.output(mean, { as: 'mean' });
    g.output(tail, { as: 'tail' });
    g.output(positive, { as: 'positive' });
    g.output(cast, { as: 'isTwo' });
    g.output(probs, { as: 'probs' });
    g.output(g.concat([right!, left!], 1), { as: 'rotated' });
    const { session, provider } = await createSession(g.toBytes(), { providers: ['cpu'] });
    expect(provider).toBe('cpu');
    const out = await session.run({ x: f32Tensor(Float32Array.from([1, 2, -4, 0, 3, 3]), [2, 3]) });
    const values = (name: string) => Array.from(out[name]!.data as Float32Array);
    expect(values('sum')).toEqual([-1, 6]);
    expect(values('mean')[1]).toBeCloseTo(2);
    expect(out.tail!.dims).toEqual([2, 2]);
    expect(values('tail')).toEqual([2, -4, 3, 3]);
    expect(values('positive')).toEqual([1, 2, -2, 0, 3, 3]);
    expect(values('isTwo')).toEqual([0, 1, 0, 0, 0, 0]);
    expect(values('probs').slice(0, 3).reduce((a, b) => a + b)).toBeCloseTo(1, 6);
    expect(values('rotated')).toEqual([2, -4, 1, 3, 3, 0]);
    await session.release();
  });

  it('falls back to the CPU with the reason when a provider cannot load', async () => {
    const g = new GraphBuilder();
    g.output(g.relu(g.input('x', 'float32', [1])), { as: 'y' });
    // CoreML exists only on macOS, DirectML only on Windows: elsewhere creation throws and we fall back.
    const missing = process.platform === 'darwin' ? 'dml' : 'coreml';
    const { provider, fallbacks } = await createSession(g.toBytes(), { providers: [missing] });
    expect(provider).toBe('cpu');
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]!.provider).toBe(missing);
    expect(fallbacks[0]!.reason.length).toBeGreaterThan(0);
  });
});
