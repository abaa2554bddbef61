// npm run bench:train — one training step (forward, DC+CE loss, backward, clip, SGD) as an ONNX graph, against
// (1) one forward pass of the same network and batch in the same engine (budget: step <= 3.5x forward) and
// (2) PyTorch CPU's training step of the same network, same threads, measured in this run (budget: >= 0.8x
// PyTorch's speed). Also times the default `sanity` run (budget: 60 s on a 2-core machine).
import { availableParallelism } from 'node:os';
import { peerTiming } from './peers/torch-peer.js';
import { median, product } from '../src/util/math.js';
import { fillNormal, initWeights, seededRandom } from '../src/engine/init.js';
import { isPreset, preset, type PresetName } from '../src/engine/presets.js';
import { createSession } from '../src/engine/session.js';
import { Trainer } from '../src/engine/train/trainer.js';
import { dsWeightsFor } from '../src/engine/train/step-graph.js';
import { deepSupervisionFactors } from '../src/engine/train/loss.js';
import { buildUNetGraph } from '../src/engine/unet-graph.js';
import { describeUNet } from '../src/engine/unet.js';
import { runSanity } from '../src/engine/train/sanity.js';
import * as ort from 'onnxruntime-node';

const presetName = (process.env.BENCH_PRESET ?? 'tiny') as PresetName;
if (!isPreset(presetName)) throw new Error(`unknown BENCH_PRESET ${presetName}`);
const repeats = Number(process.env.BENCH_RUNS ?? 9);
// Three untimed runs each: with one, the first timed step was consistently 1.5x the later ones (measured
// 171-183 ms against ~110 ms) while onnxruntime's arena was still growing.
const warmups = Number(process.env.BENCH_WARMUP ?? 3);
const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
const SETTLE_MS = 50;

const config = preset(presetName);
const description = describeUNet(config);
const weights = initWeights(description, 0);
const rand = seededRandom(1);
const voxels = config.batchSize * product(config.patchSize);
const input = fillNormal(new Float32Array(voxels * config.inputChannels), 1, rand);
const labels = BigInt64Array.from({ length: voxels }, () => BigInt(Math.floor(rand() * config.numClasses)));

/**
 * Median times of `a` and `b`, sampled alternately so that load from other processes hits both alike.
 * Each run starts after a pause: onnxruntime's intra-op threads spin for a while after a run, and the other
 * session's spinning threads took cores from the timed one (measured: the forward 50 -> 94 ms back to back).
 */
async function timeInterleaved(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[{ medianMs: number; runsMs: number[] }, { medianMs: number; runsMs: number[] }]> {
  for (let i = 0; i < warmups; i++) {
    await a();
    await b();
  }
  const runs: [number[], number[]] = [[], []];
  for (let i = 0; i < repeats; i++) {
    for (const [k, fn] of [a, b].entries()) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const started = performance.now();
      await fn();
      runs[k]!.push(performance.now() - started);
    }
  }
  return [{ medianMs: median(runs[0]), runsMs: runs[0] }, { medianMs: median(runs[1]), runsMs: runs[1] }];
}

console.log(`training step, preset ${presetName} (${description.parameterCount} parameters, batch ${config.batchSize}, patch ${config.patchSize.join('x')}), ${threads} threads, ${warmups} warm-up + median of ${repeats} alternating runs\n`);
const forward = await createSession(buildUNetGraph(description, { weights, batch: config.batchSize }).builder.toBytes(), { providers: ['cpu'], intraOpThreads: threads });
const feeds = { [description.input.name]: new ort.Tensor('float32', input, [config.batchSize, ...description.input.shape]) };
const trainer = await Trainer.create(description, weights, { batchSize: config.batchSize, batchDice: false, providers: ['cpu'], intraOpThreads: threads });
const [fwd, step] = await timeInterleaved(() => forward.session.run(feeds), () => trainer.step(input, labels, 0.01));
const torch = await peerTiming(
  { description, weights, dsWeights: dsWeightsFor(description), dsFactors: deepSupervisionFactors(config.strides, description.outputs.length), batchDice: false },
  { input, labels, batchSize: config.batchSize },
  threads,
  repeats,
);
const row = (label: string, ms: number, runs?: number[]) => console.log(`  ${label.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms${runs ? `  (runs: ${runs.map((m) => m.toFixed(0)).join(', ')})` : ''}`);
row('onnxruntime forward', fwd.medianMs, fwd.runsMs);
row('onnxruntime training step', step.medianMs, step.runsMs);
row(`PyTorch ${torch.torch} forward (no_grad)`, torch.forwardMs);
row(`PyTorch training step (${torch.threads} threads)`, torch.trainStepMs);
const stepRatio = step.medianMs / fwd.medianMs;
// Runs alternate, so each step has a forward measured next to it: their ratio drifts less with load.
const pairedRatio = median(step.runsMs.map((ms, i) => ms / fwd.runsMs[i]!));
const speed = torch.trainStepMs / step.medianMs;
console.log(`\n  step / forward = ${stepRatio.toFixed(2)}x (budget <= 3.5x): ${stepRatio <= 3.5 ? 'within budget' : 'OVER BUDGET'} (median of per-pair ratios ${pairedRatio.toFixed(2)}x)`);
console.log(`  speed vs PyTorch training step = ${speed.toFixed(2)}x (budget >= 0.8x): ${speed >= 0.8 ? 'within budget' : 'OVER BUDGET'}`);
await trainer.release();
await forward.session.release();

const started = performance.now();
const sanity = await runSanity({ preset: 'tiny', providers: ['cpu'] });
const sanityS = (performance.now() - started) / 1000;
console.log(`\n  default sanity run (synthetic, tiny): ${sanityS.toFixed(1)} s, ${sanity.steps.length} steps, verdict ${sanity.verdict} (budget 60 s on 2 cores): ${sanityS <= 60 ? 'within budget' : 'OVER BUDGET'}`);
