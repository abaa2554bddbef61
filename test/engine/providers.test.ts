import { describe, expect, it } from 'vitest';
import { bestProvider, cleanReason, parseProbeOutput, probeProviders } from '../../src/engine/providers.js';

describe('execution-provider probe', () => {
  it('finds that the CPU provider loads, in a child process', async () => {
    const probe = await probeProviders();
    expect(probe.ok).toBe(true);
    const cpu = probe.statuses.find((s) => s.provider === 'cpu');
    expect(cpu).toMatchObject({ loads: true, bundled: true });
    for (const s of probe.statuses.filter((x) => !x.loads)) expect(s.reason).toBeTruthy();
  }, 60_000);

  it('reads the child output and keeps the last sentence of ORT errors', () => {
    const statuses = parseProbeOutput(JSON.stringify({
      backends: [{ name: 'cpu', bundled: true }, { name: 'cuda', bundled: false }],
      results: [
        { provider: 'cuda', loads: false, reason: 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library' },
        { provider: 'cpu', loads: true },
      ],
    }));
    expect(statuses[0]).toEqual({ provider: 'cuda', bundled: false, loads: false, reason: 'Failed to load shared library' });
    expect(cleanReason('/onnxruntime_src/x.cc:129 lambda status was false. Failed to get a WebGPU adapter: No supported adapters')).toBe('Failed to get a WebGPU adapter: No supported adapters');
  });

  it('prefers a native GPU provider, and WebGPU only when nothing else loads', () => {
    const s = (provider: 'cuda' | 'webgpu' | 'cpu', loads: boolean) => ({ provider, loads, bundled: true });
    expect(bestProvider([s('cuda', true), s('webgpu', true), s('cpu', true)])).toBe('cuda');
    expect(bestProvider([s('cuda', false), s('webgpu', true), s('cpu', true)])).toBe('webgpu');
    expect(bestProvider([s('cuda', false), s('cpu', true)])).toBe('cpu');
  });
});
