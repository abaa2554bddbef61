import os from 'node:os';
import { defineProbe, type Probed } from '../core/index.js';
import { hostTableWorkers } from '../workers/da-workers.js';

export interface DaWorkerDefault {
  /** The host-table value nnU-Net would start from; it then caps it at os.cpu_count(). */
  workers: number;
  /** Which rule of the table matched; the host name itself is not kept. */
  rule: string;
}

declare module '../core/facts.js' {
  interface Facts {
    /** nnU-Net's default data-augmentation worker count for this host name (default_n_proc_DA.py). */
    daWorkerDefault: Probed<DaWorkerDefault>;
  }
}

export const daWorkerDefaultProbe = defineProbe({
  fact: 'daWorkerDefault',
  async probe() {
    return { ok: true, ...hostTableWorkers(os.hostname()) };
  },
});
