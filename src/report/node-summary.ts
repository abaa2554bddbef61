import { severity } from '../core/finding.js';
import { fmtBytes, MiB } from '../util/format.js';
import type { ReportDocument } from './document.js';
import { factsNamed, findByPath, findTable, isRecord, text, type Json } from './fact-search.js';

/** The handful of facts that decide whether nnU-Net trains on a machine: what `merge` and `diff` compare. */
export interface NodeSummary {
  os?: string;
  kernel?: string;
  cpu?: string;
  ram?: string;
  shm?: string;
  gpu?: string;
  vram?: string;
  driver?: string;
  cuda?: string;
  python?: string;
  torch?: string;
  torchCuda?: string;
  cudnn?: string;
  nnunet?: string;
  numpy?: string;
  /** Checks at fail level, and at warn/error/timeout level. */
  failing: string[];
  warnings: string[];
}

export type NodeField = Exclude<keyof NodeSummary, 'failing' | 'warnings'>;

export const NODE_FIELD_LABELS: Record<NodeField, string> = {
  os: 'OS',
  kernel: 'Kernel',
  cpu: 'CPU',
  ram: 'RAM',
  shm: '/dev/shm',
  gpu: 'GPU',
  vram: 'VRAM per GPU',
  driver: 'NVIDIA driver',
  cuda: 'Driver CUDA',
  python: 'Python',
  torch: 'PyTorch',
  torchCuda: 'PyTorch CUDA build',
  cudnn: 'cuDNN',
  nnunet: 'nnU-Net',
  numpy: 'NumPy',
};

/**
 * Known fact shapes first (gpu.devices, python.torch.import, python.packages), then a search by key name,
 * so plugin facts and older recorded reports still fill the table.
 */
export function summarizeNode(doc: ReportDocument): NodeSummary {
  const facts = doc.facts as Record<string, Json>;
  const gpuFacts = factsNamed(facts, /gpu|nvidia|rocm/i);
  const pyFacts = factsNamed(facts, /python|torch|nnunet|package/i);
  const osFact = facts.os;
  const devices = findByPath(gpuFacts, ['devices'], (v) => Array.isArray(v) && v.length > 0) as Record<string, Json>[] | undefined;
  const gpus = devices ?? findTable(pyFacts, [/^name$/i, /mem/i]);
  const torch = (key: string) => findByPath(pyFacts, ['torch', 'import', key]) ?? findByPath(pyFacts, ['torch', 'versionFile', key]);
  return {
    os: text(isRecord(osFact) ? (osFact.distro ?? osFact.platform) : undefined) ?? doc.platform.os,
    kernel: doc.platform.release,
    cpu: text(findByPath(factsNamed(facts, /cpu/i), [/^(model|modelName|brand)$/i])),
    ram: bytesText(findByPath(factsNamed(facts, /mem|ram/i), [/^(totalBytes|memTotalBytes|ramBytes|ramTotalBytes|memTotal|total)$/i], isNumber)),
    shm: bytesText(findByPath(facts.shm, ['bytes'], isNumber)),
    gpu: gpus ? gpuNames(gpus) : undefined,
    vram: gpus ? vramText(gpus) : undefined,
    driver: text(findByPath(gpuFacts, [/^driver(Version)?$/i])),
    cuda: text(findByPath(gpuFacts, [/^cuda(Version|DriverVersion)?$/i])),
    python: text(findByPath(pyFacts, [/^(interpreter|python)$/i, 'version']) ?? findByPath(pyFacts, [/^pythonVersion$/i])),
    // Only this machine's Python facts: a quoted debug.json also says torch_version, of the machine that trained.
    torch: text(torch('version') ?? findByPath(pyFacts, ['packages', 'torch']) ?? findByPath(pyFacts, [/^torchVersion$/i])),
    torchCuda: text(torch('cuda') ?? torch('hip')),
    cudnn: cudnnText(torch('cudnn') ?? findByPath(pyFacts, [/^cudnn(Version)?$/i])),
    nnunet: text(findByPath(pyFacts, [/^nnunet(v2)?$/i, 'version']) ?? findByPath(pyFacts, ['packages', 'nnunetv2']) ?? findByPath(pyFacts, [/^nnunet(v2)?Version$/i])),
    numpy: text(findByPath(pyFacts, ['packages', 'numpy']) ?? findByPath(pyFacts, ['numpy', 'version'])),
    failing: doc.results.filter((r) => r.status === 'fail').map((r) => r.id),
    warnings: doc.results.filter((r) => r.status !== 'fail' && severity(r.status) >= 2).map((r) => r.id),
  };
}

/** torch.backends.cudnn.version(): 90100 is 9.1.0 (cuDNN 9 packs major*10000), 8902 is 8.9.2. */
export function cudnnText(value: Json): string | undefined {
  if (typeof value === 'string' && /^\d{4,6}$/.test(value)) return cudnnText(Number(value));
  if (typeof value !== 'number') return text(value);
  const major = value >= 10000 ? Math.floor(value / 10000) : Math.floor(value / 1000);
  const rest = value >= 10000 ? value % 10000 : value % 1000;
  return `${major}.${Math.floor(rest / 100)}.${rest % 100}`;
}

function isNumber(value: Json): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

function bytesText(value: Json): string | undefined {
  return typeof value === 'number' ? fmtBytes(value) : undefined;
}

/** "2 x NVIDIA A100-SXM4-80GB" or "NVIDIA RTX 4090, NVIDIA RTX 3060". */
function gpuNames(gpus: Record<string, Json>[]): string {
  const names = gpus.map((g) => String(g.name ?? g.Name ?? '?'));
  const unique = [...new Set(names)];
  return unique.length === 1 && names.length > 1 ? `${names.length} x ${unique[0]}` : unique.join(', ');
}

/** The memory of each GPU; nvidia-smi's nounits values are MiB, bytes elsewhere. */
function vramText(gpus: Record<string, Json>[]): string | undefined {
  const sizes = gpus.map((g) => {
    const key = Object.keys(g).find((k) => /^(memory|vram|totalMemory|memoryTotal|memory_total|total_memory)(Bytes|MiB|Mb)?$/i.test(k));
    const value = key ? g[key] : undefined;
    if (typeof value !== 'number') return undefined;
    return /MiB|Mb$/i.test(key!) || value < 10_000_000 ? value * MiB : value;
  });
  const known = sizes.filter((s): s is number => s !== undefined);
  if (known.length === 0) return undefined;
  return [...new Set(known.map((s) => fmtBytes(s)))].join(', ');
}
