/**
 * Minimum NVIDIA driver per CUDA version, from NVIDIA's CUDA Toolkit release notes (table "CUDA Toolkit
 * and Corresponding Driver Versions", GA releases). PyTorch wheels bundle their CUDA runtime, so what
 * matters is torch's `torch.version.cuda`, not the toolkit (nvcc) on the machine.
 *
 * `minorCompat` is the floor for the whole major version (CUDA minor-version compatibility): a cu12x
 * wheel runs on any R525+ driver, except for features that need a newer driver (PTX JIT for new GPUs).
 */
export interface DriverRequirement {
  cuda: string;
  linux: string;
  windows: string;
}

export const DRIVER_TABLE: readonly DriverRequirement[] = [
  { cuda: '11.0', linux: '450.36.06', windows: '451.22' },
  { cuda: '11.1', linux: '455.23', windows: '456.38' },
  { cuda: '11.2', linux: '460.27.03', windows: '460.82' },
  { cuda: '11.3', linux: '465.19.01', windows: '465.89' },
  { cuda: '11.4', linux: '470.42.01', windows: '471.11' },
  { cuda: '11.5', linux: '495.29.05', windows: '496.13' },
  { cuda: '11.6', linux: '510.39.01', windows: '511.23' },
  { cuda: '11.7', linux: '515.43.04', windows: '516.01' },
  { cuda: '11.8', linux: '520.61.05', windows: '520.06' },
  { cuda: '12.0', linux: '525.60.13', windows: '527.41' },
  { cuda: '12.1', linux: '530.30.02', windows: '531.14' },
  { cuda: '12.2', linux: '535.54.03', windows: '536.25' },
  { cuda: '12.3', linux: '545.23.06', windows: '545.84' },
  { cuda: '12.4', linux: '550.54.14', windows: '551.61' },
  { cuda: '12.5', linux: '555.42.02', windows: '555.85' },
  { cuda: '12.6', linux: '560.28.03', windows: '560.76' },
  { cuda: '12.8', linux: '570.26', windows: '570.65' },
  { cuda: '12.9', linux: '575.51.03', windows: '576.02' },
  { cuda: '13.0', linux: '580.65.06', windows: '580.88' },
];

/** Minor-version compatibility floors per CUDA major version. */
export const MINOR_COMPAT: Readonly<Record<string, { linux: string; windows: string }>> = {
  '11': { linux: '450.80.02', windows: '452.39' },
  '12': { linux: '525.60.13', windows: '527.41' },
  '13': { linux: '580.65.06', windows: '580.88' },
};

/** Compares dotted numeric versions ("535.54.03" < "550.54.14"); missing parts count as 0. */
export function compareDotted(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export interface DriverVerdict {
  /** The driver the CUDA release was built against. */
  full?: string;
  /** The lowest driver that runs it at all (minor-version compatibility). */
  floor?: string;
}

/** What `cuda` ("12.8") needs from the driver on this OS; undefined fields where the table has no row. */
export function driverRequirementFor(cuda: string, os: 'linux' | 'windows'): DriverVerdict {
  const [major = ''] = cuda.split('.');
  const row = DRIVER_TABLE.filter((r) => r.cuda.split('.')[0] === major && compareDotted(r.cuda, cuda) <= 0).at(-1);
  return { full: row?.[os], floor: MINOR_COMPAT[major]?.[os] };
}

/**
 * The pytorch.org wheel index for a driver: the newest common CUDA build the driver's "CUDA Version" covers
 * (cu128 is also the first with RTX 50-series kernels). Unknown drivers get cu128, the current default.
 */
export function wheelIndexFor(driverCuda: string | undefined): string {
  const builds = ['12.8', '12.6', '11.8'];
  const fit = driverCuda ? builds.find((b) => compareDotted(driverCuda, b) >= 0) : '12.8';
  return `https://download.pytorch.org/whl/cu${(fit ?? '11.8').replace('.', '')}`;
}
