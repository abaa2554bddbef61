import { describe, expect, it } from 'vitest';
import check from '../../checks/gpu.arch.js';
import { probeGpuFixture } from '../probes/gpu-fixture.js';
import { envFact, gpuFact, noGpu, nvidiaGpu, pythonFact, torchRuntime } from './install-facts.js';
import { judge, statuses } from './recorded-facts.js';

const rtx5090 = { index: 0, name: 'NVIDIA GeForce RTX 5090', totalMemoryBytes: 32e9, capability: '12.0' };
const noTorch = pythonFact({ torch: null });

describe('gpu.arch', () => {
  it("passes a GPU in torch's arch list", async () => {
    expect(statuses(await judge(check, { gpu: gpuFact(), python: pythonFact(), env: envFact() }))).toEqual(['pass']);
  });

  it('fails an RTX 5090 on a cu126 build without sm_120', async () => {
    const python = pythonFact({ torch: torchRuntime({ version: '2.6.0+cu126', cuda: '12.6', devices: [rtx5090], archList: ['sm_50', 'sm_80', 'sm_86', 'sm_90'] }) });
    const [finding] = await judge(check, { gpu: gpuFact(), python, env: envFact() });
    expect(finding).toMatchObject({ status: 'fail', summary: "NVIDIA GeForce RTX 5090 (sm_120) is not in torch 2.6.0+cu126's architecture list" });
    expect(finding!.fix).toMatch(/cu128/);
  });

  it('warns a compute capability 6.1 GPU that compile is on by default', async () => {
    const [finding] = await judge(check, { gpu: await probeGpuFixture('gtx1080ti-cc61'), python: noTorch, env: envFact() });
    expect(finding).toMatchObject({ status: 'warn', summary: 'NVIDIA GeForce GTX 1080 Ti (compute capability 6.1): torch.compile will refuse this GPU; set nnUNet_compile=f' });
  });

  it('still warns about AMP speed on 6.1 once compile is off, and honours only true/1/t as on', async () => {
    const gpu = gpuFact({ devices: [nvidiaGpu({ name: 'Tesla P100', computeCapability: '6.0' })] });
    const [off] = await judge(check, { gpu, python: noTorch, env: envFact({ nnUNet_compile: 'f' }) });
    expect(off!.summary).toBe('Tesla P100 (compute capability 6.0): pre-Volta GPU, slow under nnU-Net\'s mixed precision');
    const [yes] = await judge(check, { gpu, python: noTorch, env: envFact({ nnUNet_compile: 'yes' }) });
    expect(yes!.summary).toMatch(/pre-Volta/);
    const [on] = await judge(check, { gpu, python: noTorch, env: envFact({ nnUNet_compile: 'T' }) });
    expect(on!.summary).toMatch(/set nnUNet_compile=f/);
  });

  it('skips without a capability', async () => {
    expect(statuses(await judge(check, { gpu: noGpu(), python: noTorch, env: envFact() }))).toEqual(['skip']);
  });
});
