// npm run bench:dataset [-- --size-mb 512 --workers N --runs 5]
// Generates a synthetic CT-like raw dataset (int16 images + uint8 labels, gzip level 6, >= 500 MB
// uncompressed by default) under .bench-data/, then measures in the same run, each in a fresh child process:
//   - the scanner (uncompressed MB/s, peak RSS of its process, worker threads included),
//   - plain streaming gunzip of the same files with the same parallelism (the practical limit: the
//     scanner's own reads and inflater, touching nothing), and with 1 worker, for its scaling,
//   - for reference, Node's zlib stream (createGunzip) doing the same gunzip,
//   - the scanner with 1 and with 2 workers,
//   - nibabel + numpy doing the same per-case work (nnU-Net's approach), where /usr/bin/python3 has nibabel.
// Budgets (issue 3): scanner >= 0.8x gunzip; peak RSS < 300 MB; 2 workers >= 1.7x one worker.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { phantom } from '../fixtures/dataset/generate.js';
import { niftiBytes } from '../fixtures/dataset/writers.js';
import { WorkerPool } from '../src/dataset/pool.js';
import type { GunzipTask } from './gunzip-worker.js';
import { judgeScan } from '../src/dataset/judge-scan.js';
import { scanDataset } from '../src/dataset/scanner.js';
import { median } from '../src/util/math.js';

const here = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(here), '../..');
const python = '/usr/bin/python3';
const MB = 1e6;

interface ChildResult {
  seconds: number;
  bytes: number;
  maxRssBytes: number;
  problems?: number;
}

