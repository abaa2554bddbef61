import { defineCheck, fail, info, pass, skip, warn, type Finding } from '../src/core/index.js';
import type { OsInfo } from '../src/probes/os.js';

const INSTALL_REF = 'nnU-Net documentation/installation_instructions.md (supported platforms)';

export default defineCheck({
  id: 'system.os',
  title: 'Operating system, WSL and containers',
  category: 'system',
  rank: 10,
  needs: ['os'],
  run({ os }) {
    if (!os.ok) return skip(os.reason);
    const evidence = { platform: os.platform, release: os.release, arch: os.arch, distro: os.distro, wsl: os.wsl, container: os.container };
    return [platformFinding(os, evidence), ...environmentFindings(os)];
  },
});

function platformFinding(os: OsInfo, evidence: Record<string, unknown>): Finding {
  const name = os.distro ?? os.platform;
  if (os.wsl === 1) {
    return fail(`WSL1 (${name}): it has no GPU access`, {
      why: 'CUDA on Windows Subsystem for Linux needs WSL2; under WSL1 nnU-Net can only run on the CPU.',
      fix: 'in PowerShell: wsl --set-version <distro> 2 (wsl -l -v lists the distributions)',
      ref: 'known-problems §4 WSL2',
      evidence,
    });
  }
  if (os.wsl === 2) {
    return pass(`WSL2 (${name}, ${os.arch})`, {
      details: 'Supported. Keep nnU-Net folders inside the Linux file system (for example ~/nnUNet_data), not under /mnt/c: see system.storage.',
      ref: 'known-problems §4 WSL2',
      evidence,
    });
  }
  if (os.platform === 'linux') return pass(`Linux (${name}, ${os.arch})`, { ref: INSTALL_REF, evidence });
  if (os.platform === 'win32') {
    return warn(`Windows (${name}): inference works, GPU training is not tested by the nnU-Net maintainers`, {
      why: 'On Windows torch.compile is off, data-augmentation workers are spawned processes that each load torch (WinError 1455, pagefile), and blosc2 preprocessing has Windows-only failures (#2771, #3003).',
      fix: 'train under WSL2 (wsl --install) or Linux; Windows is fine for inference',
      ref: 'known-problems §4 Windows; nnU-Net #2244',
      evidence,
    });
  }
  if (os.platform === 'darwin') {
    const intel = os.arch === 'x64' && !os.rosetta;
    return warn(`${name} (${os.rosetta ? 'x64 under Rosetta' : os.arch}): no CUDA; training runs on MPS or the CPU`, {
      why:
        'macOS is not officially supported for training (#2244): MPS lacks some 3D operations and training takes days. ' +
        (intel || os.rosetta ? 'PyTorch stops at 2.2 on Intel Macs (and under Rosetta), which needs numpy<2. ' : ''),
      fix: intel || os.rosetta
        ? 'pip install "nnunetv2[intel_macos]"; use a native arm64 Python on Apple Silicon; train on a Linux GPU machine'
        : 'use -device mps for inference and small experiments; train on a Linux GPU machine',
      ref: INSTALL_REF,
      evidence,
    });
  }
  return fail(`${os.platform} is not a platform nnU-Net supports`, { fix: 'use Linux (or WSL2 on Windows)', ref: INSTALL_REF, evidence });
}

function environmentFindings(os: OsInfo): Finding[] {
  const findings: Finding[] = [];
  if (os.colab) {
    findings.push(info('Google Colab runtime', {
      details: 'Colab machines have little RAM for preprocessing and training: pass -np 1 to nnUNetv2_plan_and_preprocess and expect the session to end before a full 1000-epoch training does (#2656).',
      ref: 'known-problems §4 Containers, clusters, Colab',
    }));
  }
  if (os.container !== 'none') {
    const label = { docker: 'Docker', podman: 'Podman', apptainer: 'Apptainer/Singularity', other: 'a container' }[os.container];
    findings.push(info(`running inside ${label}`, {
      details: 'Containers limit shared memory, RAM and CPUs separately from the host: system.shm, system.memory and system.cpu judge the limits this container has.',
      evidence: { signals: os.containerSignals },
    }));
  }
  return findings;
}
