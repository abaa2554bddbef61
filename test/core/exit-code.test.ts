import { describe, expect, it } from 'vitest';
import { countStatuses, exitCodeFor } from '../../src/core/exit-code.js';
import type { Status } from '../../src/core/finding.js';
import type { CheckResult } from '../../src/core/runner.js';

const result = (...statuses: Status[]): CheckResult => ({
  id: 'a.b',
  title: 't',
  category: 'system',
  durationMs: 1,
  findings: statuses.map((status) => ({ status, summary: status })),
});

describe('exit codes', () => {
  it.each([
    [['pass', 'info', 'skip'], 'fail', 0],
    [['pass', 'info', 'skip'], 'warn', 0],
    [['warn'], 'fail', 0],
    [['warn'], 'warn', 1],
    [['error'], 'fail', 0],
    [['error'], 'warn', 1],
    [['timeout'], 'warn', 1],
    [['fail'], 'fail', 1],
    [['fail'], 'warn', 1],
  ] as const)('%j with --fail-on %s exits %i', (statuses, failOn, code) => {
    expect(exitCodeFor([result(...statuses)], failOn)).toBe(code);
  });

  it('counts every finding by status', () => {
    expect(countStatuses([result('pass', 'fail'), result('pass')])).toMatchObject({ pass: 2, fail: 1, warn: 0 });
  });
});
