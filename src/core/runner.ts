import type { Category, Check } from './check.js';
import { DeadlineError, withDeadline } from './deadline.js';
import { messageOf, type FactStore } from './fact-store.js';
import type { Facts, ProbeFailure } from './facts.js';
import { STATUSES, type Finding } from './finding.js';

export interface CheckResult {
  id: string;
  title: string;
  category: Category;
  findings: Finding[];
  durationMs: number;
}

export interface RunnerEvents {
  onCheckStart?(check: Check): void;
  onCheckFinish?(result: CheckResult): void;
}

export interface RunnerOptions {
  platform: NodeJS.Platform;
  /** Deadline for a check's own work, after its facts are in. */
  checkTimeoutMs: number;
  events?: RunnerEvents;
}

/**
 * Runs every check concurrently over the shared facts. Results come back in the order of `checks`,
 * whatever order they finish in; a check that throws or overruns becomes an error or timeout finding.
 */
export function runChecks(checks: readonly Check[], store: FactStore, options: RunnerOptions): Promise<CheckResult[]> {
  return Promise.all(checks.map((check) => runOne(check, store, options)));
}

async function runOne(check: Check, store: FactStore, options: RunnerOptions): Promise<CheckResult> {
  options.events?.onCheckStart?.(check);
  const started = performance.now();
  const findings = await judge(check, store, options);
  const result: CheckResult = {
    id: check.id,
    title: check.title,
    category: check.category,
    findings,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
  options.events?.onCheckFinish?.(result);
  return result;
}

async function judge(check: Check, store: FactStore, options: RunnerOptions): Promise<Finding[]> {
  if (check.platforms && !check.platforms.includes(options.platform)) {
    return [{ status: 'skip', summary: `does not apply on ${options.platform}` }];
  }
  let facts: Partial<Facts>;
  try {
    const values = await Promise.all(check.needs.map((name) => store.get(name)));
    const timedOut = values.map((v, i) => [check.needs[i], v] as const).filter(([, v]) => (v as ProbeFailure).timedOut);
    if (timedOut.length > 0) {
      return [
        {
          status: 'timeout',
          summary: timedOut.map(([, v]) => (v as ProbeFailure).reason).join('; '),
          fix: 'rerun with a longer --timeout, or look for a hung process (a wedged GPU driver, an unreachable network filesystem)',
          evidence: { facts: timedOut.map(([name]) => name) },
        },
      ];
    }
    facts = Object.fromEntries(check.needs.map((name, i) => [name, values[i]])) as Partial<Facts>;
  } catch (error) {
    return [{ status: 'error', summary: `could not gather facts: ${messageOf(error)}` }];
  }
  try {
    const out = await withDeadline(Promise.resolve().then(() => check.run(facts)), options.checkTimeoutMs);
    const list = Array.isArray(out) ? out : [out];
    if (list.length === 0) return [{ status: 'error', summary: 'the check returned no finding' }];
    return list;
  } catch (error) {
    if (error instanceof DeadlineError) {
      return [{ status: 'timeout', summary: `the check ${error.message}` }];
    }
    return [
      {
        status: 'error',
        summary: `the check crashed: ${messageOf(error)}`,
        details: 'the check threw instead of returning a finding; every other check still ran',
        fix: 'this is a bug in the check; please report it with the output of -v',
        evidence: { stack: error instanceof Error ? error.stack : String(error) },
      },
    ];
  }
}

/** The most severe status of a result: what its row shows. */
export function worstStatus(result: CheckResult): Finding['status'] {
  return result.findings.reduce<Finding['status']>(
    (worst, f) => (STATUSES.indexOf(f.status) > STATUSES.indexOf(worst) ? f.status : worst),
    'pass',
  );
}
