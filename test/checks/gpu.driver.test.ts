import { describe, expect, it } from 'vitest';
import check from '../../checks/gpu.driver.js';
import type { Facts } from '../../src/core/facts.js';
import { gpuFact, noGpu, pythonFact, torchRuntime } from './install-facts.js';
import { judge, statuses } from './recorded-facts.js';

const linux = { ok: true, platform: 'linux' } as unknown as Facts['os'];
const windows = { ok: true, platform: 'win32' } as unknown as Facts['os'];
const nvcc = (version: string): Facts['nvcc'] => ({ ok: true, path: '/usr/local/cuda/bin/nvcc', version });
const noNvcc: Facts['nvcc'] = { ok: false, reason: 'no nvcc' };
const cu = (cuda: string | null) => pythonFact({ torch: torchRuntime({ cuda }) });

describe('gpu.driver', () => {
  it('passes a driver newer than the CUDA build', async () => {
    const [finding] = await judge(check, { gpu: gpuFact({ driverVersion: '570.133.07' }), python: cu('12.8'), nvcc: noNvcc, os: linux });
    expect(finding).toMatchObject({ status: 'pass', summary: "driver 570.133.07 supports torch's CUDA 12.8" });
  });

  it('passes through minor-version compatibility and says so', async () => {
    const [finding] = await judge(check, { gpu: gpuFact({ driverVersion: '535.183.01' }), python: cu('12.8'), nvcc: noNvcc, os: linux });
    expect(finding!.summary).toMatch(/minor-version compatibility \(570.26 is the matching driver\)/);
  });

  it('fails a driver below the CUDA major version floor', async () => {
    const [finding] = await judge(check, { gpu: gpuFact({ driverVersion: '470.256.02' }), python: cu('12.1'), nvcc: noNvcc, os: linux });
    expect(finding).toMatchObject({ status: 'fail', summary: "driver 470.256.02 is too old for torch's CUDA 12.1 (needs 525.60.13 or later)" });
  });

  it('uses the Windows column on Windows', async () => {
    const [finding] = await judge(check, { gpu: gpuFact({ driverVersion: '526.98' }), python: cu('12.4'), nvcc: noNvcc, os: windows });
    expect(finding).toMatchObject({ status: 'fail', summary: "driver 526.98 is too old for torch's CUDA 12.4 (needs 527.41 or later)" });
  });

  it('reports a different nvcc as irrelevant instead of a problem', async () => {
    const findings = await judge(check, { gpu: gpuFact(), python: cu('12.8'), nvcc: nvcc('13.0'), os: linux });
    expect(statuses(findings)).toEqual(['pass', 'info']);
    expect(findings[1]!.summary).toBe("nvcc 13.0 differs from torch's CUDA 12.8; this does not matter for nnU-Net");
  });

  it('skips without a driver, still naming the toolkit', async () => {
    const [finding] = await judge(check, { gpu: noGpu(), python: cu('12.8'), nvcc: nvcc('13.0'), os: linux });
    expect(finding).toMatchObject({ status: 'skip', summary: 'no NVIDIA driver to judge; the CUDA 13.0 toolkit (nvcc) found here is not what PyTorch uses' });
  });

  it('skips a CPU-only torch', async () => {
    expect(statuses(await judge(check, { gpu: gpuFact(), python: cu(null), nvcc: noNvcc, os: linux }))).toEqual(['skip']);
  });
});
