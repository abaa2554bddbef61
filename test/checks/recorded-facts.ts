import { readFileSync } from 'node:fs';
import type { Check } from '../../src/core/check.js';
import type { Facts } from '../../src/core/facts.js';
import type { Finding } from '../../src/core/finding.js';

/** A recorded machine from fixtures/facts/, fresh for each call so tests may change it. */
export function recordedFacts(name: string): Partial<Facts> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/facts/${name}.json`, import.meta.url), 'utf8')) as Partial<Facts>;
}

/** Runs a check on facts the way the runner does: only the facts it declares. */
export async function judge(check: Check, facts: Partial<Facts>): Promise<Finding[]> {
  const needed = Object.fromEntries(check.needs.map((name) => [name, facts[name]]));
  const out = await check.run(needed as Partial<Facts>);
  return Array.isArray(out) ? out : [out];
}

export const statuses = (findings: readonly Finding[]) => findings.map((f) => f.status);
