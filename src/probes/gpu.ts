import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { withDeadline } from '../core/deadline.js';
import type { CommandResult } from '../core/exec.js';
import { defineProbe, type ProbeContext, type Probed } from '../core/index.js';
import {
  APPS_QUERY_FIELDS,
  classifyFailure,
  GPU_QUERY_FIELDS,
  GPU_QUERY_FIELDS_LEGACY,
  isUnknownFieldError,
  parseBannerCudaVersion,
  parseComputeApps,
  parseGpuQuery,
  type GpuProcess,
} from '../gpu/nvidia-smi.js';
import { parseRocmSmiJson } from '../gpu/rocm-smi.js';
import { MiB } from '../util/format.js';
import { findOnPath, isExecutableFile } from '../util/which.js';

export type GpuVendor = 'nvidia' | 'amd' | 'intel' | 'apple' | 'other';

export interface GpuDevice {
  /** nvidia-smi's numbering (PCI order), which is not always CUDA's. */
  index: number;
  vendor: GpuVendor;
  name: string;
  memoryTotalBytes?: number;
  memoryUsedBytes?: number;
  memoryFreeBytes?: number;
  /** "8.9"; NVIDIA only. */
  computeCapability?: string;
  /** A monitor is driven by this GPU (the desktop takes VRAM and time slices). */
  displayActive?: boolean;
}

/** How the nvidia-smi call went: a hung or failing nvidia-smi is a finding, not a crash. */
export type NvidiaSmiState = 'ok' | 'not-found' | 'hung' | 'driver-error' | 'no-devices' | 'failed';

export interface GpuInfo {
  /** Where the device list came from; `none` when nothing found a GPU. */
  source: 'nvidia-smi' | 'rocm-smi' | 'systeminformation' | 'none';
  devices: GpuDevice[];
  /** Processes holding VRAM (nvidia-smi only). */
  processes: GpuProcess[];
  driverVersion?: string;
  /** The newest CUDA the driver supports, from nvidia-smi's banner. */
  cudaDriverVersion?: string;
  nvidiaSmi: { state: NvidiaSmiState; path?: string; reason?: string };
}

declare module '../core/facts.js' {
  interface Facts {
    /** The machine's GPUs, driver and VRAM use, without UUIDs or serial numbers. */
    gpu: Probed<GpuInfo>;
  }
}

/** Where NVIDIA's installers put nvidia-smi when it is not on PATH. */
function nvidiaSmiFallbacks(ctx: ProbeContext): string[] {
  if (ctx.platform === 'win32') {
    const programFiles = ctx.env.ProgramFiles ?? 'C:\\Program Files';
    const system = path.win32.join(ctx.env.SystemRoot ?? 'C:\\Windows', 'System32', 'nvidia-smi.exe');
    return [system, path.win32.join(programFiles, 'NVIDIA Corporation', 'NVSMI', 'nvidia-smi.exe')];
  }
  // WSL2 maps the Windows driver's tools here.
  return ctx.platform === 'linux' ? ['/usr/lib/wsl/lib/nvidia-smi'] : [];
}

async function locate(ctx: ProbeContext, name: string, fallbacks: readonly string[] = []): Promise<string | undefined> {
  const onPath = await findOnPath(name, ctx.env, ctx.platform);
  if (onPath) return onPath;
  for (const file of fallbacks) if (await isExecutableFile(file, ctx.platform)) return file;
  return undefined;
}

/** A wedged driver makes nvidia-smi hang forever; leave the fact store's deadline room to spare. */
function smiTimeoutMs(ctx: ProbeContext): number {
  return Math.max(500, Math.min(10_000, ctx.options.probeTimeoutMs * 0.6));
}

const output = (r: CommandResult) => `${r.stdout}\n${r.stderr}`.trim();
const firstLine = (text: string) => text.split(/\r?\n/).find((l) => l.trim())?.trim().slice(0, 300) ?? '';

type SmiResult = GpuInfo;

