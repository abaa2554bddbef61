// npm run bench:onnx — forward throughput of the 3d_fullres-like network (6 stages, 32..320 features) at a
// CPU-sized patch (64^3, batch 2) in onnxruntime-node, against the same network in PyTorch CPU with the
// same thread count, in the same run. Budget: >= 1.2x PyTorch's speed and >= 40% of the CPU's FMA peak.
// Also times the same network exported by torch.onnx.export under identical session options: the issue's
// yardstick for "a graph built in code has no excuse to be slower".
// Fairness on a shared machine: one live PyTorch process, warm-up for every contender, then runs that
// alternate contender by contender (rotating who goes first), and the speed-up as the median of per-run
// ratios, so load from other processes hits all contenders alike.
// Env: BENCH_PRESET (3d_fullres_cpu), BENCH_THREADS (all cores), BENCH_WARMUP (2), BENCH_RUNS (7),
// BENCH_EXPORTED (1; 0 skips the PyTorch-exported graph), BENCH_PROFILE (0; 1 adds onnxruntime's per-op
// profile of our graph, from separate untimed runs since the profiler times every node).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { FactStore } from '../src/core/fact-store.js';
import { estimateCost } from '../src/engine/cost.js';
import { readClockMhz } from '../src/engine/device.js';
import { fillNormal, initWeights, seededRandom } from '../src/engine/init.js';
import { cpuPeak } from '../src/engine/peak.js';
import { isPreset, preset } from '../src/engine/presets.js';
import { opTimes, readOrtProfile } from '../src/engine/profile.js';
import { createSession, f32Tensor } from '../src/engine/session.js';
import { buildUNetGraph } from '../src/engine/unet-graph.js';
import { describeUNet } from '../src/engine/unet.js';
import { product } from '../src/util/math.js';
import { cpuProbe } from '../src/probes/cpu.js';
import { median } from '../src/util/math.js';
import { exportTorchOnnx, startTorchForward } from './peers/torch-forward.js';

const presetName = process.env.BENCH_PRESET ?? '3d_fullres_cpu';
if (!isPreset(presetName)) throw new Error(`unknown BENCH_PRESET ${presetName}`);
const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const withExported = process.env.BENCH_EXPORTED !== '0';
const withProfile = process.env.BENCH_PROFILE === '1';
const PEER_TIMEOUT_MS = 600_000;

const config = preset(presetName);
const description = describeUNet(config);
const cost = estimateCost(description);
const cpu = await new FactStore({ probes: [cpuProbe], options: { probeTimeoutMs: 10_000 } }).get('cpu');
const clockMhz = await readClockMhz();
const peak = cpu.ok && clockMhz > 0 ? cpuPeak({ cores: Math.min(threads, cpu.physicalCores ?? threads), clockMhz, flags: cpu.flags, arch: process.arch }) : undefined;
const gflopsOf = (ms: number) => cost.forward.convFlops / 1e9 / (ms / 1000);

console.log(`forward pass, ${config.name}: patch ${config.patchSize.join('x')}, batch ${config.batchSize}, ${(description.parameterCount / 1e6).toFixed(1)} M parameters, ${(cost.forward.convFlops / 1e9).toFixed(1)} GFLOP; ${threads} threads, ${warmup} warm-up + ${runs} interleaved runs each`);

interface Contender {
  label: string;
  /** For the per-run lines. */
  short: string;
  run(): Promise<number>;
  timesMs: number[];
  endProfiling?(): void;
}

const dir = await mkdtemp(path.join(tmpdir(), 'bench-onnx-'));
const specFile = path.join(dir, 'spec.json');
await writeFile(specFile, JSON.stringify(config));
const dims = [config.batchSize, ...description.input.shape];
const feeds = { [description.input.name]: f32Tensor(fillNormal(new Float32Array(product(dims)), 1, seededRandom(1)), dims) };
const releases: (() => unknown)[] = [() => rm(dir, { recursive: true, force: true })];

