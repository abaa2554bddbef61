import type { FailOn } from '../core/exit-code.js';
import { STATUSES, type Status } from '../core/finding.js';
import { plural } from '../util/format.js';
import { STATUS_STYLE } from './status-style.js';

/** "12 passed · 2 warnings · 1 failed": the counts that are not zero, most severe last. */
export function countsText(counts: Record<Status, number>): string {
  const parts = STATUSES.filter((s) => counts[s] > 0).map((s) => {
    const { label, countable } = STATUS_STYLE[s];
    return countable ? plural(counts[s], label) : `${counts[s]} ${label}`;
  });
  return parts.length > 0 ? parts.join(' · ') : 'no checks ran';
}

export function exitText(exitCode: number, failOn: FailOn): string {
  return exitCode === 0 ? `exit code 0 (nothing at or above --fail-on ${failOn})` : `exit code ${exitCode} (findings at or above --fail-on ${failOn})`;
}
