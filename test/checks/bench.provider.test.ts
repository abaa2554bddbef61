import { describe, expect, it } from 'vitest';
import check from '../../checks/bench.provider.js';
import { benchFact, measured } from './bench-facts.js';

const run = (facts: ReturnType<typeof benchFact>) => check.run(facts) as ReturnType<typeof check.run> & { status: string; summary: string; fix?: string };

describe('bench.provider', () => {
  it('skips with the way to measure when no benchmark ran', () => {
    const f = check.run({ bench: { ok: false, reason: 'no probe provides the fact "bench"' } }) as { status: string; summary: string };
    expect(f.status).toBe('skip');
    expect(f.summary).toMatch(/nnunet-doctor bench/);
  });

  it('tells how to install the CUDA provider when an NVIDIA GPU is there but the run was on the CPU', () => {
    const f = run(benchFact(measured(40_000), ['NVIDIA GeForce RTX 4090']));
    expect(f.status).toBe('warn');
    expect(f.summary).toMatch(/RTX 4090 is present.*Failed to load shared library/);
    expect(f.fix).toMatch(/install\.js --onnxruntime-node-install=cuda12/);
  });

  it('passes a CPU run on a machine without a GPU', () => {
    expect(run(benchFact(measured(40_000))).status).toBe('pass');
  });

  it('warns when the requested provider failed and the run fell back', () => {
    const f = run(benchFact(measured(40_000, { fallbacks: [{ provider: 'webgpu', reason: 'Failed to get a WebGPU adapter' }] })));
    expect(f.status).toBe('warn');
    expect(f.summary).toMatch(/webgpu failed \(Failed to get a WebGPU adapter\)/);
  });

  it('warns when the providers could not be probed, instead of passing a CPU run', () => {
    const fact = benchFact(measured(40_000), ['NVIDIA A100']);
    const f = run({ bench: { ...fact.bench, providers: [], providerProbeFailure: 'the provider probe failed: node did not finish within 30.0 s and was killed' } } as never);
    expect(f.status).toBe('warn');
    expect(f.summary).toMatch(/without knowing which providers load: the provider probe failed/);
  });
});
