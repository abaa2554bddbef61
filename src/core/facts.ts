/**
 * Facts are what probes learned about the machine: plain, serializable data. Each probe module adds its
 * facts to this interface by declaration merging, so a check's `needs` list is type-checked:
 *
 *   declare module '../core/facts.js' { interface Facts { shm: Probed<ShmInfo> } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Facts {}

export type FactName = keyof Facts & string;

/** Why a probe could not produce its fact. A failed probe is a fact too: checks judge it. */
export interface ProbeFailure {
  ok: false;
  reason: string;
  stderr?: string;
  timedOut?: boolean;
  /** The signal that killed the probed program (a segfaulting library). */
  signal?: string;
}

/** A probed value, or the reason it could not be probed. */
export type Probed<T extends object> = ({ ok: true } & T) | ProbeFailure;

export function failure(reason: string, extra: Omit<ProbeFailure, 'ok' | 'reason'> = {}): ProbeFailure {
  return { ok: false, reason, ...extra };
}
