import { defineCheck, fail, pass, skip, warn } from '../src/core/index.js';
import type { CpuInfo } from '../src/probes/cpu.js';
import { plural } from '../src/util/format.js';

/** installation_instructions.md: "6 cores (12 threads) are the bare minimum" for training. */
const MIN_CORES = 6;
const MIN_THREADS = 12;
const REF = 'nnU-Net documentation/installation_instructions.md (hardware requirements)';

export default defineCheck({
  id: 'system.cpu',
  title: 'CPU cores for data augmentation',
  category: 'system',
  needs: ['cpu'],
  run({ cpu }) {
    if (!cpu.ok) return skip(cpu.reason);
    const evidence = {
      model: cpu.model,
      logicalCores: cpu.logicalCores,
      physicalCores: cpu.physicalCores,
      affinityCpus: cpu.affinityCpus,
      cgroupQuotaCpus: cpu.cgroupQuotaCpus,
      effectiveCpus: cpu.effectiveCpus,
      flags: cpu.flags,
    };
    const summary = `${describe(cpu)} (${cpu.model})`;
    const why =
      'nnU-Net augments every training batch on the CPU in about 12 worker processes per GPU (plus half as many for validation); ' +
      'with fewer cores the GPU waits for data and epochs take several times longer.';
    const limited = limitNote(cpu);
    const fix = {
      default: 'train on a machine (or job allocation) with at least 6 cores / 12 threads; more for fast GPUs (the docs suggest 16 cores per A100)',
      linux: 'request more CPUs (SLURM: --cpus-per-task=16; Docker: --cpus=16 or drop --cpuset-cpus) or train on a bigger machine',
    };
    if (cpu.effectiveCpus < MIN_CORES) return fail(`only ${summary}; 6 cores / 12 threads are the minimum for training`, { why: why + limited, fix, ref: REF, evidence });
    const fewCores = cpu.physicalCores !== null && cpu.physicalCores < MIN_CORES;
    if (cpu.effectiveCpus < MIN_THREADS || fewCores) {
      return warn(`${summary}: below the 6 cores / 12 threads nnU-Net names as the minimum`, { why: why + limited, fix, ref: REF, evidence });
    }
    return pass(summary, { details: limited.trim() || undefined, ref: REF, evidence });
  },
});

function describe(cpu: CpuInfo): string {
  const cores = cpu.physicalCores === null ? '' : `${plural(cpu.physicalCores, 'core')} / `;
  const host = `${cores}${plural(cpu.logicalCores, 'thread')}`;
  return cpu.effectiveCpus < cpu.logicalCores ? `${plural(cpu.effectiveCpus, 'CPU')} usable of the host's ${host}` : host;
}

/** Why fewer CPUs are usable than the host has, and what that does to nnU-Net's default. */
function limitNote(cpu: CpuInfo): string {
  if (cpu.effectiveCpus >= cpu.logicalCores) return '';
  const causes = [
    cpu.affinityCpus < cpu.logicalCores ? `the CPU affinity allows ${cpu.affinityCpus}` : '',
    cpu.cgroupQuotaCpus !== null && cpu.cgroupQuotaCpus < cpu.logicalCores ? `a cgroup quota allows ${Number(cpu.cgroupQuotaCpus.toFixed(2))}` : '',
  ].filter(Boolean);
  return (
    ` Here ${causes.join(' and ')} of the host's ${cpu.logicalCores} CPUs. nnU-Net sizes its worker pool from os.cpu_count() = ${cpu.logicalCores}, ` +
    'which ignores both (nnunetv2/utilities/default_n_proc_DA.py); see system.workers.'
  );
}
