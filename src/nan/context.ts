import path from 'node:path';
import { FactStore } from '../core/fact-store.js';
import { failure, type Facts } from '../core/facts.js';
import type { Problem } from '../dataset/problems.js';
import { builtinProbes } from '../probes/index.js';
import type { UNetConfig } from '../engine/unet.js';

export interface NanOptions {
  /** --dataset: id, DatasetXXX_Name or path; else the dataset of the newest training log. */
  dataset?: string;
  /** --results; else $nnUNet_results. */
  results?: string;
  python?: string;
  /** Run the short sanity training (tens of seconds on a CPU). */
  sanity: boolean;
  sanitySteps?: number;
  /** A network other than the tiny preset for the sanity step (tests use a smaller one). */
  sanityNetwork?: UNetConfig;
  probeTimeoutMs: number;
  /** Facts recorded earlier (tests, replayed machines) instead of probing. */
  recorded?: Partial<Facts>;
}

/** What the steps share: options and lazily loaded, memoized inputs, so each is read once per run. */
export interface NanContext {
  options: NanOptions;
  env: NodeJS.ProcessEnv;
  datasetTarget(): Promise<string | undefined>;
  /** The scanned dataset, or why there is none. */
  dataset(): Promise<Facts['dataset']>;
  /** The scanner's judgement of it (shared with `check` and `dataset`). */
  problems(): Promise<Problem[] | undefined>;
  trainingLog(): Promise<Facts['trainingLog']>;
  python(): Promise<Facts['python']>;
  /** A live detail line for the step in progress (the UI shows it; JSON ignores it). */
  progress(detail: string): void;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

export function createNanContext(options: NanOptions, env: NodeJS.ProcessEnv, onDetail: (detail: string) => void = () => {}): NanContext {
  const storeOptions = { python: options.python, results: options.results, probeTimeoutMs: options.probeTimeoutMs };
  const store = new FactStore({ probes: builtinProbes, options: storeOptions, env, recorded: options.recorded });
  const trainingLog = once(async (): Promise<Facts['trainingLog']> => {
    if (!options.dataset) return store.get('trainingLog');
    // With a dataset named, only that dataset's newest log counts: another run's log would mislead.
    const root = options.results ?? env.nnUNet_results;
    if (!root) return failure('nnUNet_results is not set and no --results folder was given');
    const { resolveDataset } = await import('../dataset/resolve.js');
    const resolution = await resolveDataset(options.dataset, env);
    if (!resolution.found) return failure(resolution.message);
    const { findNewestTrainingLog } = await import('../logs/results.js');
    const found = await findNewestTrainingLog(path.join(root, resolution.folderName));
    if (!found) return failure(`no training_log_*.txt for ${resolution.folderName} under ${root}`);
    const { loadTrainingLog } = await import('../probes/logs.js');
    return loadTrainingLog(found.path, found.modifiedMs);
  });
  const datasetTarget = once(async () => {
    if (options.dataset) return options.dataset;
    const log = await trainingLog();
    return log.ok ? log.run.dataset : undefined;
  });
  // The dataset fact (src/probes/dataset.ts) for the dataset named or inferred from the log; a recorded
  // fact stands in for the scan like any other.
  const dataset = once(async (): Promise<Facts['dataset']> => {
    const target = await datasetTarget();
    if (!target) return failure('no dataset to read: pass --dataset ID (no training log named one either)');
    onDetail(`reading every file of ${target}`);
    const datasetStore = new FactStore({ probes: builtinProbes, options: { ...storeOptions, dataset: target }, env, recorded: options.recorded });
    return datasetStore.get('dataset');
  });
  const problems = once(async () => {
    const fact = await dataset();
    if (!fact.ok) return undefined;
    const { judgeScan } = await import('../dataset/judge-scan.js');
    return judgeScan(fact.scan);
  });
  return {
    options,
    env,
    datasetTarget,
    dataset,
    problems,
    trainingLog,
    python: once(() => store.get('python')),
    progress: onDetail,
  };
}
