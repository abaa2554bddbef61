import { describe, expect, it } from 'vitest';
import { FactStore } from '../../src/core/fact-store.js';
import { defineProbe } from '../../src/core/probe.js';
import type { Probe } from '../../src/core/probe.js';

const options = { probeTimeoutMs: 200 };

function counting(fact: string, value: () => Promise<unknown>) {
  let calls = 0;
  const probe = { fact, probe: () => ((calls += 1), value()) } as unknown as Probe;
  return { probe, calls: () => calls };
}

describe('FactStore', () => {
  it('probes each fact once and shares the answer', async () => {
    const p = counting('shm', async () => ({ ok: true, path: '/dev/shm', bytes: 1, freeBytes: 1 }));
    const store = new FactStore({ probes: [p.probe], options });
    const [a, b] = await Promise.all([store.get('shm'), store.get('shm')]);
    await store.get('shm');
    expect(a).toBe(b);
    expect(p.calls()).toBe(1);
    expect(store.snapshot()).toEqual({ shm: a });
  });

  it('turns a probe past its deadline into a timed-out failure', async () => {
    const hang = counting('shm', () => new Promise(() => {}));
    const store = new FactStore({ probes: [hang.probe], options });
    const started = performance.now();
    const fact = await store.get('shm');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(fact).toMatchObject({ ok: false, timedOut: true });
    expect((fact as { reason: string }).reason).toMatch(/shm probe did not finish within 0.2 s/);
  });

  it('turns a throwing probe into a failure with the message', async () => {
    const boom = counting('shm', async () => {
      throw new Error('permission denied');
    });
    const fact = await new FactStore({ probes: [boom.probe], options }).get('shm');
    expect(fact).toEqual({ ok: false, reason: 'the shm probe crashed: permission denied' });
  });

  it('uses recorded facts instead of probing', async () => {
    const p = counting('shm', async () => ({ ok: true }));
    const recorded = { shm: { ok: true as const, path: '/dev/shm', bytes: 64 * 2 ** 20, freeBytes: 0 } };
    const store = new FactStore({ probes: [p.probe], options, recorded });
    expect(await store.get('shm')).toEqual(recorded.shm);
    expect(p.calls()).toBe(0);
  });

  it('reports a fact no probe provides', async () => {
    const fact = await new FactStore({ probes: [], options }).get('shm');
    expect(fact).toMatchObject({ ok: false, reason: 'no probe provides the fact "shm"' });
  });

  it('lets probes depend on other facts and tells when one is slow', async () => {
    const slow: string[] = [];
    const base = defineProbe({ fact: 'shm', probe: async () => new Promise((r) => setTimeout(() => r({ ok: true, path: 'x', bytes: 2, freeBytes: 1 }), 60)) });
    const derived = { fact: 'derived', probe: async (ctx: { fact: (n: 'shm') => Promise<{ ok: boolean; bytes?: number }> }) => ({ ok: true, double: ((await ctx.fact('shm')).bytes ?? 0) * 2 }) } as unknown as Probe;
    const store = new FactStore({ probes: [base, derived], options, slowAfterMs: 20, events: { onSlowProbe: (f) => slow.push(f) } });
    expect(await store.get('derived' as 'shm')).toEqual({ ok: true, double: 4 });
    expect(slow).toContain('shm');
  });
});

describe('FactStore replaying another machine', () => {
  it('probes nothing: facts that were not recorded are failures', async () => {
    const p = counting('shm', async () => ({ ok: true }));
    const store = new FactStore({ probes: [p.probe], options, recorded: {}, replay: { liveFacts: [] } });
    expect(await store.get('shm')).toEqual({ ok: false, reason: '"shm" was not recorded on the replayed machine' });
    expect(p.calls()).toBe(0);
  });

  it('still reads the facts about files named on the command line', async () => {
    const p = counting('shm', async () => ({ ok: true, path: '/dev/shm', bytes: 1, freeBytes: 1 }));
    const store = new FactStore({ probes: [p.probe], options, recorded: {}, replay: { liveFacts: ['shm'] } });
    expect(await store.get('shm')).toMatchObject({ ok: true });
    expect(p.calls()).toBe(1);
  });
});
