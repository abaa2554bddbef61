import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** What the folder names of nnUNet_results/<Dataset>/<Trainer>__<Plans>__<configuration>/fold_<f>/ say. */
export interface RunIdentity {
  dataset?: string;
  trainer?: string;
  plans?: string;
  configuration?: string;
  fold?: string;
}

/** The parts of the debug.json nnU-Net writes into each fold folder that diagnoses need. */
export interface DebugInfo {
  torchVersion?: string;
  cudnnVersion?: string;
  gpuName?: string;
  device?: string;
  /** The repr of the loss object: shows custom loss classes. */
  loss?: string;
}

export interface FoundLog {
  path: string;
  modifiedMs: number;
}

const LOG_NAME = /^training_log_.*\.txt$/;
// Folders that hold predictions or copies of data, never logs: not worth walking on a big results tree.
const SKIP_DIRS = new Set(['validation', 'predicted_next_stage', 'gt_segmentations', 'checkpoints', '__pycache__']);
const MAX_DEPTH = 4;
/** Enough for thousands of runs; a wrong --results (a home folder) stops here instead of walking everything. */
const MAX_ENTRIES = 20_000;

/** Every training_log_*.txt under a results folder (or a dataset, run or fold folder inside it). */
export async function findTrainingLogs(root: string): Promise<FoundLog[]> {
  const found: FoundLog[] = [];
  let seen = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (seen > MAX_ENTRIES) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    seen += entries.length;
    await Promise.all(
      entries.map(async (e) => {
        const full = path.join(dir, e.name);
        if (e.isFile() && LOG_NAME.test(e.name)) {
          const s = await stat(full).catch(() => undefined);
          if (s) found.push({ path: full, modifiedMs: s.mtimeMs });
        } else if (e.isDirectory() && depth < MAX_DEPTH && !SKIP_DIRS.has(e.name)) {
          await walk(full, depth + 1);
        }
      }),
    );
  };
  await walk(root, 0);
  return found.sort((a, b) => b.modifiedMs - a.modifiedMs || b.path.localeCompare(a.path));
}

export async function findNewestTrainingLog(root: string): Promise<FoundLog | undefined> {
  return (await findTrainingLogs(root))[0];
}

export function runIdentityOf(logPath: string): RunIdentity {
  const foldDir = path.dirname(logPath);
  const runDir = path.dirname(foldDir);
  const fold = /^fold_(.+)$/.exec(path.basename(foldDir))?.[1];
  const parts = path.basename(runDir).split('__');
  if (fold === undefined || parts.length !== 3) return {};
  return { dataset: path.basename(path.dirname(runDir)), trainer: parts[0], plans: parts[1], configuration: parts[2], fold };
}

export async function readDebugInfo(foldDir: string): Promise<DebugInfo | undefined> {
  try {
    const raw = JSON.parse(await readFile(path.join(foldDir, 'debug.json'), 'utf8')) as Record<string, unknown>;
    const str = (key: string) => (raw[key] === undefined || raw[key] === null ? undefined : String(raw[key]));
    return { torchVersion: str('torch_version'), cudnnVersion: str('cudnn_version'), gpuName: str('gpu_name'), device: str('device'), loss: str('loss') };
  } catch {
    return undefined;
  }
}

/** Logs of very long runs or console captures can be huge; the tail holds the failure. */
export const MAX_LOG_BYTES = 32 * 1024 * 1024;

export async function readLogText(file: string, maxBytes = MAX_LOG_BYTES): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
