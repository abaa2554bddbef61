/**
 * The benchmark's view of the machine, from the shared probes: peak FLOP/s and free memory per provider.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { Facts } from '../core/facts.js';
import { cpuPeak, gpuPeak, type PeakEstimate } from './peak.js';
import type { ProviderName } from './provider-names.js';

export interface DeviceView {
  threads: number;
  peaks: Partial<Record<ProviderName, PeakEstimate>>;
  availableMemoryBytes: Partial<Record<ProviderName, number>>;
  nvidiaGpus: string[];
}

export function deviceView(facts: Pick<Facts, 'cpu' | 'memory' | 'gpu'>, options: { threads?: number; clockMhz?: number; arch?: string } = {}): DeviceView {
  const { cpu, memory, gpu } = facts;
  const effective = cpu.ok ? cpu.effectiveCpus : os.availableParallelism();
  const threads = options.threads ?? effective;
  // SMT siblings share a core's FMA units: count physical cores when the threads would use siblings.
  const physicalShare = cpu.ok && cpu.physicalCores ? Math.max(1, Math.floor((cpu.physicalCores * effective) / cpu.logicalCores)) : effective;
  const clockMhz = options.clockMhz ?? Math.max(0, ...os.cpus().map((c) => c.speed));
  const peaks: DeviceView['peaks'] = {};
  if (cpu.ok && clockMhz > 0) {
    peaks.cpu = cpuPeak({ cores: Math.min(threads, physicalShare), clockMhz, flags: cpu.flags, arch: options.arch ?? process.arch });
  }
  const available: DeviceView['availableMemoryBytes'] = {};
  if (memory.ok) {
    const cgroupRoom = memory.cgroupLimitBytes === null ? Infinity : memory.cgroupLimitBytes - (memory.cgroupUsageBytes ?? 0);
    available.cpu = Math.min(memory.availableBytes, cgroupRoom);
  }
  const nvidia = gpu.ok ? gpu.devices.filter((d) => d.vendor === 'nvidia') : [];
  const first = nvidia[0];
  if (first) {
    const peak = gpuPeak(first.name);
    if (peak) peaks.cuda = peaks.tensorrt = peak;
    if (first.memoryFreeBytes !== undefined) available.cuda = available.tensorrt = first.memoryFreeBytes;
  }
  const other = gpu.ok ? gpu.devices.find((d) => d.vendor !== 'nvidia') : undefined;
  if (other) {
    const peak = gpuPeak(other.name);
    if (peak) peaks.dml = peaks.webgpu = peak;
  }
  return { threads, peaks, availableMemoryBytes: available, nvidiaGpus: nvidia.map((d) => d.name) };
}

/**
 * The CPU clock in MHz for the peak estimate: the boost maximum from cpufreq where the kernel exposes it,
 * else /proc/cpuinfo's "cpu MHz" (VMs), else Node's figure (0 on some VMs and on Apple silicon).
 */
export async function readClockMhz(): Promise<number> {
  const maxKhz = Number((await readFile('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq', 'utf8').catch(() => '')).trim());
  if (maxKhz > 0) return maxKhz / 1000;
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const mhz = [...cpuinfo.matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1]));
  if (mhz.length > 0) return Math.max(...mhz);
  return Math.max(0, ...os.cpus().map((c) => c.speed));
}
