import { describe, expect, it } from 'vitest';
import check from '../../checks/bench.training.js';
import { benchFact, measured } from './bench-facts.js';

type F = { status: string; summary: string; details?: string };
const run = (facts: ReturnType<typeof benchFact>) => check.run(facts) as unknown as F;

describe('bench.training', () => {
  it('warns that a CPU is too slow for the default 1000 epochs, against the published GPU epochs', () => {
    const f = run(benchFact(measured(20_000)));
    expect(f.status).toBe('warn');
    // 20 s forward x 3 by FLOPs x 250 + 50 x 20 s = 4.45 h per epoch.
    expect(f.summary).toMatch(/about 4\.4 h per epoch.*nnU-Net's reference: 41 s on an A100 40GB PCIe/);
    expect(f.details).toMatch(/343 tiles/);
  });

  it('reports a GPU-class speed as information', () => {
    const f = run(benchFact(measured(50, { provider: 'cuda' })));
    expect(f.status).toBe('info');
    // 0.05 s x 3 x 250 + 50 x 0.05 s = 40 s.
    expect(f.summary).toMatch(/^about 40 s per epoch/);
  });
});
