import type { FactName, Facts } from './facts.js';
import type { Finding } from './finding.js';

export const CATEGORIES = ['system', 'env', 'gpu', 'python', 'torch', 'nnunet', 'dataset', 'logs', 'bench', 'sanity'] as const;
/** Built-in categories come first in this order; plugins may add their own. */
export type Category = (typeof CATEGORIES)[number] | (string & {});

export type FactsOf<N extends readonly FactName[]> = { [K in N[number]]: Facts[K] };

export interface CheckSpec<N extends readonly FactName[]> {
  /** Stable dotted id, e.g. `system.shm`: users pass it to --only/--skip and tickets quote it. */
  id: string;
  title: string;
  category: Category;
  needs: N;
  /** Only on these platforms; elsewhere the check is skipped with a reason. */
  platforms?: readonly NodeJS.Platform[];
  /** Display order inside the category, lowest first (default 50): "is it there at all" before the details. */
  rank?: number;
  /** A pure judgement of the facts; no I/O, no clock, no environment reads. */
  run(facts: FactsOf<N>): Finding | Finding[] | Promise<Finding | Finding[]>;
}

/** A check with its facts erased, as the registry and runner hold it. */
export interface Check {
  id: string;
  title: string;
  category: Category;
  needs: readonly FactName[];
  platforms?: readonly NodeJS.Platform[];
  rank?: number;
  run(facts: Partial<Facts>): Finding | Finding[] | Promise<Finding | Finding[]>;
}

export function defineCheck<const N extends readonly FactName[]>(spec: CheckSpec<N>): Check {
  if (!/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/.test(spec.id)) {
    throw new Error(`check id "${spec.id}" must be dotted lower-case, like "system.shm"`);
  }
  return spec as unknown as Check;
}

export function isCheck(value: unknown): value is Check {
  const c = value as Check | null;
  return !!c && typeof c.id === 'string' && typeof c.run === 'function' && Array.isArray(c.needs);
}
