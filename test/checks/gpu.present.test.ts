import { describe, expect, it } from 'vitest';
import check from '../../checks/gpu.present.js';
import { probeGpuFixture } from '../probes/gpu-fixture.js';
import { gpuFact, noGpu, nvidiaGpu } from './install-facts.js';
import { judge } from './recorded-facts.js';

describe('gpu.present', () => {
  it('passes the RTX 4090 machine, naming GPU, driver and CUDA version', async () => {
    const [finding] = await judge(check, { gpu: await probeGpuFixture('rtx4090-24gb') });
    expect(finding).toMatchObject({ status: 'pass', summary: 'NVIDIA GeForce RTX 4090 (24.0 GiB), driver 570.133.07 (CUDA 12.8)' });
  });

  it('groups eight identical GPUs', async () => {
    const [finding] = await judge(check, { gpu: await probeGpuFixture('a100-8x80gb') });
    expect(finding!.summary).toBe('8 GPUs: 8 x NVIDIA A100-SXM4-80GB (80.0 GiB), driver 550.90.07 (CUDA 12.4)');
  });

  it('fails a hanging nvidia-smi with a fix, instead of timing out', async () => {
    const [finding] = await judge(check, { gpu: await probeGpuFixture('hang', 1500) });
    expect(finding).toMatchObject({ status: 'fail', summary: 'nvidia-smi hangs: the NVIDIA driver is not responding' });
    expect(JSON.stringify(finding!.fix)).toMatch(/dmesg/);
  });

  it("fails the driver failure, quoting nvidia-smi", async () => {
    const [finding] = await judge(check, { gpu: await probeGpuFixture('driver-failure') });
    expect(finding).toMatchObject({ status: 'fail', summary: 'nvidia-smi cannot talk to the NVIDIA driver' });
    expect(finding!.details).toMatch(/couldn't communicate with the NVIDIA driver/);
  });

  it('fails an NVIDIA card the OS lists when the driver is missing', async () => {
    const gpu = gpuFact({ source: 'systeminformation', devices: [nvidiaGpu({ name: 'GA102 [GeForce RTX 3090]' })], driverVersion: undefined, nvidiaSmi: { state: 'not-found', reason: 'nvidia-smi is not on PATH' } });
    expect((await judge(check, { gpu }))[0]).toMatchObject({ status: 'fail', summary: 'an NVIDIA GPU (GA102 [GeForce RTX 3090]) is installed but its driver is not (no nvidia-smi)' });
  });

  it('warns (not fails) for AMD GPUs found by rocm-smi', async () => {
    const gpu = gpuFact({ source: 'rocm-smi', devices: [{ index: 0, vendor: 'amd', name: 'AMD Instinct MI210' }], nvidiaSmi: { state: 'not-found' } });
    expect((await judge(check, { gpu }))[0]).toMatchObject({ status: 'warn', summary: 'AMD GPU found (AMD Instinct MI210); nnU-Net is untested on ROCm' });
  });

  it('warns when there is no GPU at all', async () => {
    expect((await judge(check, { gpu: noGpu() }))[0]!.status).toBe('warn');
  });

  it('fails a driver that sees no devices (container without --gpus)', async () => {
    const gpu = gpuFact({ source: 'none', devices: [], nvidiaSmi: { state: 'no-devices', reason: 'No devices were found' } });
    const [finding] = await judge(check, { gpu });
    expect(finding!.status).toBe('fail');
    expect(finding!.fix).toMatch(/--gpus all/);
  });
});
