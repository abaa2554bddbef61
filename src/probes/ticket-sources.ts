import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { defineProbe, failure, type Probed } from '../core/index.js';
import { resolveDataset } from '../dataset/resolve.js';
import { findNewestTrainingLog, readLogText, runIdentityOf, type RunIdentity } from '../logs/results.js';

/** What maintainers ask for that lives in files: dataset.json and case names, the newest training log, debug.json, the plans. */
export interface TicketSources {
  ok: true;
  dataset?: Probed<DatasetListing>;
  results?: Probed<ResultsFiles>;
}

export interface DatasetListing {
  dir: string;
  name: string;
  /** dataset.json verbatim, or why it could not be read. */
  datasetJson: { ok: true; content: unknown } | { ok: false; reason: string };
  /** Case identifiers from the file names in imagesTr, labelsTr and imagesTs (no file is opened). */
  caseIds: string[];
  fileCounts: { imagesTr: number; labelsTr: number; imagesTs: number };
}

export interface ResultsFiles {
  dir: string;
  trainingLog?: { path: string; modifiedAt: string; tail: string[] };
  debugJson?: { path: string; content: unknown };
  plans?: { path: string; plansName?: string; configurationName?: string; configuration?: unknown };
}

declare module '../core/facts.js' {
  interface Facts {
    /** Files a support ticket quotes, read only for `report`; nothing here is judged by checks. */
    ticketSources: TicketSources;
  }
}

export const TAIL_LINES = 60;
const TAIL_BYTES = 64 * 1024;
const MAX_JSON_BYTES = 2 * 1024 * 1024;

export const ticketSourcesProbe = defineProbe({
  fact: 'ticketSources',
  async probe({ env, options }) {
    const sources: TicketSources = { ok: true };
    if (options.dataset) sources.dataset = await listDataset(options.dataset, env);
    const resultsDir = options.results ?? env.nnUNet_results;
    if (resultsDir) sources.results = await readResults(resultsDir);
    return sources;
  },
});

async function listDataset(dataset: string, env: NodeJS.ProcessEnv): Promise<Probed<DatasetListing>> {
  const resolved = await resolveDataset(dataset, env);
  if (!resolved.found) return failure(resolved.message);
  const dir = resolved.root;
  const datasetJson = await readJson(path.join(dir, 'dataset.json'));
  const fileEnding = datasetJson.ok ? (datasetJson.content as { file_ending?: unknown }).file_ending : undefined;
  const folders = ['imagesTr', 'labelsTr', 'imagesTs'] as const;
  const listed = await Promise.all(folders.map((f) => readdir(path.join(dir, f)).catch(() => [] as string[])));
  const caseIds = new Set<string>();
  listed.forEach((names, i) => names.forEach((n) => caseIds.add(caseIdOf(n, typeof fileEnding === 'string' ? fileEnding : undefined, folders[i] !== 'labelsTr'))));
  return {
    ok: true,
    dir,
    name: path.basename(dir),
    datasetJson,
    caseIds: [...caseIds].filter(Boolean).sort(),
    fileCounts: { imagesTr: listed[0]!.length, labelsTr: listed[1]!.length, imagesTs: listed[2]!.length },
  };
}

/** `liver_003_0000.nii.gz` -> `liver_003` (nnunetv2/utilities/dataset_name_id_conversion and file naming rules). */
export function caseIdOf(fileName: string, fileEnding: string | undefined, hasChannelSuffix: boolean): string {
  const ending = fileEnding && fileName.endsWith(fileEnding) ? fileEnding : /(\.nii\.gz|\.[A-Za-z0-9]+)$/.exec(fileName)?.[0] ?? '';
  const stem = fileName.slice(0, fileName.length - ending.length);
  return hasChannelSuffix ? stem.replace(/_\d{4}$/, '') : stem;
}

async function readResults(dir: string): Promise<Probed<ResultsFiles>> {
  if (!(await isDir(dir))) return failure(`the results folder ${dir} does not exist or is not a folder`);
  const log = await findNewestTrainingLog(dir);
  if (!log) return { ok: true, dir };
  const foldDir = path.dirname(log.path);
  const run = runIdentityOf(log.path);
  const [text, debug, plans] = await Promise.all([
    readLogText(log.path, TAIL_BYTES),
    readJson(path.join(foldDir, 'debug.json')),
    readPlans(path.join(path.dirname(foldDir), 'plans.json'), run),
  ]);
  return {
    ok: true,
    dir,
    trainingLog: { path: log.path, modifiedAt: new Date(log.modifiedMs).toISOString(), tail: tailLines(text) },
    ...(debug.ok ? { debugJson: { path: path.join(foldDir, 'debug.json'), content: debug.content } } : {}),
    ...(plans ? { plans } : {}),
  };
}

/** The last TAIL_LINES lines; the first line of a byte window is usually cut, so it goes. */
function tailLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (Buffer.byteLength(text) >= TAIL_BYTES) lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-TAIL_LINES);
}

/** The configuration block a training used (run folder `Trainer__Plans__Config`), `inherits_from` resolved. */
async function readPlans(file: string, run: RunIdentity): Promise<ResultsFiles['plans']> {
  const plans = await readJson(file);
  if (!plans.ok) return undefined;
  const { plans: plansName, configuration: configurationName } = run;
  const configurations = (plans.content as { configurations?: Record<string, Record<string, unknown>> }).configurations ?? {};
  const resolve = (name: string | undefined, depth = 0): Record<string, unknown> | undefined => {
    const own = name ? configurations[name] : undefined;
    if (!own || depth > 5) return own;
    const parent = typeof own.inherits_from === 'string' ? resolve(own.inherits_from, depth + 1) : undefined;
    return { ...parent, ...own };
  };
  return { path: file, plansName, configurationName, configuration: resolve(configurationName) };
}

async function readJson(file: string): Promise<{ ok: true; content: unknown } | { ok: false; reason: string }> {
  try {
    const s = await stat(file);
    if (s.size > MAX_JSON_BYTES) return { ok: false, reason: `${path.basename(file)} is ${s.size} bytes, too large to quote` };
    return { ok: true, content: JSON.parse(await readFile(file, 'utf8')) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}
