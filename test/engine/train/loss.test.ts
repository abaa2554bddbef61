import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/engine/graph.js';
import { fillNormal, seededRandom } from '../../../src/engine/init.js';
import { deepSupervisionFactors, downsampleLabels, outputLoss } from '../../../src/engine/train/loss.js';

const SHAPE = [2, 3, 4, 4, 4];

async function lossSession(batchDice: boolean) {
  const g = new GraphBuilder('loss');
  const z = g.input('z', 'float32', SHAPE);
  const t = g.input('t', 'int64', [2, 1, 4, 4, 4]);
  const { loss, dLogits } = outputLoss(g, { logits: z, shape: SHAPE, labels: t, batchDice, seed: g.scalar(1) });
  g.output(loss, { as: 'loss' });
  g.output(dLogits, { as: 'dz' });
  return ort.InferenceSession.create(g.toBytes(), { executionProviders: ['cpu'] });
}

/** nnU-Net's DC_and_CE_loss in float64, written from the definitions in dice.py and CrossEntropyLoss. */
function referenceLoss(z: Float32Array, t: BigInt64Array, batchDice: boolean): number {
  const [n, c] = SHAPE as [number, number];
  const v = 64;
  const p = new Float64Array(z.length);
  let ce = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < v; i++) {
      const logits = Array.from({ length: c }, (_, k) => z[(b * c + k) * v + i]!);
      const m = Math.max(...logits);
      const sum = logits.reduce((s, x) => s + Math.exp(x - m), 0);
      logits.forEach((x, k) => (p[(b * c + k) * v + i] = Math.exp(x - m) / sum));
      ce -= logits[Number(t[b * v + i])]! - m - Math.log(sum);
    }
  }
  ce /= n * v;
  const groups = batchDice ? [[0, 1]] : [[0], [1]];
  const dcs: number[] = [];
  for (const group of groups) {
    for (let k = 1; k < c; k++) {
      let tp = 0, sp = 0, sy = 0;
      for (const b of group) for (let i = 0; i < v; i++) {
        const pk = p[(b * c + k) * v + i]!;
        const y = Number(t[b * v + i]) === k ? 1 : 0;
        tp += pk * y; sp += pk; sy += y;
      }
      dcs.push((2 * tp + 1e-5) / Math.max(sp + sy + 1e-5, 1e-8));
    }
  }
  return ce - dcs.reduce((a, b) => a + b, 0) / dcs.length;
}

describe('nnU-Net DC+CE loss in the graph', () => {
  it.each([true, false])('matches a float64 reference and its gradient matches finite differences (batch dice %s, one class absent)', async (batchDice) => {
    const rand = seededRandom(5);
    const z = fillNormal(new Float32Array(2 * 3 * 64), 1.5, rand);
    // Class 2 is absent from sample 1: the Dice of an absent class must stay finite with the smooth term.
    const t = BigInt64Array.from({ length: 128 }, (_, i) => BigInt(i < 64 ? Math.floor(rand() * 3) : Math.floor(rand() * 2)));
    const session = await lossSession(batchDice);
    const run = async (values: Float32Array) => session.run({ z: new ort.Tensor('float32', values, SHAPE), t: new ort.Tensor('int64', t, [2, 1, 4, 4, 4]) });
    const base = await run(z);
    const loss = base.loss!.data[0] as number;
    expect(Math.abs(loss - referenceLoss(z, t, batchDice))).toBeLessThan(1e-5);
    const dz = base.dz!.data as Float32Array;
    for (let d = 0; d < 3; d++) {
      const v = fillNormal(new Float32Array(z.length), 1, rand);
      const eps = 1e-2;
      const plus = referenceLoss(z.map((x, i) => x + eps * v[i]!), t, batchDice);
      const minus = referenceLoss(z.map((x, i) => x - eps * v[i]!), t, batchDice);
      const numeric = (plus - minus) / (2 * eps);
      const analytic = dz.reduce((s, g, i) => s + g * v[i]!, 0);
      expect(Math.abs(analytic - numeric) / Math.abs(numeric)).toBeLessThan(1e-3);
    }
    // The background logit receives Dice gradient through the softmax: it is not zeroed.
    expect(dz.slice(0, 64).some((x) => x !== 0)).toBe(true);
    await session.release();
  });

  it('picks deep-supervision labels at f*j + floor(f/2) from the full-resolution map (nearest-exact)', async () => {
    expect(deepSupervisionFactors([[1, 1, 1], [2, 2, 2], [1, 2, 2], [2, 2, 2]], 3)).toEqual([[1, 1, 1], [2, 2, 2], [2, 4, 4]]);
    const g = new GraphBuilder('ds');
    const t = g.input('t', 'int64', [1, 1, 1, 8, 8]);
    g.output(downsampleLabels(g, t, [1, 4, 4]), { as: 'out', dtype: 'int64' });
    const session = await ort.InferenceSession.create(g.toBytes(), { executionProviders: ['cpu'] });
    const labels = BigInt64Array.from({ length: 64 }, (_, i) => BigInt(i));
    const out = await session.run({ t: new ort.Tensor('int64', labels, [1, 1, 1, 8, 8]) });
    // Rows 2 and 6, columns 2 and 6: the centred pick, not 0 and 4 (legacy nearest).
    expect([...(out.out!.data as BigInt64Array)].map(Number)).toEqual([18, 22, 50, 54]);
    await session.release();
  });
});
