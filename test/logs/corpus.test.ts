import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainLog, LOG_SIGNATURES, logFindings, primaryCause } from '../../src/logs/index.js';

interface Expected {
  major: 'v1' | 'v2' | 'unknown';
  causes: string[];
  primary?: string;
  warnings?: string[];
  harmless?: string[];
  wrapper?: { id: string; oom: boolean };
  firstNonFiniteEpoch?: number;
  epochTimeTrend?: string;
}

const dir = path.resolve(import.meta.dirname, '../../fixtures/logs');
const manifest = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, Expected | string>;
const cases = Object.entries(manifest).filter((e): e is [string, Expected] => typeof e[1] === 'object');

describe('the fixture log corpus', () => {
  it.each(cases)('%s', (file, expected) => {
    const explanation = explainLog(readFileSync(path.join(dir, file), 'utf8'));
    const ids = (kind: string) => explanation.diagnoses.filter((d) => d.kind === kind).map((d) => d.id).sort();
    expect(explanation.nnunet.major).toBe(expected.major);
    expect(ids('error')).toEqual([...expected.causes].sort());
    expect(ids('warning')).toEqual([...(expected.warnings ?? [])].sort());
    expect(explanation.harmless.map((d) => d.id).sort()).toEqual([...(expected.harmless ?? [])].sort());
    expect(primaryCause(explanation)?.id).toBe(expected.primary);
    if (expected.wrapper) {
      const wrapper = explanation.wrappers.find((w) => w.wrapperId === expected.wrapper!.id);
      expect(wrapper?.likelyOomKiller).toBe(expected.wrapper.oom);
    } else {
      expect(explanation.wrappers).toEqual([]);
    }
    if (expected.firstNonFiniteEpoch !== undefined) expect(explanation.training?.firstNonFinite?.epoch).toBe(expected.firstNonFiniteEpoch);
    if (expected.epochTimeTrend !== undefined) expect(explanation.training?.epochTime?.trend).toBe(expected.epochTimeTrend);
    // v1-only advice must never reach a v2 user.
    if (expected.major !== 'v1') expect(JSON.stringify(logFindings(explanation))).not.toContain('--fp32');
  });

  it('covers every signature of the table with at least one log', () => {
    const expected = cases.flatMap(([, e]) => [...e.causes, ...(e.warnings ?? []), ...(e.harmless ?? []), ...(e.wrapper ? [e.wrapper.id] : [])]);
    const metrics = LOG_SIGNATURES.filter((s) => s.kind === 'metric').map((s) => s.id);
    const missing = LOG_SIGNATURES.map((s) => s.id).filter((id) => !expected.includes(id) && !metrics.includes(id));
    expect(missing).toEqual([]);
    expect(LOG_SIGNATURES).toHaveLength(63);
  });

  it('has an expectation for every log file in the folder', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
    expect(files).toEqual(cases.map(([f]) => f).sort());
  });

  it('invents no cause for the healthy logs', () => {
    for (const file of ['training_log_healthy.txt', 'console-healthy-ansi.txt', 'predict-cpu-fallback.txt']) {
      const findings = logFindings(explainLog(readFileSync(path.join(dir, file), 'utf8')));
      expect(findings.filter((f) => f.status === 'fail'), file).toEqual([]);
      expect(findings.length, file).toBeGreaterThan(0);
    }
  });
});
