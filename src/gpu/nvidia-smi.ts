import { MiB } from '../util/format.js';

/**
 * Parsers for nvidia-smi output. We query by field name (csv, noheader, nounits) instead of scraping the
 * table, and never ask for uuid or serial: they identify the machine and must not reach reports.
 */
export const GPU_QUERY_FIELDS = [
  'index',
  'name',
  'memory.total',
  'memory.used',
  'memory.free',
  'driver_version',
  'pci.bus_id',
  'display_active',
  'compute_cap',
] as const;

/** Drivers older than about R510 do not know `compute_cap`; we retry without it. */
export const GPU_QUERY_FIELDS_LEGACY = GPU_QUERY_FIELDS.filter((f) => f !== 'compute_cap');

export const APPS_QUERY_FIELDS = ['gpu_bus_id', 'pid', 'process_name', 'used_memory'] as const;

export interface NvidiaGpuRow {
  index: number;
  name: string;
  memoryTotalBytes?: number;
  memoryUsedBytes?: number;
  memoryFreeBytes?: number;
  driverVersion?: string;
  busId?: string;
  displayActive?: boolean;
  computeCapability?: string;
}

export interface GpuProcess {
  /** Index of the GPU (nvidia-smi numbering), matched through the PCI bus id. */
  gpuIndex?: number;
  pid: number;
  /** The program's base name only: full paths can carry user names. */
  name: string;
  usedBytes?: number;
}

/** nvidia-smi writes `[N/A]`, `[Not Supported]`, `[Insufficient Permissions]` where it has no value. */
function value(cell: string | undefined): string | undefined {
  const v = cell?.trim();
  return !v || /^\[.*\]$/.test(v) || v === 'N/A' ? undefined : v;
}

function mib(cell: string | undefined): number | undefined {
  const v = value(cell);
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n * MiB : undefined;
}

function rows(csv: string): string[][] {
  return csv
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.split(',').map((c) => c.trim()));
}

export function parseGpuQuery(csv: string, fields: readonly string[]): NvidiaGpuRow[] {
  return rows(csv)
    .filter((cells) => cells.length >= fields.length)
    .map((cells) => {
      // A GPU name could hold a comma; it is the only free-text field, so surplus cells belong to it.
      const surplus = cells.length - fields.length;
      const nameAt = fields.indexOf('name');
      const merged = surplus > 0 ? [...cells.slice(0, nameAt), cells.slice(nameAt, nameAt + surplus + 1).join(', '), ...cells.slice(nameAt + surplus + 1)] : cells;
      const get = (field: string) => merged[fields.indexOf(field)];
      const display = value(get('display_active'));
      return {
        index: Number(get('index')),
        name: value(get('name')) ?? 'unknown GPU',
        memoryTotalBytes: mib(get('memory.total')),
        memoryUsedBytes: mib(get('memory.used')),
        memoryFreeBytes: mib(get('memory.free')),
        driverVersion: value(get('driver_version')),
        busId: value(get('pci.bus_id')),
        displayActive: display === undefined ? undefined : display.toLowerCase() === 'enabled',
        computeCapability: fields.includes('compute_cap') ? value(get('compute_cap')) : undefined,
      };
    })
    .filter((row) => Number.isInteger(row.index));
}

export function parseComputeApps(csv: string, gpus: readonly NvidiaGpuRow[]): GpuProcess[] {
  const byBus = new Map(gpus.filter((g) => g.busId).map((g) => [normalizeBusId(g.busId!), g.index]));
  return rows(csv)
    .filter((cells) => cells.length >= APPS_QUERY_FIELDS.length && /^\d+$/.test(cells[1]!))
    .map(([bus, pid, name, used]) => ({
      gpuIndex: bus ? byBus.get(normalizeBusId(bus)) : undefined,
      pid: Number(pid),
      name: baseName(value(name) ?? 'unknown'),
      usedBytes: mib(used),
    }));
}

/** `00000000:01:00.0` and `0000:01:00.0` name the same slot. */
function normalizeBusId(id: string): string {
  return id.toLowerCase().replace(/^0+(?=[0-9a-f]{4}:)/, '');
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** The "CUDA Version" in nvidia-smi's banner: the newest CUDA this driver supports. */
export function parseBannerCudaVersion(text: string): string | undefined {
  return /CUDA Version\s*:\s*(\d+\.\d+)/.exec(text)?.[1];
}

/**
 * What a failed nvidia-smi said: the kernel driver is missing, mismatched or wedged, or it runs but
 * sees no GPU (a container started without `--gpus`).
 */
export function classifyFailure(text: string): 'driver-error' | 'no-devices' | undefined {
  if (/couldn't communicate with the NVIDIA driver|Failed to initialize NVML|Driver\/library version mismatch|Unable to determine the device handle/i.test(text)) {
    return 'driver-error';
  }
  return /No devices were found/i.test(text) ? 'no-devices' : undefined;
}

export function isUnknownFieldError(text: string): boolean {
  return /is not a valid field to query/i.test(text);
}
