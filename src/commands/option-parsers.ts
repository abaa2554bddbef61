import { UsageError } from './usage-error.js';

/** Comma-separated and repeatable: `--only gpu,torch --only system`. */
export const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout needs a positive number of seconds, not "${value}"`);
  return n;
}

/** A parser for a whole-number option at least `min` (1 for counts, 0 for warm-ups). */
export function wholeNumber(flag: string, min: 0 | 1 = 1) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs a whole number >= ${min}, not "${value}"`);
    return n;
  };
}
