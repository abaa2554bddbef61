import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/engine/graph.js';
import { fillNormal, seededRandom } from '../../../src/engine/init.js';
import { sgdStep } from '../../../src/engine/train/optimizer.js';

const SHAPES = [[4, 3], [5]];

const SIZES = SHAPES.map((s) => s.reduce((a, b) => a * b, 1));
const OFFSETS = SIZES.map((_, i) => SIZES.slice(0, i).reduce((a, b) => a + b, 0));
const TOTAL = SIZES.reduce((a, b) => a + b, 0);
const flat = (parts: Float32Array[]) => Float32Array.from(parts.flatMap((p) => [...p]));
/** The flat vector back into one array per parameter. */
const unflat = (vector: Float32Array) => SIZES.map((size, i) => vector.slice(OFFSETS[i], OFFSETS[i]! + size));

async function stepSession(lossScaling: boolean) {
  const g = new GraphBuilder('sgd');
  const out = sgdStep(g, {
    params: g.input('p', 'float32', [TOTAL]),
    buffers: g.input('b', 'float32', [TOTAL]),
    grads: SHAPES.map((s, i) => g.input(`g${i}`, 'float32', s)),
    lr: g.input('lr', 'float32', []),
    lossScale: lossScaling ? g.input('S', 'float32', []) : undefined,
  });
  g.output(out.newParams, { as: 'p.new' });
  g.output(out.newBuffers, { as: 'b.new' });
  g.output(out.totalNorm, { as: 'norm' });
  if (out.foundInf) g.output(out.foundInf, { as: 'found_inf', dtype: 'bool' });
  return ort.InferenceSession.create(g.toBytes(), { executionProviders: ['cpu'] });
}

function feedsFor(params: Float32Array[], buffers: Float32Array[], grads: Float32Array[], lr: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {
    lr: new ort.Tensor('float32', Float32Array.of(lr), []),
    p: new ort.Tensor('float32', flat(params), [TOTAL]),
    b: new ort.Tensor('float32', flat(buffers), [TOTAL]),
  };
  SHAPES.forEach((s, i) => (feeds[`g${i}`] = new ort.Tensor('float32', grads[i]!, s)));
  return feeds;
}

/** torch.nn.utils.clip_grad_norm_(max_norm=12) then torch.optim.SGD(momentum=0.99, nesterov=True, weight_decay=3e-5). */
function torchStep(params: Float64Array[], buffers: Float64Array[] | undefined, grads: Float64Array[], lr: number) {
  const norm = Math.sqrt(grads.reduce((s, g) => s + g.reduce((a, x) => a + x * x, 0), 0));
  const coef = Math.min(12 / (norm + 1e-6), 1);
  const newBuffers: Float64Array[] = [];
  const newParams = params.map((p, j) => {
    const d = grads[j]!.map((g, i) => g * coef + 3e-5 * p[i]!);
    const buf = buffers ? buffers[j]!.map((b, i) => 0.99 * b + d[i]!) : Float64Array.from(d);
    newBuffers.push(buf);
    return p.map((x, i) => x - lr * (d[i]! + 0.99 * buf[i]!));
  });
  return { newParams, newBuffers, norm };
}

describe('clip_grad_norm_ + SGD Nesterov in the graph', () => {
  it('matches PyTorch semantics over steps that alternate clipped and unclipped gradients', async () => {
    const session = await stepSession(false);
    const rand = seededRandom(2);
    let params = SHAPES.map((s) => fillNormal(new Float32Array(s.reduce((a, b) => a * b, 1)), 1, rand));
    let buffers = SHAPES.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)));
    let refParams = params.map((p) => Float64Array.from(p));
    let refBuffers: Float64Array[] | undefined;
    for (let step = 0; step < 4; step++) {
      const scale = step % 2 === 0 ? 20 : 0.1; // norms far above and below 12
      const grads = SHAPES.map((s) => fillNormal(new Float32Array(s.reduce((a, b) => a * b, 1)), scale, rand));
      const lr = 0.01 * (1 - step / 1000) ** 0.9;
      const feeds = feedsFor(params, buffers, grads, lr);
      const out = await session.run(feeds);
      const ref = torchStep(refParams, refBuffers, grads.map((g) => Float64Array.from(g)), lr);
      expect(Math.abs((out.norm!.data[0] as number) - ref.norm) / ref.norm).toBeLessThan(1e-5);
      params = unflat(out['p.new']!.data as Float32Array);
      buffers = unflat(out['b.new']!.data as Float32Array);
      SHAPES.forEach((_, i) => {
        params[i]!.forEach((x, k) => expect(Math.abs(x - ref.newParams[i]![k]!)).toBeLessThan(1e-5));
        buffers[i]!.forEach((x, k) => expect(Math.abs(x - ref.newBuffers[i]![k]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.newBuffers[i]![k]!))));
      });
      refParams = ref.newParams;
      refBuffers = ref.newBuffers;
    }
    await session.release();
  });

  it('with loss scaling: unscales exactly, and skips the whole step when a gradient is non-finite', async () => {
    const session = await stepSession(true);
    const p = [Float32Array.from({ length: 12 }, (_, i) => i / 10), Float32Array.from({ length: 5 }, (_, i) => -(i + 1) / 7)];
    const b = [new Float32Array(12).fill(0.01), new Float32Array(5).fill(-0.02)];
    const g = [Float32Array.from({ length: 12 }, (_, i) => (i - 6) / 3), Float32Array.from({ length: 5 }, (_, i) => i / 5)];
    const run = (grads: Float32Array[], scale: number) => {
      const feeds = feedsFor(p, b, grads, 0.01);
      feeds['S'] = new ort.Tensor('float32', Float32Array.of(scale), []);
      return session.run(feeds);
    };
    const unscaled = await run(g, 1);
    const scaled = await run(g.map((x) => x.map((v) => v * 1024)), 1024);
    expect(Boolean(scaled['found_inf']!.data[0])).toBe(false);
    expect([...(scaled['p.new']!.data as Float32Array)]).toEqual([...(unscaled['p.new']!.data as Float32Array)]);
    const poisoned = await run([g[0]!.map((v, i) => (i === 3 ? Number.POSITIVE_INFINITY : v)), g[1]!], 1024);
    expect(Boolean(poisoned['found_inf']!.data[0])).toBe(true);
    expect([...(poisoned['p.new']!.data as Float32Array)]).toEqual([...flat(p)]);
    expect([...(poisoned['b.new']!.data as Float32Array)]).toEqual([...flat(b)]);
    await session.release();
  });
});