async function probeNvidiaSmi(ctx: ProbeContext, smi: string): Promise<SmiResult> {
  const timeoutMs = smiTimeoutMs(ctx);
  const query = (fields: readonly string[]) => ctx.exec(smi, [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits'], { timeoutMs });
  // Three independent calls, run together: each costs a driver initialisation when persistence mode is off.
  let [gpuRun, appsRun, bannerRun] = await Promise.all([
    query(GPU_QUERY_FIELDS),
    ctx.exec(smi, [`--query-compute-apps=${APPS_QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'], { timeoutMs }),
    ctx.exec(smi, [], { timeoutMs }),
  ]);
  let fields: readonly string[] = GPU_QUERY_FIELDS;
  if (!gpuRun.ok && !gpuRun.timedOut && isUnknownFieldError(output(gpuRun))) {
    fields = GPU_QUERY_FIELDS_LEGACY;
    gpuRun = await query(fields);
  }
  const base = { source: 'none' as const, devices: [], processes: [] };
  if (!gpuRun.ok) {
    if (gpuRun.timedOut) return { ...base, nvidiaSmi: { state: 'hung', path: smi, reason: gpuRun.reason } };
    const text = output(gpuRun);
    const state = classifyFailure(text) ?? 'failed';
    return { ...base, nvidiaSmi: { state, path: smi, reason: firstLine(text) || gpuRun.reason } };
  }
  const rows = parseGpuQuery(gpuRun.stdout, fields);
  if (rows.length === 0) return { ...base, nvidiaSmi: { state: 'no-devices', path: smi, reason: 'nvidia-smi listed no GPU' } };
  return {
    source: 'nvidia-smi',
    devices: rows.map(({ busId: _busId, driverVersion: _driver, ...row }) => ({ vendor: 'nvidia', ...row })),
    processes: appsRun.ok ? parseComputeApps(appsRun.stdout, rows) : [],
    driverVersion: rows[0]!.driverVersion,
    cudaDriverVersion: bannerRun.ok ? parseBannerCudaVersion(bannerRun.stdout) : undefined,
    nvidiaSmi: { state: 'ok', path: smi },
  };
}

async function probeRocmSmi(ctx: ProbeContext, rocm: string): Promise<GpuDevice[]> {
  const run = await ctx.exec(rocm, ['--showproductname', '--showmeminfo', 'vram', '--json'], { timeoutMs: smiTimeoutMs(ctx) });
  if (!run.ok) return [];
  return parseRocmSmiJson(run.stdout).map((g) => ({
    ...g,
    vendor: 'amd',
    memoryFreeBytes: g.memoryTotalBytes !== undefined && g.memoryUsedBytes !== undefined ? g.memoryTotalBytes - g.memoryUsedBytes : undefined,
  }));
}

function vendorOf(text: string): GpuVendor {
  if (/nvidia/i.test(text)) return 'nvidia';
  if (/\bamd\b|advanced micro|\bati\b|radeon/i.test(text)) return 'amd';
  if (/intel/i.test(text)) return 'intel';
  if (/apple/i.test(text)) return 'apple';
  return 'other';
}

/**
 * Last resort (no vendor tool): the OS's PCI/graphics list, which still shows a GPU whose driver is missing.
 * Linux reads sysfs directly: systeminformation would run lspci and nvidia-smi synchronously, with no
 * deadline, and a wedged driver would freeze the whole run.
 */
async function probeSystemInformation(ctx: ProbeContext): Promise<GpuDevice[]> {
  if (ctx.platform === 'linux') return withDeadline(listPciDisplayDevices(), smiTimeoutMs(ctx)).catch(() => []);
  const si = await import('systeminformation');
  const graphics = await withDeadline(si.graphics(), smiTimeoutMs(ctx)).catch(() => undefined);
  return (graphics?.controllers ?? []).map((c, index) => ({
    index,
    vendor: vendorOf(`${c.vendor} ${c.model}`),
    name: c.model || c.vendor || 'unknown GPU',
    memoryTotalBytes: c.vram ? c.vram * MiB : undefined,
  }));
}

const PCI_VENDORS: Record<string, { vendor: GpuVendor; name: string }> = {
  '0x10de': { vendor: 'nvidia', name: 'NVIDIA GPU' },
  '0x1002': { vendor: 'amd', name: 'AMD GPU' },
  '0x8086': { vendor: 'intel', name: 'Intel GPU' },
};

/** Display controllers (PCI class 0x03xxxx) from /sys/bus/pci/devices. */
export async function listPciDisplayDevices(root = '/sys/bus/pci/devices'): Promise<GpuDevice[]> {
  const addresses = (await readdir(root).catch(() => [] as string[])).sort();
  const devices = await Promise.all(
    addresses.map(async (address) => {
      const [pciClass, vendorId] = await Promise.all(['class', 'vendor'].map((f) => readFile(path.join(root, address, f), 'utf8').then((t) => t.trim(), () => '')));
      if (!pciClass?.startsWith('0x03')) return undefined;
      const known = PCI_VENDORS[vendorId ?? ''] ?? { vendor: 'other' as const, name: 'display controller' };
      return { vendor: known.vendor, name: `${known.name} (PCI ${address})` };
    }),
  );
  return devices.filter((d) => d !== undefined).map((d, index) => ({ index, ...d }));
}

export const gpuProbe = defineProbe({
  fact: 'gpu',
  async probe(ctx) {
    const smi = await locate(ctx, 'nvidia-smi', nvidiaSmiFallbacks(ctx));
    const nvidia: SmiResult = smi
      ? await probeNvidiaSmi(ctx, smi)
      : { source: 'none', devices: [], processes: [], nvidiaSmi: { state: 'not-found', reason: 'nvidia-smi is not on PATH' } };
    if (nvidia.source === 'nvidia-smi' || nvidia.nvidiaSmi.state === 'hung') return { ok: true, ...nvidia };
    const rocm = await locate(ctx, 'rocm-smi');
    const amd = rocm ? await probeRocmSmi(ctx, rocm) : [];
    if (amd.length > 0) return { ok: true, ...nvidia, source: 'rocm-smi', devices: amd };
    const listed = await probeSystemInformation(ctx);
    return { ok: true, ...nvidia, source: listed.length > 0 ? 'systeminformation' : 'none', devices: listed };
  },
});
