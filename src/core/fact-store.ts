import { DeadlineError, withDeadline } from './deadline.js';
import { runCommand } from './exec.js';
import { failure, type FactName, type Facts } from './facts.js';
import type { DoctorOptions, Probe, ProbeContext } from './probe.js';

export interface FactStoreEvents {
  /** A probe is still running after `slowAfterMs`. */
  onSlowProbe?(fact: FactName, elapsedMs: number): void;
}

export interface FactStoreInit {
  probes: readonly Probe[];
  options: DoctorOptions;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Facts known already (recorded on a machine, or computed by the command): used instead of probing. */
  recorded?: Partial<Facts>;
  /**
   * Replaying another machine: facts that were not recorded are not probed here either, except these,
   * which describe files the user points at on this command line rather than the machine.
   */
  replay?: { liveFacts: readonly FactName[] };
  events?: FactStoreEvents;
  slowAfterMs?: number;
}

/**
 * Probes each fact once, on first demand, under a deadline; every check and every other probe shares the
 * same answer. A probe that throws or passes its deadline yields a ProbeFailure, never an exception.
 */
export class FactStore {
  private readonly probes = new Map<string, Probe>();
  private readonly pending = new Map<string, Promise<unknown>>();
  private readonly settled = new Map<string, unknown>();
  readonly durationsMs = new Map<string, number>();
  private readonly ctx: ProbeContext;

  constructor(private readonly init: FactStoreInit) {
    for (const p of init.probes) this.probes.set(p.fact, p);
    for (const [name, value] of Object.entries(init.recorded ?? {})) this.settled.set(name, value);
    const env = init.env ?? process.env;
    this.ctx = {
      env,
      platform: init.platform ?? process.platform,
      options: init.options,
      exec: (file, args, opts) => runCommand(file, args, { timeoutMs: 10_000, env, ...opts }),
      fact: (name) => this.get(name),
    };
  }

  /** Probes that arrive later (plugins load while the first probes already run). */
  addProbes(probes: readonly Probe[]): void {
    for (const p of probes) this.probes.set(p.fact, p);
  }

  get<K extends FactName>(name: K): Promise<Facts[K]> {
    // Cast after resolving: Awaited<> over the union of every fact is too complex for tsc (TS2590).
    if (this.settled.has(name)) return Promise.resolve(this.settled.get(name)) as Promise<Facts[K]>;
    let promise = this.pending.get(name) as Promise<Facts[K]> | undefined;
    if (!promise) {
      promise = this.probe(name);
      this.pending.set(name, promise);
    }
    return promise;
  }

  /** Every fact probed so far, for --json, reports and recording a machine. */
  snapshot(): Partial<Facts> {
    return Object.fromEntries(this.settled) as Partial<Facts>;
  }

  private async probe<K extends FactName>(name: K): Promise<Facts[K]> {
    const probe = this.probes.get(name) as Probe<K> | undefined;
    const started = performance.now();
    let value: Facts[K];
    if (this.init.replay && !this.init.replay.liveFacts.includes(name)) {
      value = failure(`"${name}" was not recorded on the replayed machine`) as Facts[K];
    } else if (!probe) {
      value = failure(`no probe provides the fact "${name}"`) as Facts[K];
    } else {
      const timeoutMs = probe.timeoutMs ?? this.init.options.probeTimeoutMs;
      const slow = setTimeout(() => this.init.events?.onSlowProbe?.(name, performance.now() - started), this.init.slowAfterMs ?? 2000);
      slow.unref();
      try {
        value = await withDeadline(probe.probe(this.ctx), timeoutMs);
      } catch (error) {
        value = (error instanceof DeadlineError
          ? failure(`the ${name} probe ${error.message}`, { timedOut: true })
          : failure(`the ${name} probe crashed: ${messageOf(error)}`)) as Facts[K];
      } finally {
        clearTimeout(slow);
      }
    }
    this.durationsMs.set(name, performance.now() - started);
    this.settled.set(name, value);
    return value;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
