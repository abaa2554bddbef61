/**
 * nnU-Net's data-augmentation worker rules (nnunetv2/utilities/default_n_proc_DA.py, nnunet-facts §6.1)
 * and the documented per-GPU recommendations (documentation/installation_instructions.md).
 */

interface HostRule {
  test(hostname: string): boolean;
  /** How the rule reads in default_n_proc_DA.py; shown instead of the host name, which stays private. */
  rule: string;
  workers: number;
}

const startsWith = (prefix: string): HostRule['test'] => (h) => h.startsWith(prefix);

// Same order as get_allowed_n_proc_DA(): the first matching rule wins. Note `hostname in [...]` is an exact match.
const HOST_RULES: readonly HostRule[] = [
  { test: (h) => ['Fabian', 'isensee-'].includes(h), rule: "hostname in ['Fabian', 'isensee-']", workers: 12 },
  {
    test: (h) => ['hdf19-gpu16', 'hdf19-gpu17', 'hdf19-gpu18', 'hdf19-gpu19', 'e230-AMDworkstation'].includes(h),
    rule: 'hostname in the hdf19-gpu16..19 / e230-AMDworkstation list',
    workers: 16,
  },
  { test: startsWith('e230-dgx1'), rule: "hostname starts with 'e230-dgx1'", workers: 10 },
  { test: (h) => h.startsWith('hdf18-gpu') || h.startsWith('e132-comp'), rule: "hostname starts with 'hdf18-gpu' or 'e132-comp'", workers: 16 },
  { test: startsWith('e230-dgx2'), rule: "hostname starts with 'e230-dgx2'", workers: 6 },
  { test: startsWith('e230-dgxa100-'), rule: "hostname starts with 'e230-dgxa100-'", workers: 28 },
  { test: startsWith('e230-thinka100-'), rule: "hostname starts with 'e230-thinka100-'", workers: 20 },
  { test: startsWith('lsf22-gpu'), rule: "hostname starts with 'lsf22-gpu'", workers: 28 },
  { test: (h) => h.startsWith('hdf19-gpu') || h.startsWith('e071-gpu'), rule: "hostname starts with 'hdf19-gpu' or 'e071-gpu'", workers: 12 },
  { test: (h) => h.toLowerCase().includes('superh200'), rule: "hostname contains 'superh200'", workers: 48 },
  { test: (h) => h.toLowerCase().includes('superl40s'), rule: "hostname contains 'superl40s'", workers: 28 },
];

export const DEFAULT_DA_WORKERS = 12;

/** The host-table value nnU-Net starts from when nnUNet_n_proc_DA is unset (before the cpu_count cap). */
export function hostTableWorkers(hostname: string): { workers: number; rule: string } {
  const hit = HOST_RULES.find((r) => r.test(hostname));
  return hit ? { workers: hit.workers, rule: hit.rule } : { workers: DEFAULT_DA_WORKERS, rule: 'no host rule matched: the default' };
}

/** Processes one training runs with n DA workers: n for training, max(1, n//2) for validation, plus the main one. */
export function processesPerTraining(n: number): number {
  return n <= 0 ? 1 : n + Math.max(1, Math.floor(n / 2)) + 1;
}

export interface WorkerRecommendation {
  gpuClass: string;
  min: number;
  max: number;
  source: string;
}

const DOC = 'documentation/installation_instructions.md';
const HOST_TABLE = 'nnunetv2/utilities/default_n_proc_DA.py (host table)';

// Faster GPUs consume batches faster, so they need more augmentation workers to stay busy.
const RECOMMENDATIONS: readonly { pattern: RegExp; rec: WorkerRecommendation }[] = [
  { pattern: /\bH(100|200)\b|GH200|\bB(100|200)\b/i, rec: { gpuClass: 'H100/H200-class', min: 32, max: 48, source: `${HOST_TABLE}: 48 on the 'superh200' hosts` } },
  { pattern: /\bA100\b/i, rec: { gpuClass: 'A100', min: 28, max: 32, source: DOC } },
  { pattern: /\bL40S?\b/i, rec: { gpuClass: 'L40/L40S', min: 28, max: 28, source: `${HOST_TABLE}: 28 on the 'superl40s' hosts` } },
  { pattern: /RTX\s*(4090|5090|5080)/i, rec: { gpuClass: 'RTX 4090-class', min: 16, max: 18, source: DOC } },
  { pattern: /RTX\s*(3090|3080|4080|4070|A6000|6000)/i, rec: { gpuClass: 'RTX 3090-class', min: 12, max: 12, source: DOC } },
  { pattern: /RTX\s*2080/i, rec: { gpuClass: 'RTX 2080 Ti-class', min: 10, max: 12, source: DOC } },
];

/** What the nnU-Net docs suggest for this GPU; unknown cards get nnU-Net's default of 12. */
export function recommendedWorkers(gpuName: string | undefined): WorkerRecommendation {
  const hit = gpuName ? RECOMMENDATIONS.find((r) => r.pattern.test(gpuName)) : undefined;
  return hit?.rec ?? { gpuClass: gpuName ? `${gpuName} (no documented figure)` : 'no GPU known', min: DEFAULT_DA_WORKERS, max: DEFAULT_DA_WORKERS, source: 'nnU-Net default' };
}
