import { defineProbe, type Probed } from '../core/index.js';

export interface EnvSnapshot {
  /** Allow-listed variables with their values, by name. */
  vars: Record<string, string>;
  /** Variables recorded only as present: their values are long or private (LD_LIBRARY_PATH). */
  present: string[];
}

declare module '../core/facts.js' {
  interface Facts {
    /** The environment variables that steer nnU-Net, PyTorch and CUDA; never the rest of the environment. */
    env: Probed<EnvSnapshot>;
  }
}

// Case-insensitive on purpose: NNUNET_RAW on Linux is a common mistake the checks explain.
const VALUE_PATTERNS = [/^nnunet_/i, /^TORCHINDUCTOR_/];
const VALUE_NAMES = new Set([
  'RESULTS_FOLDER',
  'nnssl_pretrained_models',
  'CUDA_VISIBLE_DEVICES',
  'CUDA_DEVICE_ORDER',
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
  'PYTORCH_CUDA_ALLOC_CONF',
  'PYTORCH_ENABLE_MPS_FALLBACK',
  'CUDA_HOME',
  'CUDA_PATH',
]);
const PRESENCE_NAMES = ['LD_LIBRARY_PATH', 'SLURM_JOB_ID', 'LSB_JOBID', 'PBS_JOBID'];

/** The allow-listed part of an environment; exported for tests that feed a made-up environment. */
export function snapshotEnv(env: NodeJS.ProcessEnv): EnvSnapshot {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (VALUE_NAMES.has(name) || VALUE_PATTERNS.some((p) => p.test(name)))) vars[name] = value;
  }
  const sorted = Object.fromEntries(Object.entries(vars).sort(([a], [b]) => a.localeCompare(b)));
  return { vars: sorted, present: PRESENCE_NAMES.filter((name) => env[name] !== undefined) };
}

export const envProbe = defineProbe({
  fact: 'env',
  async probe({ env }) {
    return { ok: true, ...snapshotEnv(env) };
  },
});
