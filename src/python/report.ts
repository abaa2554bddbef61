/** The JSON document src/probes/python/nnunet_doctor_probe.py prints (schema 1). */
export interface PythonReport {
  schema: 1;
  mode: 'live' | 'metadata';
  interpreter: {
    executable: string;
    version: string;
    versionInfo: [number, number, number];
    implementation: string;
    prefix: string;
    basePrefix: string;
    venv: boolean;
    conda: { prefix: string; name: string | null } | null;
    /** PEP 508 environment-marker values. */
    markers: Record<string, string>;
  };
  fipsEnabled: boolean | null;
  /** Versions of the packages the doctor judges (normalized names), null when not installed. */
  packages: Record<string, string | null>;
  /** Every installed distribution, normalized name -> version, for `pip check`-like requirement checks. */
  installed: Record<string, string>;
  nnunet: NnunetMetadata | null;
  torch: {
    /** Where `import torch` would load from. */
    location: string | null;
    /** torch/version.py read as text (no import). */
    versionFile: { version?: string | null; cuda?: string | null; hip?: string | null } | null;
    /** The live import; null in metadata mode. */
    import: TorchRuntime | ImportFailure | null;
  };
  metadataError?: ImportFailure;
  /** How long the metadata half took inside the interpreter. */
  probeMs: number;
}

export interface NnunetMetadata {
  version: string;
  editable: boolean;
  editableUrl: string | null;
  /** Requires-Dist lines. */
  requires: string[];
  consoleScripts: string[];
  location: string | null;
  import?: { ok: true } | ImportFailure;
}

export interface ImportFailure {
  ok: false;
  errorType: string;
  message: string;
}

export interface TorchDevice {
  index: number;
  name: string;
  totalMemoryBytes: number;
  capability: string;
}

export interface Conv3dBenchmark {
  ok: boolean;
  reason?: string;
  device?: string;
  fp32Ms?: number;
  ampMs?: number;
  shape?: number[];
}

export interface TorchRuntime {
  ok: true;
  version: string;
  cuda: string | null;
  hip: string | null;
  /** e.g. 91002 for cuDNN 9.10.2. */
  cudnn: number | null;
  cudaAvailable: boolean;
  cudaError?: string;
  /** What torch warned while initialising CUDA ("driver too old", "found no NVIDIA driver"). */
  cudaWarnings: string[];
  devices: TorchDevice[];
  archList: string[];
  mpsAvailable: boolean;
  importMs: number;
  conv3dBenchmark?: Conv3dBenchmark;
}

/** What `nnunet_doctor_probe.py --imports` prints: the live half of a PythonReport. */
export interface PythonImportsReport {
  schema: 1;
  mode: 'imports';
  torchImport: TorchRuntime | ImportFailure;
  /** null when the script could not get as far as importing nnunetv2. */
  nnunetImport: { ok: true } | ImportFailure | null;
  probeMs: number;
}

/** One report from the metadata half and the live half, run as two processes at once. */
export function joinReports(metadata: PythonReport, imports: Pick<PythonImportsReport, 'torchImport' | 'nnunetImport'>): PythonReport {
  const nnunetImport = imports.nnunetImport ?? undefined;
  return {
    ...metadata,
    mode: 'live',
    torch: { ...metadata.torch, import: imports.torchImport },
    nnunet: metadata.nnunet && nnunetImport ? { ...metadata.nnunet, import: nnunetImport } : metadata.nnunet,
  };
}

/** The interpreter's report plus how the doctor picked it and what it printed on stderr. */
export interface PythonProbeResult extends PythonReport {
  /** The command the doctor ran (the --python value or what PATH gave). */
  command: string;
  chosenBy: 'option' | 'path';
  /** The end of the probe's stderr: import-time warnings such as the NumPy 1/2 ABI message. */
  stderrTail?: string;
}

export function torchImported(report: PythonReport): TorchRuntime | undefined {
  const live = report.torch.import;
  return live && live.ok ? live : undefined;
}

/** torch's version as the live import saw it, else as its files and metadata say (no import). */
export function torchVersionOf(report: PythonReport): { version: string; source: 'import' | 'version.py' | 'metadata' } | undefined {
  const live = torchImported(report);
  if (live) return { version: live.version, source: 'import' };
  const file = report.torch.versionFile?.version;
  if (file) return { version: file, source: 'version.py' };
  const meta = report.packages.torch;
  return meta ? { version: meta, source: 'metadata' } : undefined;
}
