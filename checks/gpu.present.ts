import { defineCheck, fail, info, pass, warn } from '../src/core/index.js';
import { fmtBytes } from '../src/util/format.js';

const DRIVER_FIX = {
  default: 'install or reinstall the NVIDIA driver, then reboot',
  linux: 'sudo ubuntu-drivers install (or your distribution\'s nvidia-driver package), then reboot; in Docker run with --gpus all and the NVIDIA Container Toolkit',
  wsl: 'install the current NVIDIA driver on Windows (not inside WSL) and run `wsl --update`',
};

export default defineCheck({
  id: 'gpu.present',
  title: 'NVIDIA GPU and driver',
  category: 'gpu',
  rank: 10,
  needs: ['gpu'],
  run({ gpu }) {
    if (!gpu.ok) return fail(`could not look for GPUs: ${gpu.reason}`);
    const smi = gpu.nvidiaSmi;
    const evidence = { source: gpu.source, nvidiaSmi: smi, devices: gpu.devices.map((d) => `${d.vendor}: ${d.name}`) };
    if (smi.state === 'hung') {
      return fail('nvidia-smi hangs: the NVIDIA driver is not responding', {
        why: `${smi.reason}. A wedged driver (often after an Xid error or a crashed job) also hangs every CUDA program, including nnU-Net.`,
        fix: { default: 'look for Xid errors (`sudo dmesg | grep -i xid`), stop processes stuck on the GPU, then reload the driver or reboot', win32: 'restart the machine; update the NVIDIA driver if it happens again' },
        evidence,
      });
    }
    if (smi.state === 'driver-error') {
      return fail('nvidia-smi cannot talk to the NVIDIA driver', {
        why: `nvidia-smi said: "${smi.reason}". Without a working driver PyTorch sees no GPU ("Found no NVIDIA driver on your system"). After a driver update without a reboot the kernel module and library versions differ.`,
        fix: DRIVER_FIX,
        evidence,
      });
    }
    if (smi.state === 'no-devices') {
      return fail('the NVIDIA driver runs but sees no GPU', {
        why: `${smi.reason}. Typical in a container started without GPU access, or with a GPU that fell off the bus.`,
        fix: 'in Docker: docker run --gpus all ... (NVIDIA Container Toolkit); in Slurm: request a GPU (--gres=gpu:1); otherwise check `lspci | grep -i nvidia` and dmesg',
        evidence,
      });
    }
    const nvidia = gpu.devices.filter((d) => d.vendor === 'nvidia');
    if (gpu.source === 'nvidia-smi') {
      const list = nvidia.map((d) => `${d.name}${d.memoryTotalBytes ? ` (${fmtBytes(d.memoryTotalBytes)})` : ''}`);
      return pass(`${nvidia.length === 1 ? list[0] : `${nvidia.length} GPUs: ${summarize(list)}`}, driver ${gpu.driverVersion ?? '?'}${gpu.cudaDriverVersion ? ` (CUDA ${gpu.cudaDriverVersion})` : ''}`, { evidence });
    }
    if (nvidia.length > 0) {
      return fail(`an NVIDIA GPU (${nvidia[0]!.name}) is installed but its driver is not (no nvidia-smi)`, {
        why: 'nnU-Net trains on CUDA; without the driver PyTorch falls back to nothing: -device cuda fails.',
        fix: DRIVER_FIX,
        evidence,
      });
    }
    const amd = gpu.devices.filter((d) => d.vendor === 'amd');
    if (amd.length > 0) {
      return warn(`AMD GPU found (${amd[0]!.name}); nnU-Net is untested on ROCm`, {
        why: 'ROCm builds of torch expose the cuda device, so nnU-Net may run, but torch.compile (Triton) and AMP on ROCm are not supported by the maintainers ("NVIDIA for default; mps and cpu also supported").',
        fix: 'install a ROCm build of torch from pytorch.org; if compile fails set nnUNet_compile=f',
        ref: 'known-problems §4 AMD ROCm',
        evidence,
      });
    }
    if (gpu.devices.some((d) => d.vendor === 'apple')) {
      return info('Apple GPU: nnU-Net can use -device mps, with CPU fallback for some 3D operations', {
        why: 'nnU-Net turns compile and AMP off on mps; 3D training takes days and the maintainers do not officially support macOS (nnUNet #2244).',
        ref: 'nnunetv2/run/run_training.py (-device)',
        evidence,
      });
    }
    return warn('no NVIDIA GPU found; nnU-Net would run on the CPU, far too slowly for training', {
      why: `${smi.reason ?? 'nvidia-smi found nothing'}. nnU-Net trains with -device cuda by default and needs a GPU with 10 GB or more; CPU inference works but is slow.`,
      fix: 'train on a machine with an NVIDIA GPU; for inference here pass -device cpu',
      ref: 'documentation/installation_instructions.md (hardware requirements)',
      evidence,
    });
  },
});

/** "8 x NVIDIA H100 80GB HBM3 (80 GiB)" instead of eight copies of the same name. */
function summarize(list: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of list) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${n} x ${name}` : name)).join(', ');
}
