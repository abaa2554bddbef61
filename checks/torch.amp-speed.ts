import { defineCheck, pass, skip, warn } from '../src/core/index.js';
import { torchImported } from '../src/python/report.js';

/** AMP on a tensor-core GPU should clearly beat fp32; at or above this ratio the fast fp16 path is missing. */
const SLOW_RATIO = 1.0;

export default defineCheck({
  id: 'torch.amp-speed',
  title: 'Conv3d speed under fp16 autocast (--deep)',
  category: 'torch',
  rank: 90,
  needs: ['python'],
  run({ python }) {
    if (!python.ok) return skip(python.reason);
    const live = torchImported(python);
    const bench = live?.conv3dBenchmark;
    if (!bench) return skip('measured only with --deep (a few seconds of Conv3d forward+backward on cuda:0)');
    if (!bench.ok || bench.fp32Ms === undefined || bench.ampMs === undefined) return skip(`not measured: ${bench.reason ?? 'no timings'}`);
    const ratio = bench.ampMs / bench.fp32Ms;
    const evidence = { device: bench.device, shape: bench.shape, fp32Ms: round(bench.fp32Ms), ampMs: round(bench.ampMs), ampOverFp32: round(ratio), torch: live!.version, cudnn: live!.cudnn };
    const timings = `fp16 autocast ${round(bench.ampMs)} ms vs fp32 ${round(bench.fp32Ms)} ms per step`;
    if (ratio >= SLOW_RATIO) {
      return warn(`3x3x3 Conv3d is not faster under AMP (${timings})`, {
        why: 'nnU-Net always trains with fp16 autocast, so a slow AMP path slows every epoch. Known causes: torch 2.9.x with cuDNN < 9.15 (cuDNN is switched off for fp16 3D convolutions, pytorch/pytorch#166122), wheels with an old cuDNN, or a GPU without fp16 tensor cores.',
        fix: 'pip install "torch==2.8.*" --index-url https://download.pytorch.org/whl/cu128   (or torch >= 2.10)',
        ref: 'pytorch/pytorch#166122',
        evidence,
      });
    }
    return pass(`AMP is ${round(1 / ratio)}x faster than fp32 for 3D convolutions (${timings})`, { evidence });
  },
});

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
