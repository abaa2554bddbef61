// npm run bench:onnx — forward throughput of the 3d_fullres-like network (6 stages, 32..320 features) at a
// CPU-sized patch (64^3, batch 2) in onnxruntime-node, against the same network in PyTorch CPU with the
// same thread count, in the same run. Budget: >= 1.2x PyTorch's speed and >= 40% of the CPU's FMA peak.
// Rounds alternate the two engines, so load from other processes hits both alike.
// Env: BENCH_PRESET (3d_fullres_cpu), BENCH_THREADS (all cores), BENCH_ROUNDS (3), BENCH_RUNS per round (3).
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { runCommand } from '../src/core/exec.js';
import { FactStore } from '../src/core/fact-store.js';
import { PACKAGE_ROOT } from '../src/core/version.js';
import { estimateCost } from '../src/engine/cost.js';
import { readClockMhz } from '../src/engine/device.js';
import { fillNormal, initWeights, seededRandom } from '../src/engine/init.js';
import { cpuPeak } from '../src/engine/peak.js';
import { isPreset, preset } from '../src/engine/presets.js';
import { createSession, f32Tensor } from '../src/engine/session.js';
import { buildUNetGraph } from '../src/engine/unet-graph.js';
import { describeUNet } from '../src/engine/unet.js';
import { cpuProbe } from '../src/probes/cpu.js';
import { median } from './measure.js';

const presetName = process.env.BENCH_PRESET ?? '3d_fullres_cpu';
if (!isPreset(presetName)) throw new Error(`unknown BENCH_PRESET ${presetName}`);
const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const PEER = path.join(PACKAGE_ROOT, 'fixtures', 'engine', 'unet_torch.py');

const config = preset(presetName);
const description = describeUNet(config);
const cost = estimateCost(description);
const cpu = await new FactStore({ probes: [cpuProbe], options: { probeTimeoutMs: 10_000 } }).get('cpu');
const clockMhz = await readClockMhz();
const peak = cpu.ok && clockMhz > 0 ? cpuPeak({ cores: Math.min(threads, cpu.physicalCores ?? threads), clockMhz, flags: cpu.flags, arch: process.arch }) : undefined;

console.log(`forward pass, ${config.name}: patch ${config.patchSize.join('x')}, batch ${config.batchSize}, ${(description.parameterCount / 1e6).toFixed(1)} M parameters, ${(cost.forward.convFlops / 1e9).toFixed(1)} GFLOP; ${threads} threads, ${rounds} rounds x ${runs} runs`);

const weights = initWeights(description, 0);
const { builder, inputName } = buildUNetGraph(description, { weights, batch: config.batchSize });
const { session, provider } = await createSession(builder.toBytes(), { providers: ['cpu'], intraOpThreads: threads });
if (provider !== 'cpu') throw new Error(`expected the cpu provider, got ${provider}`);
const input = fillNormal(new Float32Array(config.batchSize * description.input.shape.reduce((a, b) => a * b, 1)), 1, seededRandom(1));
const feeds = { [inputName]: f32Tensor(input, [config.batchSize, ...description.input.shape]) };
await session.run(feeds); // warm-up

const dir = await mkdtemp(path.join(tmpdir(), 'bench-onnx-'));
const specFile = path.join(dir, 'spec.json');
await writeFile(specFile, JSON.stringify(config));
const ortMs: number[] = [];
const torchMs: number[] = [];
let torchVersion = '?';
try {
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await session.run(feeds);
      ortMs.push(performance.now() - started);
    }
    const peer = await runCommand('/usr/bin/python3', [PEER, 'bench', specFile, String(threads), '1', String(runs)], { timeoutMs: 900_000 });
    if (!peer.ok) throw new Error(`the PyTorch peer failed: ${peer.reason}\n${peer.stderr}`);
    const parsed = JSON.parse(peer.stdout) as { times_ms: number[]; torch: string; threads: number };
    torchMs.push(...parsed.times_ms);
    torchVersion = `${parsed.torch}, ${parsed.threads} threads`;
    console.log(`  round ${r + 1}: onnxruntime ${ortMs.slice(-runs).map((m) => m.toFixed(0)).join(', ')} ms · PyTorch ${parsed.times_ms.map((m) => m.toFixed(0)).join(', ')} ms`);
  }
} finally {
  await session.release();
  await rm(dir, { recursive: true, force: true });
}

const ort = median(ortMs);
const torch = median(torchMs);
const gflops = cost.forward.convFlops / 1e9 / (ort / 1000);
const torchGflops = cost.forward.convFlops / 1e9 / (torch / 1000);
const ratio = torch / ort;
console.log(`\n  onnxruntime-node (graph built in code)  ${ort.toFixed(0).padStart(7)} ms  ${gflops.toFixed(1)} GFLOP/s`);
console.log(`  PyTorch ${torchVersion.padEnd(31)} ${torch.toFixed(0).padStart(7)} ms  ${torchGflops.toFixed(1)} GFLOP/s`);
console.log(`\n  speed vs PyTorch = ${ratio.toFixed(2)}x (budget >= 1.2x): ${ratio >= 1.2 ? 'within budget' : 'OVER BUDGET'}`);
if (peak) {
  const share = gflops / peak.gflops;
  console.log(`  share of FMA peak = ${(share * 100).toFixed(0)}% of ${peak.gflops.toFixed(0)} GFLOP/s [${peak.basis}] (budget >= 40%): ${share >= 0.4 ? 'within budget' : 'OVER BUDGET'}`);
} else {
  console.log('  share of FMA peak: unknown (no CPU clock or flags on this machine)');
}
