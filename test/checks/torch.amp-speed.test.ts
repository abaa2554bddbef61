import { describe, expect, it } from 'vitest';
import check from '../../checks/torch.amp-speed.js';
import { pythonFact, torchRuntime } from './install-facts.js';
import { judge } from './recorded-facts.js';

const withBench = (conv3dBenchmark: object) => pythonFact({ torch: torchRuntime({ conv3dBenchmark }) });

describe('torch.amp-speed', () => {
  it('skips without --deep', async () => {
    expect((await judge(check, { python: pythonFact() }))[0]).toMatchObject({ status: 'skip', summary: expect.stringMatching(/--deep/) });
  });

  it('skips with the reason when there is no CUDA device', async () => {
    expect((await judge(check, { python: withBench({ ok: false, reason: 'torch sees no CUDA device' }) }))[0]!.summary).toBe('not measured: torch sees no CUDA device');
  });

  it('passes a fast AMP path', async () => {
    const [finding] = await judge(check, { python: withBench({ ok: true, device: 'RTX 4090', fp32Ms: 40, ampMs: 16 }) });
    expect(finding).toMatchObject({ status: 'pass', summary: 'AMP is 2.5x faster than fp32 for 3D convolutions (fp16 autocast 16 ms vs fp32 40 ms per step)' });
  });

  it('warns when AMP is slower than fp32 (the torch 2.9 regression)', async () => {
    const [finding] = await judge(check, { python: withBench({ ok: true, device: 'RTX 4090', fp32Ms: 40, ampMs: 150 }) });
    expect(finding!.status).toBe('warn');
    expect(finding!.ref).toBe('pytorch/pytorch#166122');
  });
});
