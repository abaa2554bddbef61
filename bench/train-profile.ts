// npm run bench:train-profile — where a training step's time goes: onnxruntime's own per-node profile
// (enableProfiling) of the step graph, grouped by phase and by op type, next to the forward graph alone.
// BENCH_PRESET, BENCH_RUNS and BENCH_THREADS as in bench/train.ts.
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { fillNormal, initWeights, seededRandom } from '../src/engine/init.js';
import { isPreset, preset, type PresetName } from '../src/engine/presets.js';
import { nodeTimes, readOrtProfile, type NodeTime } from '../src/engine/profile.js';
import { createSession } from '../src/engine/session.js';
import { buildTrainingStep } from '../src/engine/train/step-graph.js';
import { buildUNetGraph } from '../src/engine/unet-graph.js';
import { describeUNet } from '../src/engine/unet.js';
import { product } from '../src/util/math.js';

const presetName = (process.env.BENCH_PRESET ?? 'tiny') as PresetName;
if (!isPreset(presetName)) throw new Error(`unknown BENCH_PRESET ${presetName}`);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
const config = preset(presetName);
const description = describeUNet(config);
const weights = initWeights(description, 0);
const rand = seededRandom(1);
const batch = config.batchSize;
const voxels = batch * product(config.patchSize);
const dataShape = [batch, ...description.input.shape];
const data = new ort.Tensor('float32', fillNormal(new Float32Array(voxels * config.inputChannels), 1, rand), dataShape);

/** Median kernel time per node over `runs` profiled runs (the first run, a warm-up, is left out). */
async function profile(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ReturnType<typeof nodeTimes>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nnunet-doctor-prof-'));
  try {
    const { session } = await createSession(model, { providers: ['cpu'], intraOpThreads: threads, profilePrefix: path.join(dir, 'step') });
    for (let i = 0; i <= runs; i++) await session.run(feeds);
    session.endProfiling();
    await session.release();
    return nodeTimes(await readOrtProfile(path.join(dir, 'step')), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(title: string, groups: Map<string, number>, limit = 14): void {
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${title}: ${total.toFixed(1)} ms`);
  for (const [key, ms] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, limit)) console.log(`  ${key.padEnd(40)} ${ms.toFixed(1).padStart(7)} ms`);
}

function group(nodes: Map<string, NodeTime>, keyOf: (name: string, op: string) => string): Map<string, number> {
  const groups = new Map<string, number>();
  for (const [name, { opType, ms }] of nodes) groups.set(keyOf(name, opType), (groups.get(keyOf(name, opType)) ?? 0) + ms);
  return groups;
}

console.log(`profile, preset ${presetName}, batch ${batch}, ${threads} threads, median of ${runs} runs`);
const forward = await profile(buildUNetGraph(description, { weights, batch }).builder.toBytes(), { [description.input.name]: data });
table(`forward graph (run ${forward.runMs.toFixed(1)} ms) by op`, group(forward.nodes, (_, op) => op));

const step = buildTrainingStep(description, { batchSize: batch, batchDice: false });
const feeds: Record<string, ort.Tensor> = {
  [step.inputName]: data,
  [step.labelsName]: new ort.Tensor('int64', BigInt64Array.from({ length: voxels }, () => BigInt(Math.floor(rand() * config.numClasses))), step.labelsShape),
  [step.lrName]: new ort.Tensor('float32', Float32Array.of(0.01), []),
};
const flatParams = new Float32Array(step.flat.size);
for (const p of step.params) {
  const values = Float32Array.from(weights.get(p.name)!);
  feeds[p.name] = new ort.Tensor('float32', values, p.shape);
  if (p.offset !== undefined) flatParams.set(values, p.offset);
}
feeds[step.flat.params] = new ort.Tensor('float32', flatParams, [step.flat.size]);
feeds[step.flat.momentum] = new ort.Tensor('float32', new Float32Array(step.flat.size), [step.flat.size]);
const { nodes, runMs } = await profile(step.model, feeds);
// Node names are n<index>_<op>; fused nodes keep the first node's name as their prefix.
const phaseOf = (name: string) => {
  const index = Number(/^n(\d+)_/.exec(name)?.[1] ?? NaN);
  const s = step.phaseStarts;
  if (Number.isNaN(index)) return 'unnamed';
  return index < s.loss ? 'forward' : index < s.backward ? 'loss' : index < s.optimizer ? 'backward' : 'optimizer';
};
table(`training step (${step.nodeCount} nodes, run ${runMs.toFixed(1)} ms) by phase`, group(nodes, (name) => phaseOf(name)));
for (const phase of ['forward', 'backward', 'optimizer', 'loss']) {
  table(`${phase} by op`, group(new Map([...nodes].filter(([name]) => phaseOf(name) === phase)), (_, op) => op), 10);
}
table('slowest nodes', group(nodes, (name, op) => `${name} (${op})`), 25);
