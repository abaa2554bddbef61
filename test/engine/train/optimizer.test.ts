import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/engine/graph.js';
import { fillNormal, seededRandom } from '../../../src/engine/init.js';
import { sgdStep } from '../../../src/engine/train/optimizer.js';

const SHAPES = [[4, 3], [5]];

async function stepSession(lossScaling: boolean) {
  const g = new GraphBuilder('sgd');
  const params = SHAPES.map((s, i) => ({
    param: g.input(`p${i}`, 'float32', s),
    buffer: g.input(`b${i}`, 'float32', s),
    grad: g.input(`g${i}`, 'float32', s),
  }));
  // A third parameter without a gradient: PyTorch leaves it untouched.
  params.push({ param: g.input('p2', 'float32', [2]), buffer: g.input('b2', 'float32', [2]), grad: undefined as unknown as string });
  const out = sgdStep(g, { params, lr: g.input('lr', 'float32', []), lossScale: lossScaling ? g.input('S', 'float32', []) : undefined });
  out.newParams.forEach((p, i) => g.output(p, { as: `p${i}.new` }));
  out.newBuffers.forEach((b, i) => g.output(b, { as: `b${i}.new` }));
  g.output(out.totalNorm, { as: 'norm' });
  if (out.foundInf) g.output(out.foundInf, { as: 'found_inf', dtype: 'bool' });
  return ort.InferenceSession.create(g.toBytes(), { executionProviders: ['cpu'] });
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
    const frozen = Float32Array.of(0.5, -0.25);
    for (let step = 0; step < 4; step++) {
      const scale = step % 2 === 0 ? 20 : 0.1; // norms far above and below 12
      const grads = SHAPES.map((s) => fillNormal(new Float32Array(s.reduce((a, b) => a * b, 1)), scale, rand));
      const lr = 0.01 * (1 - step / 1000) ** 0.9;
      const feeds: Record<string, ort.Tensor> = { lr: new ort.Tensor('float32', Float32Array.of(lr), []), p2: new ort.Tensor('float32', frozen, [2]), b2: new ort.Tensor('float32', new Float32Array(2), [2]) };
      SHAPES.forEach((s, i) => {
        feeds[`p${i}`] = new ort.Tensor('float32', params[i]!, s);
        feeds[`b${i}`] = new ort.Tensor('float32', buffers[i]!, s);
        feeds[`g${i}`] = new ort.Tensor('float32', grads[i]!, s);
      });
      const out = await session.run(feeds);
      const ref = torchStep(refParams, refBuffers, grads.map((g) => Float64Array.from(g)), lr);
      expect(Math.abs((out.norm!.data[0] as number) - ref.norm) / ref.norm).toBeLessThan(1e-5);
      params = SHAPES.map((_, i) => out[`p${i}.new`]!.data as Float32Array);
      buffers = SHAPES.map((_, i) => out[`b${i}.new`]!.data as Float32Array);
      SHAPES.forEach((_, i) => {
        params[i]!.forEach((x, k) => expect(Math.abs(x - ref.newParams[i]![k]!)).toBeLessThan(1e-5));
        buffers[i]!.forEach((x, k) => expect(Math.abs(x - ref.newBuffers[i]![k]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.newBuffers[i]![k]!))));
      });
      expect([...(out['p2.new']!.data as Float32Array)]).toEqual([...frozen]);
      refParams = ref.newParams;
      refBuffers = ref.newBuffers;
    }
    await session.release();
  });

  it('with loss scaling: unscales exactly, and skips the whole step when a gradient is non-finite', async () => {
    const session = await stepSession(true);
    const p = [Float32Array.from({ length: 12 }, (_, i) => i / 10), Float32Array.from({ length: 5 }, (_, i) => -i / 7)];
    const b = [new Float32Array(12).fill(0.01), new Float32Array(5).fill(-0.02)];
    const g = [Float32Array.from({ length: 12 }, (_, i) => (i - 6) / 3), Float32Array.from({ length: 5 }, (_, i) => i / 5)];
    const run = (grads: Float32Array[], scale: number) => {
      const feeds: Record<string, ort.Tensor> = { lr: new ort.Tensor('float32', Float32Array.of(0.01), []), S: new ort.Tensor('float32', Float32Array.of(scale), []), p2: new ort.Tensor('float32', new Float32Array(2), [2]), b2: new ort.Tensor('float32', new Float32Array(2), [2]) };
      SHAPES.forEach((s, i) => {
        feeds[`p${i}`] = new ort.Tensor('float32', p[i]!, s);
        feeds[`b${i}`] = new ort.Tensor('float32', b[i]!, s);
        feeds[`g${i}`] = new ort.Tensor('float32', grads[i]!, s);
      });
      return session.run(feeds);
    };
    const unscaled = await run(g, 1);
    const scaled = await run(g.map((x) => x.map((v) => v * 1024)), 1024);
    expect(Boolean(scaled['found_inf']!.data[0])).toBe(false);
    expect([...(scaled['p0.new']!.data as Float32Array)]).toEqual([...(unscaled['p0.new']!.data as Float32Array)]);
    const poisoned = await run([g[0]!.map((v, i) => (i === 3 ? Number.POSITIVE_INFINITY : v)), g[1]!], 1024);
    expect(Boolean(poisoned['found_inf']!.data[0])).toBe(true);
    expect([...(poisoned['p0.new']!.data as Float32Array)]).toEqual([...p[0]!]);
    expect([...(poisoned['b1.new']!.data as Float32Array)]).toEqual([...b[1]!]);
    await session.release();
  });
});
