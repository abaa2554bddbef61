import { defineCheck, fail, info, pass, skip, type Finding } from '../src/core/index.js';
import { compareDotted, driverRequirementFor } from '../src/gpu/driver-table.js';
import { torchImported } from '../src/python/report.js';

const REF = 'NVIDIA CUDA Toolkit release notes (driver table); src/gpu/driver-table.ts';

export default defineCheck({
  id: 'gpu.driver',
  title: "NVIDIA driver new enough for torch's CUDA",
  category: 'gpu',
  needs: ['gpu', 'python', 'nvcc', 'os'],
  run({ gpu, python, nvcc, os }) {
    const toolkit = nvcc.ok ? `; the CUDA ${nvcc.version} toolkit (nvcc) found here is not what PyTorch uses` : '';
    const driver = gpu.ok ? gpu.driverVersion : undefined;
    if (!driver) return skip(`no NVIDIA driver to judge${toolkit}`);
    const live = python.ok ? torchImported(python) : undefined;
    const torchCuda = live ? live.cuda : python.ok ? python.torch.versionFile?.cuda : undefined;
    if (!torchCuda) return skip(`driver ${driver}; torch has no CUDA build to compare with (see torch.build)${toolkit}`);
    const onWindows = os.ok && os.platform === 'win32';
    const need = driverRequirementFor(torchCuda, onWindows ? 'windows' : 'linux');
    const evidence = { driver, driverCuda: gpu.ok ? gpu.cudaDriverVersion : undefined, torchCuda, minimumDriver: need.floor, buildDriver: need.full, nvcc: nvcc.ok ? nvcc.version : null };
    const findings: Finding[] = [];
    const tooOldWarning = live?.cudaWarnings.find((w) => /too old/i.test(w));
    const fix = {
      default: `update the NVIDIA driver to ${need.full ?? 'a current release'} or newer, or install a torch built for an older CUDA (pip install torch --index-url https://download.pytorch.org/whl/cu118)`,
      wsl: 'update the NVIDIA driver on Windows (WSL uses the Windows driver), or install a torch built for an older CUDA',
    };
    if ((need.floor && compareDotted(driver, need.floor) < 0) || tooOldWarning) {
      findings.push(
        fail(`driver ${driver} is too old for torch's CUDA ${torchCuda} (needs ${need.floor ?? 'newer'} or later)`, {
          why: `PyTorch wheels bring their own CUDA ${torchCuda} runtime, which needs a driver of at least that CUDA major version. torch then reports "The NVIDIA driver on your system is too old".${tooOldWarning ? ` torch said: ${tooOldWarning}` : ''}`,
          fix,
          ref: REF,
          evidence,
        }),
      );
    } else if (need.full && compareDotted(driver, need.full) < 0) {
      findings.push(
        pass(`driver ${driver} runs torch's CUDA ${torchCuda} through minor-version compatibility (${need.full} is the matching driver)`, {
          why: 'Works for nnU-Net; new GPUs that need PTX JIT compilation can still fail until the driver is updated.',
          ref: REF,
          evidence,
        }),
      );
    } else {
      findings.push(pass(`driver ${driver} supports torch's CUDA ${torchCuda}`, { evidence, ref: REF }));
    }
    if (nvcc.ok && nvcc.version !== majorMinor(torchCuda)) {
      findings.push(
        info(`nvcc ${nvcc.version} differs from torch's CUDA ${torchCuda}; this does not matter for nnU-Net`, {
          why: 'PyTorch wheels ship their own CUDA runtime and cuDNN; the toolkit on the machine (nvcc, CUDA_HOME) is only used to compile CUDA extensions, which nnU-Net does not need. Do not reinstall torch or the toolkit to make them match.',
          evidence: { nvcc: nvcc.version, nvccPath: nvcc.path, torchCuda },
        }),
      );
    }
    return findings;
  },
});

function majorMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}