/** Both onnxruntime contenders get the very same session options (createSession, cpu, `threads`). */
async function ortContender(label: string, short: string, model: Uint8Array, profilePrefix?: string): Promise<Contender> {
  const { session, provider } = await createSession(model, { providers: ['cpu'], intraOpThreads: threads, profilePrefix });
  if (provider !== 'cpu') throw new Error(`expected the cpu provider, got ${provider}`);
  releases.push(() => session.release());
  const run = async () => {
    const started = performance.now();
    await session.run(feeds);
    return performance.now() - started;
  };
  return { label, short, run, timesMs: [], endProfiling: () => session.endProfiling() };
}

/** One warm-up and two profiled runs of our graph, summed per op type. */
async function printProfile(model: Uint8Array): Promise<void> {
  const prefix = path.join(dir, 'profile');
  const profiled = await ortContender('profiled', 'profiled', model, prefix);
  for (let i = 0; i < 3; i++) await profiled.run();
  profiled.endProfiling!();
  console.log('\n  onnxruntime profile of our graph (kernel time per op type, 2 runs after a warm-up):');
  for (const t of opTimes(await readOrtProfile(prefix), 1)) {
    console.log(`    ${t.opType.padEnd(22)} ${t.msPerRun.toFixed(0).padStart(6)} ms  ${(t.share * 100).toFixed(1).padStart(5)}%`);
  }
}

try {
  const weights = initWeights(description, 0);
  const model = buildUNetGraph(description, { weights, batch: config.batchSize }).builder.toBytes();
  weights.clear();
  const ours = await ortContender('onnxruntime-node, graph built in code', 'ours', model);
  const contenders = [ours];
  if (withExported) {
    const file = path.join(dir, 'torch-export.onnx');
    await exportTorchOnnx(specFile, file, PEER_TIMEOUT_MS);
    contenders.push(await ortContender('onnxruntime-node, torch.onnx.export graph', 'exported', await readFile(file)));
  }
  const torch = await startTorchForward(specFile, threads, PEER_TIMEOUT_MS);
  releases.push(() => torch.close());
  const eager: Contender = { label: `PyTorch ${torch.torch} eager, ${torch.threads} threads`, short: 'PyTorch', run: () => torch.run(), timesMs: [] };
  contenders.push(eager);

  for (const c of contenders) for (let i = 0; i < warmup; i++) await c.run();
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(r + k) % contenders.length]!;
      c.timesMs.push(await c.run());
    }
    console.log(`  run ${r + 1}: ${contenders.map((c) => `${c.short} ${c.timesMs.at(-1)!.toFixed(0)} ms`).join(' · ')}`);
  }

  console.log('');
  const width = Math.max(...contenders.map((c) => c.label.length));
  for (const c of contenders) {
    const ms = median(c.timesMs);
    const share = peak ? `  ${((gflopsOf(ms) / peak.gflops) * 100).toFixed(0)}% of peak` : '';
    console.log(`  ${c.label.padEnd(width)}  ${ms.toFixed(0).padStart(6)} ms  ${gflopsOf(ms).toFixed(1).padStart(6)} GFLOP/s${share}`);
  }
  // Per-run ratios pair runs that met the same load; the median of them is the headline.
  const speedup = (other: Contender) => median(other.timesMs.map((t, i) => t / ours.timesMs[i]!));
  const vsTorch = speedup(eager);
  console.log(`\n  speed vs PyTorch = ${vsTorch.toFixed(3)}x (median of ${runs} paired runs; budget >= 1.2x): ${vsTorch >= 1.2 ? 'within budget' : 'OVER BUDGET'}`);
  if (withExported) console.log(`  speed vs the torch.onnx.export graph in onnxruntime = ${speedup(contenders[1]!).toFixed(3)}x`);
  if (peak) {
    const share = gflopsOf(median(ours.timesMs)) / peak.gflops;
    console.log(`  share of FMA peak = ${(share * 100).toFixed(0)}% of ${peak.gflops.toFixed(0)} GFLOP/s [${peak.basis}] (budget >= 40%): ${share >= 0.4 ? 'within budget' : 'OVER BUDGET'}`);
  } else {
    console.log('  share of FMA peak: unknown (no CPU clock or flags on this machine)');
  }
  if (withProfile) await printProfile(model);
} finally {
  for (const release of releases.reverse()) await release();
}
