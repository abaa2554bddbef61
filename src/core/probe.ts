import type { FactName, Facts } from './facts.js';
import type { CommandOptions, CommandResult } from './exec.js';

/** What the user asked for that changes what is probed (never what a check concludes). */
export interface DoctorOptions {
  /** Interpreter the user named with --python. */
  python?: string;
  /** Dataset the user named with --dataset (id, name or path). */
  dataset?: string;
  /** Results folder the user named with --results. */
  results?: string;
  /** Run measured probes (e.g. a short torch conv benchmark). */
  deep?: boolean;
  /** Deadline for each probe, ms. */
  probeTimeoutMs: number;
}

export interface ProbeContext {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  options: DoctorOptions;
  exec(file: string, args: readonly string[], options?: Partial<CommandOptions>): Promise<CommandResult>;
  /** Another fact, shared and memoized. */
  fact<K extends FactName>(name: K): Promise<Facts[K]>;
}

export interface Probe<K extends FactName = FactName> {
  fact: K;
  /** Overrides the run's probe deadline, for probes known to be slow (importing torch). */
  timeoutMs?: number;
  probe(ctx: ProbeContext): Promise<Facts[K]>;
}

export function defineProbe<K extends FactName>(probe: Probe<K>): Probe<K> {
  return probe;
}
