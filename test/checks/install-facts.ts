import type { Facts } from '../../src/core/facts.js';
import type { GpuDevice, GpuInfo } from '../../src/probes/gpu.js';
import type { ImportFailure, NnunetMetadata, PythonProbeResult, TorchRuntime } from '../../src/python/report.js';
import { GiB } from '../../src/util/format.js';

/** Made-up facts for the GPU/Python/torch/nnU-Net checks: a healthy workstation unless told otherwise. */

export function torchRuntime(over: Partial<TorchRuntime> = {}): TorchRuntime {
  return {
    ok: true,
    version: '2.8.0+cu128',
    cuda: '12.8',
    hip: null,
    cudnn: 91002,
    cudaAvailable: true,
    cudaWarnings: [],
    devices: [{ index: 0, name: 'NVIDIA GeForce RTX 4090', totalMemoryBytes: 24 * GiB, capability: '8.9' }],
    archList: ['sm_50', 'sm_60', 'sm_70', 'sm_75', 'sm_80', 'sm_86', 'sm_90', 'sm_100', 'sm_120'],
    mpsAvailable: false,
    importMs: 1200,
    ...over,
  };
}

export function nnunetMeta(over: Partial<NnunetMetadata> = {}): NnunetMetadata {
  return {
    version: '2.6.4',
    editable: false,
    editableUrl: null,
    requires: ['torch!=2.9.*,>=2.1.2', 'numpy>=1.24', 'tqdm'],
    consoleScripts: ['nnUNetv2_predict', 'nnUNetv2_train'],
    location: '/env/lib/python3.11/site-packages/nnunetv2',
    import: { ok: true },
    ...over,
  };
}

export interface PythonFactInput {
  version?: [number, number, number];
  torch?: TorchRuntime | ImportFailure | null;
  /** torch files present (location); defaults to present when torch is given. */
  torchLocation?: string | null;
  packages?: Record<string, string | null>;
  installed?: Record<string, string>;
  nnunet?: NnunetMetadata | null;
  fipsEnabled?: boolean | null;
  stderrTail?: string;
  prefix?: string;
}

export function pythonFact(input: PythonFactInput = {}): Facts['python'] {
  const [major, minor, micro] = input.version ?? [3, 11, 9];
  const torch = input.torch === undefined ? torchRuntime() : input.torch;
  const nnunet = input.nnunet === undefined ? nnunetMeta() : input.nnunet;
  const torchVersion = torch?.ok ? torch.version : torch ? '2.8.0+cu128' : null;
  const packages = { torch: torchVersion, nnunetv2: nnunet?.version ?? null, numpy: '1.26.4', setuptools: '75.1.0', ...input.packages };
  const installed = input.installed ?? (Object.fromEntries(Object.entries(packages).filter(([, v]) => v !== null)) as Record<string, string>);
  const prefix = input.prefix ?? '/env';
  const result: PythonProbeResult = {
    schema: 1,
    mode: 'live',
    interpreter: {
      executable: `${prefix}/bin/python3`,
      version: `${major}.${minor}.${micro}`,
      versionInfo: [major, minor, micro],
      implementation: 'CPython',
      prefix,
      basePrefix: '/usr',
      venv: true,
      conda: null,
      markers: { platform_system: 'Linux', sys_platform: 'linux', python_version: `${major}.${minor}`, platform_machine: 'x86_64' },
    },
    fipsEnabled: input.fipsEnabled === undefined ? false : input.fipsEnabled,
    packages,
    installed,
    nnunet,
    torch: {
      location: input.torchLocation !== undefined ? input.torchLocation : torchVersion ? `${prefix}/lib/python3.11/site-packages/torch` : null,
      versionFile: null,
      import: torch,
    },
    probeMs: 1300,
    command: `${prefix}/bin/python3`,
    chosenBy: 'path',
    stderrTail: input.stderrTail,
  };
  return { ok: true, ...result };
}

export function nvidiaGpu(over: Partial<GpuDevice> = {}): GpuDevice {
  const total = over.memoryTotalBytes ?? 24 * GiB;
  return {
    index: 0,
    vendor: 'nvidia',
    name: 'NVIDIA GeForce RTX 4090',
    memoryTotalBytes: total,
    memoryUsedBytes: 0.5 * GiB,
    memoryFreeBytes: total - 0.5 * GiB,
    computeCapability: '8.9',
    displayActive: false,
    ...over,
  };
}

export function gpuFact(over: Partial<GpuInfo> = {}): Facts['gpu'] {
  return {
    ok: true,
    source: 'nvidia-smi',
    devices: [nvidiaGpu()],
    processes: [],
    driverVersion: '570.133.07',
    cudaDriverVersion: '12.8',
    nvidiaSmi: { state: 'ok', path: '/usr/bin/nvidia-smi' },
    ...over,
  };
}

export const noGpu = (): Facts['gpu'] =>
  gpuFact({ source: 'none', devices: [], driverVersion: undefined, cudaDriverVersion: undefined, nvidiaSmi: { state: 'not-found', reason: 'nvidia-smi is not on PATH' } });

export const envFact = (vars: Record<string, string> = {}): Facts['env'] => ({ ok: true, vars, present: [] });
