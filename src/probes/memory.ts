import os from 'node:os';
import { defineProbe, type ProbeContext, type Probed } from '../core/index.js';
import { readOwnCgroupLimits } from './linux/cgroup.js';
import { parseMeminfo } from './linux/meminfo.js';
import { readTextOrNull } from './linux/read.js';

export interface MemoryInfo {
  /** RAM the kernel manages (under WSL2: the VM's share, capped by .wslconfig). */
  totalBytes: number;
  /** RAM that new work can get without swapping (Linux MemAvailable; elsewhere the OS's free figure). */
  availableBytes: number;
  swapTotalBytes: number | null;
  swapFreeBytes: number | null;
  /** The tightest cgroup memory limit (docker --memory, SLURM --mem, Kubernetes), or null when none. */
  cgroupLimitBytes: number | null;
  cgroupUsageBytes: number | null;
  cgroupVersion: 1 | 2 | null;
}

declare module '../core/facts.js' {
  interface Facts {
    memory: Probed<MemoryInfo>;
  }
}

/** `sysctl vm.swapusage` on macOS: "total = 2048.00M  used = 1043.25M  free = 1004.75M  (encrypted)". */
export function parseMacSwapUsage(text: string): { totalBytes: number; freeBytes: number } | null {
  const size = (key: string) => {
    const m = new RegExp(`${key} = ([\\d.]+)([KMGT])`).exec(text);
    return m ? Number(m[1]) * 1024 ** ('KMGT'.indexOf(m[2]!) + 1) : null;
  };
  const totalBytes = size('total');
  const freeBytes = size('free');
  return totalBytes === null || freeBytes === null ? null : { totalBytes, freeBytes };
}

export const memoryProbe = defineProbe({
  fact: 'memory',
  async probe(ctx) {
    if (ctx.platform === 'linux') return { ok: true, ...(await linuxMemory()) };
    const swap = ctx.platform === 'darwin' ? await macSwap(ctx) : null;
    return {
      ok: true,
      totalBytes: os.totalmem(),
      availableBytes: os.freemem(),
      swapTotalBytes: swap?.totalBytes ?? null,
      swapFreeBytes: swap?.freeBytes ?? null,
      cgroupLimitBytes: null,
      cgroupUsageBytes: null,
      cgroupVersion: null,
    };
  },
});

async function linuxMemory(): Promise<MemoryInfo> {
  const [meminfoText, limits] = await Promise.all([readTextOrNull('/proc/meminfo'), readOwnCgroupLimits()]);
  const meminfo = parseMeminfo(meminfoText ?? '');
  return {
    totalBytes: meminfo.get('MemTotal') ?? os.totalmem(),
    // Kernels before 3.14 lack MemAvailable; MemFree undercounts but is the honest fallback.
    availableBytes: meminfo.get('MemAvailable') ?? meminfo.get('MemFree') ?? os.freemem(),
    swapTotalBytes: meminfo.get('SwapTotal') ?? null,
    swapFreeBytes: meminfo.get('SwapFree') ?? null,
    cgroupLimitBytes: limits.memoryLimitBytes,
    cgroupUsageBytes: limits.memoryUsageBytes,
    cgroupVersion: limits.memoryLimitVersion,
  };
}

async function macSwap(ctx: ProbeContext) {
  const r = await ctx.exec('sysctl', ['-n', 'vm.swapusage'], { timeoutMs: 3000 });
  return r.ok ? parseMacSwapUsage(r.stdout) : null;
}
