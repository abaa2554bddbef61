import { defineProbe, failure, type Probed } from '../core/index.js';
import type { DatasetScan } from '../dataset/scanner.js';

/** The scan sits under one key: spread into the fact, its unions make the Facts type too large for tsc. */
export interface DatasetFact {
  scan: DatasetScan;
}

declare module '../core/facts.js' {
  interface Facts {
    /** The scanned raw dataset named with --dataset: layout, headers and value statistics of every file. */
    dataset: Probed<DatasetFact>;
  }
}

export const datasetProbe = defineProbe({
  fact: 'dataset',
  // Reading every voxel of a large dataset takes minutes; the deadline guards only against a hang.
  timeoutMs: 2 * 60 * 60 * 1000,
  async probe({ options, env, fact }) {
    if (!options.dataset) return failure('no dataset named (pass --dataset <id | DatasetXXX_Name | path>)');
    const cpu = await fact('cpu');
    const { scanDataset } = await import('../dataset/scanner.js');
    return { ok: true, scan: await scanDataset(options.dataset, { env, workers: cpu.ok ? cpu.effectiveCpus : undefined }) };
  },
});
