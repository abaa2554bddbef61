import { defineProbe, type Probed } from '../core/index.js';
import { isAllowedEnvVar } from '../env/allowlist.js';

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

const PRESENCE_NAMES = ['LD_LIBRARY_PATH', 'SLURM_JOB_ID', 'LSB_JOBID', 'PBS_JOBID'];

/** The allow-listed part of an environment; exported for tests that feed a made-up environment. */
export function snapshotEnv(env: NodeJS.ProcessEnv): EnvSnapshot {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isAllowedEnvVar(name)) vars[name] = value;
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
