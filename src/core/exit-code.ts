import { severity, type Status } from './finding.js';
import type { CheckResult } from './runner.js';

export const FAIL_ON = ['warn', 'fail'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** The documented contract: 0 nothing at or above --fail-on, 1 something is; 2 is for usage and crashes. */
export const EXIT = { ok: 0, findings: 1, doctorFailed: 2 } as const;

export function exitCodeFor(results: readonly CheckResult[], failOn: FailOn): 0 | 1 {
  const threshold = severity(failOn);
  return results.some((r) => r.findings.some((f) => severity(f.status) >= threshold)) ? EXIT.findings : EXIT.ok;
}

export function countStatuses(results: readonly CheckResult[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, info: 0, skip: 0, warn: 0, timeout: 0, error: 0, fail: 0 };
  for (const r of results) for (const f of r.findings) counts[f.status] += 1;
  return counts;
}
