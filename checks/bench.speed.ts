import { defineCheck, fail, info, pass, skip, warn } from '../src/core/index.js';
import { BENCH_NOT_RUN } from '../src/engine/bench-fact.js';
import { fmtDuration } from '../src/engine/estimates.js';
import { fmtBytes } from '../src/util/format.js';

/** Networks this small keep vector units half idle whatever the device; their share says nothing. */
const MIN_JUDGED_GFLOP = 20;
/** Below this share of the estimated peak, something slows the device down (load, throttling, threads). */
const LOW_SHARE = 0.1;
const REF = 'nnunet-doctor src/engine/peak.ts (peak estimate); nnU-Net documentation/benchmarking.md';

export default defineCheck({
  id: 'bench.speed',
  title: 'Network throughput on this device',
  category: 'bench',
  needs: ['bench'],
  run({ bench }) {
    if (!bench.ok) return skip(BENCH_NOT_RUN);
    const o = bench.outcome;
    if (o.status === 'invalid-config') return fail(o.reason, { fix: o.fix, evidence: { available: o.available } });
    if (o.status === 'failed') return fail(`the benchmark could not run: ${o.reason}`, { fix: 'rerun with --provider cpu and a smaller network (--preset tiny) to tell a provider problem from a size problem' });
    if (o.status === 'too-large') {
      return fail(`the ${o.target.name} network needs about ${fmtBytes(o.neededBytes)} for one forward pass on ${o.provider}; only ${fmtBytes(o.availableBytes)} is available`, {
        why: `${(o.cost.parameterCount / 1e6).toFixed(1)} M parameters at patch [${o.target.patchSize.join(', ')}], batch ${o.target.batchSize}${o.notes.length > 0 ? `; ${o.notes.join('; ')}` : ''}. The benchmark did not allocate it.`,
        fix: 'use a smaller patch or batch size (or fewer features) in the plans, or a device with more memory',
        evidence: { neededBytes: o.neededBytes, availableBytes: o.availableBytes, parameterCount: o.cost.parameterCount },
      });
    }
    const summary = `${o.gflops.toFixed(0)} GFLOP/s, ${(o.voxelsPerSecond / 1e6).toFixed(2)} Mvoxel/s, ${fmtDuration(o.secondsPerPatch)} per patch on ${o.provider}`;
    const evidence = { gflops: o.gflops, shareOfPeak: o.shareOfPeak, peak: o.peak, medianMs: o.timing.medianMs, threads: o.threads };
    if (o.shareOfPeak === undefined || o.peak === undefined) return info(`${summary} (no peak figure for this device)`, { evidence });
    if (o.measuredCost.forward.convFlops / 1e9 < MIN_JUDGED_GFLOP) {
      return info(`${summary} (${(o.shareOfPeak * 100).toFixed(0)}% of the estimated peak; too small a network to judge the device by)`, { evidence });
    }
    const share = `${(o.shareOfPeak * 100).toFixed(0)}% of the estimated peak`;
    if (o.shareOfPeak < LOW_SHARE) {
      return warn(`${summary}: only ${share}`, {
        why: `Convolutions normally reach 30-90% of ${o.peak.basis}. Far less points at other load on the machine, thermal or power throttling, a CPU quota below the thread count, or a slow provider.`,
        fix: 'rerun on an idle machine; check `top` for other load and the CPU/GPU clocks; on a GPU check that it is not in a low power state (nvidia-smi -q -d PERFORMANCE)',
        ref: REF,
        evidence,
      });
    }
    return pass(`${summary} (${share})`, { ref: REF, evidence });
  },
});
