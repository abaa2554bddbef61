import { defineCheck, fail, info, pass, skip, warn } from '../src/core/index.js';
import { wheelIndexFor } from '../src/gpu/driver-table.js';
import { torchImported } from '../src/python/report.js';
import { fmtCudnn } from '../src/python/torch-rules.js';

export default defineCheck({
  id: 'torch.build',
  title: 'PyTorch build matches the GPU (CUDA, ROCm, CPU)',
  category: 'torch',
  needs: ['python', 'gpu'],
  run({ python, gpu }) {
    if (!python.ok) return skip(python.reason);
    const live = torchImported(python);
    if (!live) return skip('torch did not import (see torch.installed)');
    const nvidia = gpu.ok ? gpu.devices.filter((d) => d.vendor === 'nvidia') : [];
    const index = wheelIndexFor(gpu.ok ? gpu.cudaDriverVersion : undefined);
    const reinstall = `pip uninstall -y torch && pip install torch --index-url ${index}`;
    const evidence = {
      torch: live.version,
      cuda: live.cuda,
      hip: live.hip,
      cudnn: live.cudnn,
      cudaAvailable: live.cudaAvailable,
      torchDevices: live.devices.map((d) => d.name),
      nvidiaGpus: nvidia.map((d) => d.name),
      cudaWarnings: live.cudaWarnings,
    };
    if (live.hip) {
      return warn(`ROCm build of torch (HIP ${live.hip}); nnU-Net is untested on AMD GPUs`, {
        why: 'ROCm torch exposes the cuda device, so nnU-Net may run, but the maintainers support NVIDIA, mps and cpu only; torch.compile and AMP on ROCm are unknown territory.',
        fix: 'if compile fails: export nnUNet_compile=f',
        ref: 'known-problems §4 AMD ROCm',
        evidence,
      });
    }
    if (!live.cuda) {
      if (nvidia.length > 0) {
        return fail(`CPU-only torch ${live.version} on a machine with ${nvidia[0]!.name}`, {
          why: 'This wheel has no CUDA, so nnU-Net\'s default -device cuda fails ("Torch not compiled with CUDA enabled"). It often happens when `pip install nnunetv2` pulled torch from PyPI\'s default index (nnUNet #2506).',
          fix: reinstall,
          ref: 'documentation/installation_instructions.md (install PyTorch first)',
          evidence,
        });
      }
      if (live.mpsAvailable) return info(`torch ${live.version} with Apple MPS; nnU-Net can use -device mps`, { evidence });
      return info(`CPU-only torch ${live.version}; fine without an NVIDIA GPU, but training on the CPU is impractical`, { evidence });
    }
    if (!live.cudaAvailable) {
      const said = [live.cudaError, ...live.cudaWarnings].filter(Boolean).join(' ');
      return fail(`torch ${live.version} is built for CUDA ${live.cuda} but cannot use the GPU`, {
        why: `torch.cuda.is_available() is False${said ? `; torch said: ${said}` : ''}. Usual causes: a driver older than the wheel's CUDA, no driver, CUDA_VISIBLE_DEVICES hiding the GPUs, or a container without GPU access.`,
        fix: nvidia.length > 0 ? `update the NVIDIA driver (see gpu.driver), or ${reinstall}` : 'check gpu.present: no working NVIDIA GPU was found',
        evidence,
      });
    }
    const cudnn = live.cudnn ? `, cuDNN ${fmtCudnn(live.cudnn)}` : ', cuDNN unavailable';
    return pass(`CUDA ${live.cuda} build${cudnn}; torch sees ${live.devices.length} GPU${live.devices.length === 1 ? '' : 's'}`, { evidence });
  },
});
