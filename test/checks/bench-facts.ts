import type { Facts } from '../../src/core/facts.js';
import type { BenchResult } from '../../src/engine/bench.js';
import type { BenchFact } from '../../src/engine/bench-fact.js';
import { estimateCost } from '../../src/engine/cost.js';
import { estimateEpoch, estimateInference } from '../../src/engine/estimates.js';
import { preset } from '../../src/engine/presets.js';
import { referencesFor } from '../../src/engine/references.js';
import { describeUNet } from '../../src/engine/unet.js';

/** A recorded measurement of the 3d_fullres preset: `medianMs` per batch, on `provider`. */
export function measured(medianMs: number, extra: Partial<Extract<BenchResult, { status: 'measured' }>> = {}): Extract<BenchResult, { status: 'measured' }> {
  const target = preset('3d_fullres');
  const cost = estimateCost(describeUNet(target));
  const gflops = cost.forward.convFlops / 1e9 / (medianMs / 1000);
  const peak = { gflops: 157, basis: '2 cores x 2.45 GHz x 32 FLOP/cycle' };
  return {
    status: 'measured', target, measured: { patchSize: target.patchSize, batchSize: 2, scaledToTarget: false }, notes: [],
    provider: 'cpu', fallbacks: [], threads: 2, cost, measuredCost: cost,
    timing: { iterations: 3, medianMs, minMs: medianMs, maxMs: medianMs, timesMs: [medianMs, medianMs, medianMs] },
    sessionCreateMs: 500, forwardSecondsPerBatch: medianMs / 1000, secondsPerPatch: medianMs / 2000,
    voxelsPerSecond: cost.voxelsPerBatch / (medianMs / 1000), gflops, peak, shareOfPeak: gflops / peak.gflops, memoryUsedBytes: 2 ** 30,
    inference: estimateInference([512, 512, 512], target.patchSize, medianMs / 2000),
    epoch: estimateEpoch(medianMs / 1000, cost.trainingStep.convFlops / cost.forward.convFlops),
    reference: referencesFor(3, 128 ** 3, 2),
    ...extra,
  };
}

export const CPU_ONLY = [
  { provider: 'cuda' as const, bundled: false, loads: false, reason: 'Failed to load shared library' },
  { provider: 'cpu' as const, bundled: true, loads: true },
];

export function benchFact(outcome: BenchFact['outcome'], nvidiaGpus: string[] = [], providers = CPU_ONLY): Pick<Facts, 'bench'> {
  return { bench: { ok: true, outcome, providers, nvidiaGpus } };
}
