import type { Probed } from '../core/facts.js';
import type { BenchResult } from './bench.js';
import type { ProviderStatus } from './providers.js';

/** The configuration could not be read (plans not JSON, configuration missing, invalid network). */
export interface InvalidBenchConfig {
  status: 'invalid-config';
  reason: string;
  fix: string;
  /** The configurations the plans file does have. */
  available?: string[];
}

/** The benchmark started but could not finish (no provider could run the graph, ORT ran out of memory). */
export interface FailedBench {
  status: 'failed';
  reason: string;
}

/** What `nnunet-doctor bench` measured, as the fact checks/bench.*.ts judge. */
export interface BenchFact {
  outcome: BenchResult | InvalidBenchConfig | FailedBench;
  /** Execution providers probed on this machine, and why the others did not load. */
  providers: ProviderStatus[];
  /** Why the providers could not be probed at all (then only the CPU was tried). */
  providerProbeFailure?: string;
  /** NVIDIA GPUs the gpu probe saw (names only), to tell a missing CUDA provider from a missing GPU. */
  nvidiaGpus: string[];
}

declare module '../core/facts.js' {
  interface Facts {
    /** Only `nnunet-doctor bench` provides it; elsewhere the bench checks say how to get it. */
    bench: Probed<BenchFact>;
  }
}

export const BENCH_NOT_RUN = 'not measured in this run: `nnunet-doctor bench` runs the benchmark';
