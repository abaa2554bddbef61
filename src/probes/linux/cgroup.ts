import path from 'node:path';
import { parseProcMounts, type MountEntry } from './proc-mounts.js';
import { readTextOrNull, type ReadText } from './read.js';

/** Which cgroup this process is in: the v2 path and, on v1 or hybrid hosts, one path per v1 controller. */
export interface CgroupMembership {
  v2Path?: string;
  v1: Record<string, string>;
}

export interface CgroupLimits {
  /** CPU bandwidth quota as a number of CPUs (quota / period); null when there is none. */
  cpuQuotaCpus: number | null;
  cpuQuotaVersion: 1 | 2 | null;
  memoryLimitBytes: number | null;
  /** Memory charged to the cgroup that sets the limit. */
  memoryUsageBytes: number | null;
  memoryLimitVersion: 1 | 2 | null;
}

/** Parses /proc/self/cgroup lines `hierarchy:controllers:path`. */
export function parseProcSelfCgroup(text: string): CgroupMembership {
  const membership: CgroupMembership = { v1: {} };
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') membership.v2Path = m[3]!;
    else for (const controller of m[2]!.split(',')) if (controller) membership.v1[controller] = m[3]!;
  }
  return membership;
}

/** cgroup v2 `cpu.max`: "max 100000" (no quota) or "200000 100000" (2 CPUs). */
export function parseCpuMax(text: string): number | null {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max') return null;
  return cpusFrom(Number(quota), Number(period ?? 100_000));
}

/** cgroup v1 `cpu.cfs_quota_us` (-1 means none) with `cpu.cfs_period_us`. */
export function parseCfsQuota(quotaText: string, periodText: string | null): number | null {
  return cpusFrom(Number(quotaText.trim()), Number(periodText?.trim() ?? 100_000));
}

function cpusFrom(quotaUs: number, periodUs: number): number | null {
  if (!Number.isFinite(quotaUs) || !Number.isFinite(periodUs) || quotaUs <= 0 || periodUs <= 0) return null;
  return quotaUs / periodUs;
}

/**
 * v2 `memory.max` ("max") or v1 `memory.limit_in_bytes`. v1 writes "no limit" as a page-aligned
 * 2^63 - 1 (9223372036854771712), so anything at or above 2^60 bytes counts as unlimited.
 */
export function parseMemoryLimit(text: string): number | null {
  const value = text.trim();
  if (value === '' || value === 'max') return null;
  const bytes = Number(value);
  return Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 60 ? bytes : null;
}

/**
 * The tightest CPU and memory limits on this process's cgroup and its ancestors. A limit set on a parent
 * (a SLURM job around a step, a Kubernetes pod around a container) binds too, so every level is read.
 * When the cgroup path does not exist under the mount (a cgroup namespace), the mount root is the
 * process's own cgroup and is read alone.
 */
export async function readCgroupLimits(read: ReadText, mounts: readonly MountEntry[], membership: CgroupMembership): Promise<CgroupLimits> {
  const limits: CgroupLimits = { cpuQuotaCpus: null, cpuQuotaVersion: null, memoryLimitBytes: null, memoryUsageBytes: null, memoryLimitVersion: null };
  const cpu = hierarchyFor('cpu', mounts, membership);
  if (cpu) {
    for (const dir of levels(cpu.mountPoint, cpu.cgroupPath)) {
      const quota =
        cpu.version === 2
          ? await readParsed(read, path.posix.join(dir, 'cpu.max'), parseCpuMax)
          : await readCfs(read, dir);
      if (quota !== null && (limits.cpuQuotaCpus === null || quota < limits.cpuQuotaCpus)) {
        limits.cpuQuotaCpus = quota;
        limits.cpuQuotaVersion = cpu.version;
      }
    }
  }
  const memory = hierarchyFor('memory', mounts, membership);
  if (memory) {
    const [limitFile, usageFile] = memory.version === 2 ? ['memory.max', 'memory.current'] : ['memory.limit_in_bytes', 'memory.usage_in_bytes'];
    for (const dir of levels(memory.mountPoint, memory.cgroupPath)) {
      const limit = await readParsed(read, path.posix.join(dir, limitFile), parseMemoryLimit);
      if (limit !== null && (limits.memoryLimitBytes === null || limit < limits.memoryLimitBytes)) {
        limits.memoryLimitBytes = limit;
        limits.memoryLimitVersion = memory.version;
        limits.memoryUsageBytes = await readParsed(read, path.posix.join(dir, usageFile), (t) => (/^\d+$/.test(t.trim()) ? Number(t) : null));
      }
    }
  }
  return limits;
}

/** This process's own limits, from /proc/self. */
export async function readOwnCgroupLimits(): Promise<CgroupLimits> {
  const [mounts, membership] = await Promise.all(['/proc/self/mounts', '/proc/self/cgroup'].map(readTextOrNull));
  return readCgroupLimits(readTextOrNull, parseProcMounts(mounts ?? ''), parseProcSelfCgroup(membership ?? ''));
}

interface Hierarchy {
  version: 1 | 2;
  mountPoint: string;
  cgroupPath: string;
}

/** A v1 hierarchy carrying the controller wins (hybrid hosts mount an empty v2 tree beside it). */
function hierarchyFor(controller: 'cpu' | 'memory', mounts: readonly MountEntry[], membership: CgroupMembership): Hierarchy | undefined {
  const v1 = mounts.find((m) => m.fsType === 'cgroup' && m.options.includes(controller));
  if (v1 && membership.v1[controller] !== undefined) return { version: 1, mountPoint: v1.mountPoint, cgroupPath: membership.v1[controller] };
  const v2 = mounts.find((m) => m.fsType === 'cgroup2');
  if (v2 && membership.v2Path !== undefined) return { version: 2, mountPoint: v2.mountPoint, cgroupPath: membership.v2Path };
  return undefined;
}

/** The cgroup's directory and each ancestor up to the mount root. */
function levels(mountPoint: string, cgroupPath: string): string[] {
  const dirs: string[] = [];
  let rel = path.posix.normalize(`/${cgroupPath}`);
  for (;;) {
    dirs.push(path.posix.join(mountPoint, rel));
    if (rel === '/') return dirs;
    rel = path.posix.dirname(rel);
  }
}

async function readParsed<T>(read: ReadText, file: string, parse: (text: string) => T | null): Promise<T | null> {
  const text = await read(file);
  return text === null ? null : parse(text);
}

async function readCfs(read: ReadText, dir: string): Promise<number | null> {
  const quota = await read(path.posix.join(dir, 'cpu.cfs_quota_us'));
  return quota === null ? null : parseCfsQuota(quota, await read(path.posix.join(dir, 'cpu.cfs_period_us')));
}
