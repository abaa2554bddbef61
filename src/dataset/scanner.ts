import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { judgeCase } from './judge-case.js';
import { datasetSpecOf, isRecord, type DatasetJsonRead } from './judge-json.js';
import { parseJsonText } from './json-text.js';
import { planLayout, type DatasetLayout } from './layout.js';
import { WorkerPool } from './pool.js';
import type { VolumeTask } from './read-volume.js';
import { resolveDataset, type DatasetResolution } from './resolve.js';
import type { CaseScan, FileScan } from './types.js';

export interface DatasetScan {
  /** What the user asked for (id, name or path). */
  target: string;
  resolution: DatasetResolution;
  datasetJson: DatasetJsonRead;
  layout?: DatasetLayout;
  cases: CaseScan[];
  stats: { workers: number; files: number; fileBytes: number; dataBytes: number; durationMs: number };
}

export interface ScanProgress {
  casesDone: number;
  casesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Problems found so far in finished cases (warnings and failures). */
  problems: number;
}

export interface ScanOptions {
  /** Worker threads; callers pass the effective CPU count (the cpu fact), else the affinity count is used. */
  workers?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  onProgress?(progress: ScanProgress): void;
}

/**
 * Scans a raw dataset: resolves it, reads dataset.json, plans the cases, then reads every image and label
 * (header and voxels) in a worker pool, file by file. Opens files read-only and never writes.
 */
export async function scanDataset(target: string, options: ScanOptions = {}): Promise<DatasetScan> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const resolution = await resolveDataset(target, env, options.cwd);
  const scan: DatasetScan = { target, resolution, datasetJson: { state: 'missing' }, cases: [], stats: { workers: 0, files: 0, fileBytes: 0, dataBytes: 0, durationMs: 0 } };
  if (!resolution.found) return finish(scan, started);
  // Workers boot (~40-60 ms of module loading each) while the dataset is listed, not after.
  const progress: ScanProgress = { casesDone: 0, casesTotal: 0, bytesDone: 0, bytesTotal: 0, problems: 0 };
  const workers = Math.max(1, options.workers ?? os.availableParallelism());
  const pool = new WorkerPool<VolumeTask, FileScan>(new URL(`./scan-worker${path.extname(new URL(import.meta.url).pathname)}`, import.meta.url), workers, (bytes) => {
    progress.bytesDone += bytes;
    options.onProgress?.({ ...progress });
  });
  try {
    return await scanWith(pool, scan, resolution.root, options, progress, started);
  } finally {
    await pool.close();
  }
}

/** Lists the dataset at `root` and reads every file in `pool`. */
async function scanWith(pool: WorkerPool<VolumeTask, FileScan>, scan: DatasetScan, root: string, options: ScanOptions, progress: ScanProgress, started: number): Promise<DatasetScan> {
  scan.datasetJson = await readDatasetJson(root);
  const json = scan.datasetJson.state === 'ok' && isRecord(scan.datasetJson.value) ? scan.datasetJson.value : {};
  const layout = await planLayout(root, json, options.env ?? process.env);
  scan.layout = layout;
  const spec = datasetSpecOf(scan.datasetJson);
  const files = layout.cases.flatMap((c) => [...c.images, ...(c.label ? [c.label] : [])]);
  progress.casesTotal = layout.cases.length;
  progress.bytesTotal = files.reduce((n, t) => n + t.bytes, 0);
  options.onProgress?.({ ...progress });
  if (files.length === 0) {
    scan.cases = layout.cases.map((c) => ({ id: c.id, images: [] }));
    return finish(scan, started);
  }
  scan.stats.workers = Math.min(pool.size, files.length);
  scan.cases = await Promise.all(
    layout.cases.map(async (c) => {
      const [label, ...images] = await Promise.all([c.label, ...c.images].map((f, i) => f && scanInPool(pool, { absolutePath: f.absolutePath, path: f.path, role: i === 0 ? 'label' : 'image' }, f.bytes)));
      const result: CaseScan = { id: c.id, images: images as FileScan[], ...(label ? { label } : {}) };
      progress.casesDone += 1;
      progress.problems += judgeCase(result, spec).filter((p) => p.status !== 'info').length;
      options.onProgress?.({ ...progress });
      return result;
    }),
  );
  for (const c of scan.cases) {
    for (const f of c.label ? [...c.images, c.label] : c.images) {
      scan.stats.files += 1;
      scan.stats.fileBytes += f.fileBytes;
      scan.stats.dataBytes += f.dataBytes;
    }
  }
  return finish(scan, started);
}

/** A task the pool could not finish (its worker died) still yields a result, never a rejected scan. */
async function scanInPool(pool: WorkerPool<VolumeTask, FileScan>, task: VolumeTask, bytes: number): Promise<FileScan> {
  try {
    return await pool.run(task);
  } catch (error) {
    return { path: task.path, role: task.role, fileBytes: bytes, dataBytes: 0, error: { kind: 'unreadable', message: (error as Error).message } };
  }
}

export async function readDatasetJson(root: string): Promise<DatasetJsonRead> {
  let text: string;
  try {
    text = await readFile(path.join(root, 'dataset.json'), 'utf8');
  } catch {
    return { state: 'missing' };
  }
  const parsed = parseJsonText(text);
  return parsed.ok ? { state: 'ok', value: parsed.value } : { state: 'invalid', error: parsed.error };
}

function finish(scan: DatasetScan, started: number): DatasetScan {
  scan.stats.durationMs = Math.round(performance.now() - started);
  return scan;
}
