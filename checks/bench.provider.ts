import { defineCheck, pass, skip, warn } from '../src/core/index.js';
import { BENCH_NOT_RUN } from '../src/engine/bench-fact.js';
import { CUDA_INSTALL_COMMAND } from '../src/engine/provider-names.js';

const REF = 'onnxruntime-node README (execution providers); nnunet-doctor dependencies.md §2';

export default defineCheck({
  id: 'bench.provider',
  title: 'Benchmark device (onnxruntime execution provider)',
  category: 'bench',
  needs: ['bench'],
  run({ bench }) {
    if (!bench.ok) return skip(BENCH_NOT_RUN);
    const { outcome, providers, nvidiaGpus } = bench;
    if (outcome.status === 'invalid-config' || outcome.status === 'failed') return skip('nothing ran (see bench.speed)');
    const evidence = { provider: outcome.provider, providers, nvidiaGpus };
    if (bench.providerProbeFailure) {
      return warn(`ran on ${outcome.provider} without knowing which providers load: ${bench.providerProbeFailure}`, {
        why: 'The execution providers are tried in a child process first (a provider that crashes must not take the doctor with it); that step failed, so a GPU provider may have been missed.',
        fix: 'rerun nnunet-doctor bench; if it fails again, pass --provider cuda (or cpu) explicitly',
        ref: REF,
        evidence,
      });
    }
    const cuda = providers.find((p) => p.provider === 'cuda');
    if (outcome.provider === 'cpu' && nvidiaGpus.length > 0 && cuda && !cuda.loads) {
      return warn(`ran on the CPU although ${nvidiaGpus[0]} is present: onnxruntime's CUDA provider did not load (${cuda.reason ?? 'unknown reason'})`, {
        why: 'onnxruntime-node ships without its CUDA provider on Linux; it is a separate download and needs the CUDA 12 runtime and cuDNN 9 libraries. This only affects the benchmark: PyTorch brings its own CUDA.',
        fix: `${CUDA_INSTALL_COMMAND}   (needs internet; then make libcudart.so.12 and libcudnn.so.9 findable, e.g. via LD_LIBRARY_PATH)`,
        ref: REF,
        evidence,
      });
    }
    const fellBack = outcome.status === 'measured' ? outcome.fallbacks : [];
    if (fellBack.length > 0) {
      return warn(`ran on ${outcome.provider}: ${fellBack.map((f) => `${f.provider} failed (${f.reason})`).join('; ')}`, { ref: REF, evidence });
    }
    const others = providers.filter((p) => !p.loads && p.provider !== 'tensorrt').map((p) => `${p.provider}: ${p.reason ?? 'did not load'}`);
    return pass(`ran on ${outcome.provider}`, { details: others.length > 0 ? `not available: ${others.join('; ')}` : undefined, ref: REF, evidence });
  },
});
