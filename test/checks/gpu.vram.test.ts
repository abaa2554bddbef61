import { describe, expect, it } from 'vitest';
import check from '../../checks/gpu.vram.js';
import { probeGpuFixture } from '../probes/gpu-fixture.js';
import { envFact, gpuFact, noGpu, nvidiaGpu } from './install-facts.js';
import { judge, statuses } from './recorded-facts.js';
import { GiB } from '../../src/util/format.js';

describe('gpu.vram', () => {
  it('passes 24 GB and says which plans fit', async () => {
    const [finding] = await judge(check, { gpu: await probeGpuFixture('rtx4090-24gb'), env: envFact() });
    expect(finding).toMatchObject({ status: 'pass', summary: 'NVIDIA GeForce RTX 4090 (cuda:0): 24.0 GiB, 23.0 GiB free' });
    expect(finding!.evidence!.plansThatFit).toEqual(['default / ResEnc M', 'ResEnc L']);
    expect(finding!.details).toMatch(/drives a display/);
  });

  it('passes 12 GB', async () => {
    expect(statuses(await judge(check, { gpu: await probeGpuFixture('rtx3060-12gb'), env: envFact() }))).toEqual(['pass']);
  });

  it('fails 6 GB for training but says inference works', async () => {
    const [finding] = await judge(check, { gpu: await probeGpuFixture('rtx2060-6gb'), env: envFact() });
    expect(finding).toMatchObject({ status: 'fail', summary: 'NVIDIA GeForce RTX 2060 (cuda:0) has 6.0 GiB: too little to train nnU-Net (10 GB needed); enough for inference' });
  });

  it('warns between 6.5 and 9.5 GiB', async () => {
    const gpu = gpuFact({ devices: [nvidiaGpu({ name: 'NVIDIA GeForce RTX 3070', memoryTotalBytes: 8 * GiB, memoryFreeBytes: 7.5 * GiB })] });
    expect(statuses(await judge(check, { gpu, env: envFact() }))).toEqual(['warn']);
  });

  it('fails a card where another process holds 22 GB, naming the process', async () => {
    const [finding] = await judge(check, { gpu: await probeGpuFixture('busy-3090-22gb-used'), env: envFact() });
    expect(finding).toMatchObject({ status: 'fail', summary: 'only 1.6 GiB of 24.0 GiB free on NVIDIA GeForce RTX 3090 (cuda:0); 22.4 GiB used by 1 other process (python (pid 48213, 22.0 GiB))' });
    expect(finding!.fix).toMatch(/CUDA_VISIBLE_DEVICES/);
  });

  it('judges the GPU CUDA_VISIBLE_DEVICES selects on the 8 x 80 GB server', async () => {
    const gpu = await probeGpuFixture('a100-8x80gb');
    const [all] = await judge(check, { gpu, env: envFact() });
    expect(all!.summary).toMatch(/8 GPUs visible, nnU-Net uses one per training/);
    const [one] = await judge(check, { gpu, env: envFact({ CUDA_VISIBLE_DEVICES: '3' }) });
    expect(one!.evidence!.cuda0).toBe('GPU 3: NVIDIA A100-SXM4-80GB');
    expect(one!.details).toMatch(/cuda:0 is GPU 3/);
  });

  it('fails when CUDA_VISIBLE_DEVICES hides every GPU', async () => {
    const [finding] = await judge(check, { gpu: gpuFact(), env: envFact({ CUDA_VISIBLE_DEVICES: '' }) });
    expect(finding).toMatchObject({ status: 'fail', summary: 'CUDA_VISIBLE_DEVICES="" hides every GPU' });
  });

  it('skips without an NVIDIA GPU', async () => {
    expect(statuses(await judge(check, { gpu: noGpu(), env: envFact() }))).toEqual(['skip']);
  });
});
