import { describe, expect, it } from 'vitest';
import check from '../../checks/torch.build.js';
import { gpuFact, noGpu, pythonFact, torchRuntime } from './install-facts.js';
import { judge, statuses } from './recorded-facts.js';

describe('torch.build', () => {
  it('passes a CUDA build that sees the GPU', async () => {
    expect((await judge(check, { python: pythonFact(), gpu: gpuFact() }))[0]).toMatchObject({ status: 'pass', summary: 'CUDA 12.8 build, cuDNN 9.10.2; torch sees 1 GPU' });
  });

  it('fails a CPU-only wheel on an NVIDIA machine with the reinstall command for its driver', async () => {
    const python = pythonFact({ torch: torchRuntime({ version: '2.8.0+cpu', cuda: null, cudnn: null, cudaAvailable: false, devices: [], archList: [] }) });
    const [finding] = await judge(check, { python, gpu: gpuFact({ cudaDriverVersion: '12.8' }) });
    expect(finding!.status).toBe('fail');
    expect(finding!.fix).toBe('pip uninstall -y torch && pip install torch --index-url https://download.pytorch.org/whl/cu128');
  });

  it('is only informative about a CPU-only wheel without an NVIDIA GPU', async () => {
    const python = pythonFact({ torch: torchRuntime({ version: '2.8.0', cuda: null, cudaAvailable: false, devices: [] }) });
    expect(statuses(await judge(check, { python, gpu: noGpu() }))).toEqual(['info']);
  });

  it('warns for a ROCm build', async () => {
    const python = pythonFact({ torch: torchRuntime({ version: '2.8.0+rocm6.4', cuda: null, hip: '6.4.43482' }) });
    expect((await judge(check, { python, gpu: noGpu() }))[0]).toMatchObject({ status: 'warn', summary: 'ROCm build of torch (HIP 6.4.43482); nnU-Net is untested on AMD GPUs' });
  });

  it('skips when torch did not import', async () => {
    const python = pythonFact({ torch: { ok: false, errorType: 'OSError', message: 'x' } });
    expect(statuses(await judge(check, { python, gpu: gpuFact() }))).toEqual(['skip']);
  });
});
