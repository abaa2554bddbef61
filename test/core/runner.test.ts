import { describe, expect, it } from 'vitest';
import { defineCheck, type Check } from '../../src/core/check.js';
import { FactStore } from '../../src/core/fact-store.js';
import { fail, pass, warn } from '../../src/core/finding.js';
import type { Probe } from '../../src/core/probe.js';
import { runChecks, worstStatus } from '../../src/core/runner.js';

const shmFact = { ok: true as const, path: '/dev/shm', bytes: 100, freeBytes: 50 };
const store = (probes: Probe[] = []) => new FactStore({ probes, options: { probeTimeoutMs: 150 }, recorded: probes.length ? {} : { shm: shmFact } });
const opts = { platform: 'linux' as const, checkTimeoutMs: 150 };

const delayed = (id: string, ms: number): Check =>
  defineCheck({ id, title: id, category: 'system', needs: ['shm'], run: () => new Promise((r) => setTimeout(() => r(pass(`${id} done`)), ms)) });

describe('runChecks', () => {
  it('runs checks concurrently and keeps the declared order', async () => {
    const finished: string[] = [];
    const started = performance.now();
    const results = await runChecks([delayed('a.slow', 80), delayed('b.fast', 5), delayed('c.mid', 40)], store(), {
      ...opts,
      events: { onCheckFinish: (r) => finished.push(r.id) },
    });
    expect(results.map((r) => r.id)).toEqual(['a.slow', 'b.fast', 'c.mid']);
    expect(finished).toEqual(['b.fast', 'c.mid', 'a.slow']);
    expect(performance.now() - started).toBeLessThan(80 + 40 + 5);
    expect(results[0]!.durationMs).toBeGreaterThanOrEqual(70);
  });

  it('isolates a throwing check as an error finding and goes on', async () => {
    const throwing = defineCheck({ id: 'x.throws', title: 't', category: 'system', needs: [], run: () => { throw new TypeError('boom'); } });
    const results = await runChecks([throwing, delayed('y.ok', 1)], store(), opts);
    expect(results[0]!.findings[0]).toMatchObject({ status: 'error', summary: 'the check crashed: boom' });
    expect(String(results[0]!.findings[0]!.evidence?.stack)).toContain('TypeError: boom');
    expect(results[1]!.findings[0]!.status).toBe('pass');
  });

  it('reports a check past its deadline as timeout', async () => {
    const results = await runChecks([delayed('z.hangs', 10_000)], store(), opts);
    expect(results[0]!.findings[0]).toMatchObject({ status: 'timeout', summary: 'the check did not finish within 0.1 s' });
  });

  it('reports a check whose probe hangs as timeout without running it', async () => {
    let ran = false;
    const hanging = { fact: 'shm', probe: () => new Promise(() => {}) } as unknown as Probe;
    const check = defineCheck({ id: 's.hm', title: 's', category: 'system', needs: ['shm'], run: () => ((ran = true), pass('x')) });
    const results = await runChecks([check], store([hanging]), opts);
    expect(ran).toBe(false);
    expect(results[0]!.findings[0]!.status).toBe('timeout');
    expect(results[0]!.findings[0]!.summary).toMatch(/shm probe did not finish/);
  });

  it('skips a check on other platforms', async () => {
    const macOnly = defineCheck({ id: 'm.ac', title: 'm', category: 'system', needs: [], platforms: ['darwin'], run: () => pass('x') });
    const results = await runChecks([macOnly], store(), opts);
    expect(results[0]!.findings[0]).toMatchObject({ status: 'skip', summary: 'does not apply on linux' });
  });

  it('treats an empty answer as an error, and rows show their worst finding', async () => {
    const empty = defineCheck({ id: 'e.mpty', title: 'e', category: 'system', needs: [], run: () => [] });
    const mixed = defineCheck({ id: 'm.ixed', title: 'm', category: 'system', needs: [], run: () => [pass('a'), fail('b'), warn('c')] });
    const [e, m] = await runChecks([empty, mixed], store(), opts);
    expect(e!.findings[0]!.status).toBe('error');
    expect(worstStatus(m!)).toBe('fail');
  });

  it('rejects ids that are not dotted', () => {
    expect(() => defineCheck({ id: 'NoDots', title: '', category: 'system', needs: [], run: () => pass('') })).toThrow(/dotted/);
  });
});
