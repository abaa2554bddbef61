import os from 'node:os';
import { defineProbe, type ProbeContext, type Probed } from '../core/index.js';
import { readOwnCgroupLimits } from './linux/cgroup.js';
import { parseCpuinfo } from './linux/cpuinfo.js';
import { readTextOrNull } from './linux/read.js';

export interface CpuInfo {
  model: string;
  /** Logical CPUs of the host: what Python's os.cpu_count(), and so nnU-Net's worker default, sees. */
  logicalCores: number;
  physicalCores: number | null;
  /** CPUs this process may be scheduled on (sched_getaffinity: taskset, cpuset, SLURM --cpus-per-task). */
  affinityCpus: number;
  /** The cgroup CPU bandwidth quota in CPUs (docker --cpus, Kubernetes limits), or null when unlimited. */
  cgroupQuotaCpus: number | null;
  cgroupVersion: 1 | 2 | null;
  /**
   * The CPUs work can really use: the least of the logical count, the affinity set and the cgroup quota
   * (rounded down, at least 1). system.workers sizes data-augmentation workers against this.
   */
  effectiveCpus: number;
  /** Vector-unit flags that matter for CPU FLOP peaks (avx2, avx512f, fma, amx_tile; asimd, sve on ARM). */
  flags: string[];
}

declare module '../core/facts.js' {
  interface Facts {
    cpu: Probed<CpuInfo>;
  }
}

const RELEVANT_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx512_bf16', 'avx512_fp16', 'amx_tile', 'amx_bf16', 'asimd', 'asimdhp', 'sve', 'sve2', 'bf16'];

export function relevantFlags(flags: readonly string[]): string[] {
  // Intel Macs spell AVX as "AVX1.0".
  const lower = new Set(flags.map((f) => f.toLowerCase().replace(/^avx1\.0$/, 'avx').replace(/\./g, '_')));
  return RELEVANT_FLAGS.filter((f) => lower.has(f));
}

/** Counts a kernel CPU list such as "0-3,8,10-11" (Cpus_allowed_list in /proc/self/status). */
export function countCpuList(list: string): number | null {
  let count = 0;
  for (const part of list.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return null;
    count += m[2] === undefined ? 1 : Number(m[2]) - Number(m[1]) + 1;
  }
  return count > 0 ? count : null;
}

export function effectiveCpusOf(logicalCores: number, affinityCpus: number, cgroupQuotaCpus: number | null): number {
  const quota = cgroupQuotaCpus === null ? Infinity : Math.floor(cgroupQuotaCpus);
  return Math.max(1, Math.min(logicalCores, affinityCpus, quota));
}

export const cpuProbe = defineProbe({
  fact: 'cpu',
  async probe(ctx) {
    const cpus = os.cpus();
    const logicalCores = cpus.length || os.availableParallelism();
    const details = ctx.platform === 'linux' ? await linuxDetails() : ctx.platform === 'darwin' ? await macDetails(ctx) : {};
    const affinityCpus = details.affinityCpus ?? os.availableParallelism();
    const cgroupQuotaCpus = details.cgroupQuotaCpus ?? null;
    return {
      ok: true,
      model: details.model ?? cpus[0]?.model.trim() ?? 'unknown',
      logicalCores,
      physicalCores: details.physicalCores ?? null,
      affinityCpus,
      cgroupQuotaCpus,
      cgroupVersion: details.cgroupVersion ?? null,
      effectiveCpus: effectiveCpusOf(logicalCores, affinityCpus, cgroupQuotaCpus),
      flags: relevantFlags(details.flags ?? []),
    };
  },
});

interface PlatformDetails {
  model?: string;
  physicalCores?: number;
  affinityCpus?: number;
  cgroupQuotaCpus?: number | null;
  cgroupVersion?: 1 | 2 | null;
  flags?: string[];
}

async function linuxDetails(): Promise<PlatformDetails> {
  const [cpuinfo, status, limits] = await Promise.all([readTextOrNull('/proc/cpuinfo'), readTextOrNull('/proc/self/status'), readOwnCgroupLimits()]);
  const summary = parseCpuinfo(cpuinfo ?? '');
  const allowed = /^Cpus_allowed_list:\s*(\S+)/m.exec(status ?? '')?.[1];
  return {
    model: summary.model,
    physicalCores: summary.physicalCores,
    affinityCpus: (allowed && countCpuList(allowed)) || undefined,
    cgroupQuotaCpus: limits.cpuQuotaCpus,
    cgroupVersion: limits.cpuQuotaVersion,
    flags: summary.flags,
  };
}

async function macDetails(ctx: ProbeContext): Promise<PlatformDetails> {
  const sysctl = async (name: string) => {
    const r = await ctx.exec('sysctl', ['-n', name], { timeoutMs: 3000 });
    return r.ok ? r.stdout.trim() : undefined;
  };
  const [physical, brand, features, leaf7] = await Promise.all(
    ['hw.physicalcpu', 'machdep.cpu.brand_string', 'machdep.cpu.features', 'machdep.cpu.leaf7_features'].map(sysctl),
  );
  return {
    model: brand,
    physicalCores: physical && /^\d+$/.test(physical) ? Number(physical) : undefined,
    // Intel Macs list features in upper case ("AVX2", "AVX512F"); Apple Silicon has NEON (asimd) always.
    flags: `${features ?? ''} ${leaf7 ?? ''}`.split(/\s+/).filter(Boolean).concat(process.arch === 'arm64' ? ['asimd'] : []),
  };
}
