import { describe, expect, it } from 'vitest';
import check from '../../checks/bench.speed.js';
import { estimateCost } from '../../src/engine/cost.js';
import { preset } from '../../src/engine/presets.js';
import { describeUNet } from '../../src/engine/unet.js';
import { benchFact, measured } from './bench-facts.js';

type F = { status: string; summary: string; fix?: string; details?: string };
const run = (facts: ReturnType<typeof benchFact>) => check.run(facts) as unknown as F;

describe('bench.speed', () => {
  it('passes a run at a normal share of the peak', () => {
    // 2131 GFLOP in 20 s = 107 GFLOP/s = 68% of 157.
    const f = run(benchFact(measured(20_000)));
    expect(f.status).toBe('pass');
    expect(f.summary).toMatch(/^107 GFLOP\/s.*68% of the estimated peak/);
  });

  it('warns when the device runs far below its peak', () => {
    const f = run(benchFact(measured(400_000)));
    expect(f.status).toBe('warn');
    expect(f.summary).toMatch(/only 3% of the estimated peak/);
  });

  it('fails a plans file that is not JSON, with its fix', () => {
    const f = run(benchFact({ status: 'invalid-config', reason: 'nnUNetPlans.json is not JSON (Unexpected end of JSON input)', fix: 'regenerate it' }));
    expect(f).toMatchObject({ status: 'fail', fix: 'regenerate it' });
  });

  it('fails a network that does not fit, with both numbers', () => {
    const target = preset('3d_fullres');
    const cost = estimateCost(describeUNet(target));
    const f = run(benchFact({ status: 'too-large', target, notes: [], provider: 'cpu', cost, neededBytes: 3 * 2 ** 30, availableBytes: 2 ** 30 }));
    expect(f.status).toBe('fail');
    expect(f.summary).toMatch(/needs about 3\.0 GiB.*only 1\.0 GiB is available/);
    expect(f.details).toMatch(/31\.2 M parameters/);
  });
});

describe('bench.speed on a tiny network', () => {
  it('does not blame the device for the low efficiency of a tiny network', () => {
    const tiny = measured(400_000);
    const small = { ...tiny, measuredCost: { ...tiny.measuredCost, forward: { convFlops: 2e9, elementwiseFlops: 0 } } };
    const f = run(benchFact(small));
    expect(f.status).toBe('info');
    expect(f.summary).toMatch(/too small a network to judge/);
  });
});
