import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/engine/cost.js';
import { reducePatch, runBench, type BenchProgress } from '../../src/engine/bench.js';
import { preset } from '../../src/engine/presets.js';
import { describeUNet } from '../../src/engine/unet.js';

const tinyPeak = { gflops: 100, basis: 'test' };

describe('the benchmark engine', () => {
  it('times the network and derives its figures from the measured median', async () => {
    const progress: BenchProgress[] = [];
    const r = await runBench({
      target: preset('tiny'), configNotes: [], provider: 'cpu', peaks: { cpu: tinyPeak }, availableMemoryBytes: {},
      iterations: 3, warmup: 1, threads: 1, onProgress: (p) => progress.push(p),
    });
    if (r.status !== 'measured') throw new Error(r.status);
    expect(r.provider).toBe('cpu');
    expect(r.timing.timesMs).toHaveLength(3);
    expect(r.timing.minMs).toBeLessThanOrEqual(r.timing.medianMs);
    expect(r.gflops).toBeCloseTo(r.cost.forward.convFlops / 1e9 / (r.timing.medianMs / 1000), 6);
    expect(r.shareOfPeak).toBeCloseTo(r.gflops / 100, 6);
    expect(r.secondsPerPatch).toBeCloseTo(r.timing.medianMs / 1000 / 2, 6);
    expect(r.epoch.secondsPerEpoch).toBeGreaterThan(250 * r.forwardSecondsPerBatch);
    expect(r.measured.scaledToTarget).toBe(false);
    expect(progress.filter((p) => p.phase === 'warmup')).toHaveLength(1);
    expect(progress.at(-1)).toMatchObject({ done: 4, total: 4 });
  }, 60_000);

  it('refuses a network that does not fit, with the numbers, before allocating anything', async () => {
    const started = performance.now();
    const r = await runBench({
      target: preset('3d_fullres'), configNotes: [], provider: 'cpu', peaks: {}, availableMemoryBytes: { cpu: 64 * 2 ** 20 },
      iterations: 1, warmup: 0, threads: 1,
    });
    expect(r.status).toBe('too-large');
    if (r.status !== 'too-large') return;
    expect(r.availableBytes).toBe(64 * 2 ** 20);
    expect(r.neededBytes).toBeGreaterThan(r.availableBytes);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('refuses weights beyond what an ONNX protobuf can hold', async () => {
    const huge = { ...preset('3d_fullres'), featuresPerStage: [32, 64, 128, 256, 4096, 8192] };
    const r = await runBench({ target: huge, configNotes: [], provider: 'cpu', peaks: {}, availableMemoryBytes: {}, iterations: 1, warmup: 0, threads: 1 });
    expect(r.status).toBe('too-large');
    expect(r.notes.join()).toMatch(/exceed the 2 GiB an ONNX protobuf can hold/);
  });

  it('halves the patch while it stays divisible by the total stride', () => {
    const c = preset('3d_fullres');
    const seconds = (x: typeof c) => estimateCost(describeUNet(x)).forward.convFlops / 1e12;
    const reduced = reducePatch(c, seconds, seconds(c) / 8);
    expect(reduced.patchSize.reduce((a, b) => a * b, 1)).toBe(128 ** 3 / 8);
    // Never below the total stride (32): the bottleneck keeps at least one voxel.
    expect(reducePatch(c, () => Infinity, 0).patchSize).toEqual([32, 32, 32]);
  });
});
