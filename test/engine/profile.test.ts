import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fillNormal, initWeights, seededRandom } from '../../src/engine/init.js';
import { preset } from '../../src/engine/presets.js';
import { nodeTimes, opTimes, readOrtProfile, type OrtTraceEvent } from '../../src/engine/profile.js';
import { createSession, f32Tensor } from '../../src/engine/session.js';
import { buildUNetGraph } from '../../src/engine/unet-graph.js';
import { describeUNet } from '../../src/engine/unet.js';
import { product } from '../../src/util/math.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const run = (ts: number, dur: number): OrtTraceEvent => ({ cat: 'Session', name: 'model_run', ts, dur });
const kernel = (name: string, op: string, ts: number, dur: number): OrtTraceEvent => ({ cat: 'Node', name: `${name}_kernel_time`, ts, dur, args: { op_name: op } });

describe('opTimes', () => {
  const events = [
    run(0, 100), kernel('n0', 'Conv', 1, 90), kernel('n1', 'Relu', 91, 9),
    run(200, 100), kernel('n0', 'Conv', 201, 6000), kernel('n1', 'Relu', 6201, 2000),
    run(9000, 100), kernel('n0', 'Conv', 9001, 4000), kernel('n1', 'Relu', 13001, 0),
    { cat: 'Node', name: 'n0_fence_before', ts: 201, dur: 777 },
  ];

  it('averages kernel time per op type over the runs after the warm-up ones', () => {
    expect(opTimes(events, 1)).toEqual([
      { opType: 'Conv', msPerRun: 5, share: 10 / 12 },
      { opType: 'Relu', msPerRun: 1, share: 2 / 12 },
    ]);
  });

  it('gives each node its median kernel time and the median run, after the warm-up ones', () => {
    const { nodes, runMs } = nodeTimes([...events, run(20000, 400), kernel('n0', 'Conv', 20001, 2000), kernel('n1', 'Relu', 22001, 100)], 1);
    expect(nodes).toEqual(new Map([['n0', { opType: 'Conv', ms: 4 }], ['n1', { opType: 'Relu', ms: 0.1 }]]));
    expect(runMs).toBe(0.1);
  });

  it('counts every run without skipping, and nothing when all are skipped', () => {
    expect(opTimes(events)[0]).toEqual({ opType: 'Conv', msPerRun: 10.09 / 3, share: 10.09 / 12.099 });
    expect(opTimes(events, 3)).toEqual([]);
  });
});

describe('profiling a real session', () => {
  it('reads the profile onnxruntime writes and finds the U-Net\'s ops in it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ort-profile-'));
    dirs.push(dir);
    const description = describeUNet(preset('tiny'));
    const { builder, inputName } = buildUNetGraph(description, { weights: initWeights(description, 0), batch: 1 });
    const prefix = path.join(dir, 'unet');
    const { session } = await createSession(builder.toBytes(), { providers: ['cpu'], intraOpThreads: 1, profilePrefix: prefix });
    const dims = [1, ...description.input.shape];
    const feeds = { [inputName]: f32Tensor(fillNormal(new Float32Array(product(dims)), 1, seededRandom(2)), dims) };
    for (let i = 0; i < 3; i++) await session.run(feeds);
    session.endProfiling();
    await session.release();

    const times = opTimes(await readOrtProfile(prefix), 1);
    expect(times.map((t) => t.opType).sort()).toEqual(['Concat', 'Conv', 'ConvTranspose', 'InstanceNormalization', 'LeakyRelu']);
    expect(times.reduce((s, t) => s + t.share, 0)).toBeCloseTo(1, 6);
    for (const t of times) expect(t.msPerRun).toBeGreaterThan(0);
    await expect(readOrtProfile(path.join(dir, 'other'))).rejects.toThrow(/no onnxruntime profile/);
  });
});