if (process.argv[2] === '--child') {
  const [mode, root, workers] = process.argv.slice(3) as [string, string, string];
  const result = mode === 'scan' ? await childScan(root, Number(workers)) : await childGunzip(root, Number(workers), mode === 'zlib-stream');
  process.stdout.write(JSON.stringify({ ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
} else {
  await main();
}

async function childScan(root: string, workers: number): Promise<Omit<ChildResult, 'maxRssBytes'>> {
  const started = performance.now();
  const scan = await scanDataset(root, { workers });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, bytes: scan.stats.dataBytes, problems: judgeScan(scan).filter((p) => p.status !== 'info').length };
}

async function childGunzip(root: string, workers: number, zlibStream: boolean): Promise<Omit<ChildResult, 'maxRssBytes'>> {
  const files = await datasetFiles(root);
  const started = performance.now();
  const pool = new WorkerPool<GunzipTask, number>(new URL('./gunzip-worker.js', import.meta.url), workers);
  const sizes = await Promise.all(files.map((absolutePath) => pool.run({ absolutePath, zlibStream })));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { seconds, bytes: sizes.reduce((a, b) => a + b, 0) };
}

async function datasetFiles(root: string): Promise<string[]> {
  const lists = await Promise.all(['imagesTr', 'labelsTr'].map(async (d) => (await readdir(path.join(root, d))).map((f) => path.join(root, d, f))));
  return lists.flat();
}

/** CT-like cases of 256×256×(80..112) voxels until the images and labels hold `sizeMb` uncompressed. */
async function generate(root: string, sizeMb: number): Promise<void> {
  const marker = path.join(root, '.complete');
  if (existsSync(marker)) return;
  await rm(root, { recursive: true, force: true });
  for (const d of ['imagesTr', 'labelsTr']) await mkdir(path.join(root, d), { recursive: true });
  let bytes = 0;
  let cases = 0;
  const started = performance.now();
  while (bytes < sizeMb * MB) {
    const shape = [256, 256, 80 + ((cases * 8) % 40)];
    const { image, label } = phantom(shape, cases, 'ct');
    const common = { shape, spacing: [0.78, 0.78, 2.5], originRas: [-100, -100, cases] };
    const id = `case_${String(cases).padStart(3, '0')}`;
    await writeFile(path.join(root, 'imagesTr', `${id}_0000.nii.gz`), niftiBytes({ ...common, dtype: 'int16', values: image }, { gzip: true, gzipLevel: 6 }));
    await writeFile(path.join(root, 'labelsTr', `${id}.nii.gz`), niftiBytes({ ...common, dtype: 'uint8', values: label }, { gzip: true, gzipLevel: 6 }));
    bytes += image.byteLength + label.byteLength;
    cases += 1;
  }
  const json = { channel_names: { 0: 'CT' }, labels: { background: 0, organ: 1, lesion: 2 }, numTraining: cases, file_ending: '.nii.gz' };
  await writeFile(path.join(root, 'dataset.json'), JSON.stringify(json, null, 2));
  await writeFile(marker, '');
  console.log(`  generated ${cases} cases, ${(bytes / MB).toFixed(0)} MB uncompressed, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

type Mode = 'scan' | 'gunzip' | 'zlib-stream';
interface Config {
  mode: Mode;
  workers: number;
}

function runChild({ mode, workers }: Config, root: string, env: NodeJS.ProcessEnv): ChildResult {
  const r = spawnSync(process.execPath, [here, '--child', mode, root, String(workers)], { env, encoding: 'utf8', timeout: 30 * 60_000 });
  if (r.status !== 0) throw new Error(`${mode} child failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as ChildResult;
}

/**
 * Each configuration `runs` times, interleaved (A B C, A B C...), so that load from other processes that
 * comes and goes falls on every configuration alike instead of on whichever ran at the time; medians.
 */
function measure(configs: Config[], root: string, runs: number, env: NodeJS.ProcessEnv): ChildResult[] {
  const results = configs.map(() => [] as ChildResult[]);
  for (let i = 0; i < runs; i++) configs.forEach((config, k) => results[k]!.push(runChild(config, root, env)));
  return results.map((all) => ({ ...all[0]!, seconds: median(all.map((r) => r.seconds)), maxRssBytes: Math.max(...all.map((r) => r.maxRssBytes)) }));
}

function peer(root: string, workers: number, runs: number): ChildResult | string {
  const probe = spawnSync(python, ['-c', 'import nibabel, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${python} has no nibabel (apt-get install python3-nibabel)`;
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(python, [path.join(repo, 'bench/peers/nibabel_scan.py'), root, String(workers)], { encoding: 'utf8', timeout: 60 * 60_000 });
    if (r.status !== 0) return `the nibabel peer failed: ${r.stderr.trim().split('\n').pop()}`;
    const out = JSON.parse(r.stdout) as { seconds: number; bytes: number };
    times.push(out.seconds);
    bytes = out.bytes;
  }
  return { seconds: median(times), bytes, maxRssBytes: 0 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '512' }, workers: { type: 'string' }, runs: { type: 'string', default: '5' } } });
  const sizeMb = Number(values['size-mb']);
  const workers = Number(values.workers ?? os.availableParallelism());
  const runs = Number(values.runs);
  const root = path.join(repo, '.bench-data', `dataset-${sizeMb}mb`, 'Dataset900_BenchCT');
  console.log(`nnunet-doctor dataset scanner: ${sizeMb} MB synthetic CT, ${workers} workers, median of ${runs} runs\n`);
  await generate(root, sizeMb);
  const env = { ...process.env, UV_THREADPOOL_SIZE: String(Math.max(4, workers + 1)) };
  runChild({ mode: 'gunzip', workers }, root, env); // warm the page cache
  const configs: Config[] = [
    { mode: 'gunzip', workers },
    { mode: 'scan', workers },
    { mode: 'gunzip', workers: 1 },
    { mode: 'scan', workers: 1 },
    { mode: 'zlib-stream', workers },
    ...(workers > 2 ? [{ mode: 'scan', workers: 2 } as const] : []),
  ];
  const [gunzip, scan, gunzipOne, one, zlibStream, twoOfMany] = measure(configs, root, runs, env) as [ChildResult, ChildResult, ChildResult, ChildResult, ChildResult, ChildResult?];
  const two = workers === 2 ? scan : twoOfMany;
  const nib = peer(root, workers, runs);
  const rate = (r: ChildResult) => r.bytes / MB / r.seconds;
  const row = (label: string, r: ChildResult, rss = true) =>
    console.log(`  ${label.padEnd(34)} ${r.seconds.toFixed(2).padStart(7)} s  ${rate(r).toFixed(0).padStart(6)} MB/s${rss && r.maxRssBytes ? `  peak RSS ${(r.maxRssBytes / MB).toFixed(0)} MB` : ''}`);
  console.log('');
  row(`streaming gunzip (${workers} workers)`, gunzip);
  row('streaming gunzip (1 worker)', gunzipOne);
  row(`zlib stream gunzip (${workers} workers)`, zlibStream);
  row(`scanner (${workers} workers)`, scan);
  row('scanner (1 worker)', one);
  if (two && workers !== 2) row('scanner (2 workers)', two);
  if (typeof nib !== 'string') row(`nibabel + numpy (${workers} processes)`, nib, false);
  const verdict = (ok: boolean) => (ok ? 'within budget' : 'OVER BUDGET');
  const vsGunzip = rate(scan) / rate(gunzip);
  console.log(`\n  scanner / gunzip throughput   = ${vsGunzip.toFixed(2)}x (budget >= 0.8x): ${verdict(vsGunzip >= 0.8)}`);
  const rssMb = Math.max(scan.maxRssBytes, one.maxRssBytes, two?.maxRssBytes ?? 0) / MB;
  console.log(`  scanner peak RSS              = ${rssMb.toFixed(0)} MB (budget < 300 MB): ${verdict(rssMb < 300)}`);
  if (two) {
    const scaling = one.seconds / two.seconds;
    console.log(`  2 workers / 1 worker          = ${scaling.toFixed(2)}x (budget >= 1.7x): ${verdict(scaling >= 1.7)}`);
    console.log(`  gunzip ${workers} workers / 1 worker   = ${(gunzipOne.seconds / gunzip.seconds).toFixed(2)}x (the limit's own scaling)`);
  } else {
    console.log('  2 workers / 1 worker: needs 2 or more CPUs');
  }
  console.log(typeof nib === 'string' ? `  nibabel peer: ${nib}` : `  scanner speed-up over nibabel = ${(nib.seconds / scan.seconds).toFixed(2)}x (same work, same parallelism)`);
  if (scan.problems) console.log(`  note: the scan reported ${scan.problems} problems in the synthetic dataset (expected 0)`);
}
