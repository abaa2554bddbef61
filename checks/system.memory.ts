import { defineCheck, fail, pass, skip, warn, type Finding } from '../src/core/index.js';
import type { MemoryInfo } from '../src/probes/memory.js';
import { fmtBytes, GiB } from '../src/util/format.js';

// The docs' 32 GB and 64 GB are module sizes; the kernel keeps some back, so a 32 GB machine shows about 31 GiB.
const MIN_BYTES = 30 * GiB;
const RECOMMENDED_BYTES = 60 * GiB;
const REF = 'nnU-Net documentation/installation_instructions.md (example workstation: 64 GB RAM); known-problems row 2';

export default defineCheck({
  id: 'system.memory',
  title: 'RAM for preprocessing and training',
  category: 'system',
  needs: ['memory', 'os'],
  run({ memory, os }) {
    if (!memory.ok) return skip(memory.reason);
    const wsl = os.ok ? os.wsl : null;
    const container = os.ok ? os.container : 'none';
    const usableBytes = Math.min(memory.totalBytes, memory.cgroupLimitBytes ?? Infinity);
    const limitedBy = memory.cgroupLimitBytes !== null && memory.cgroupLimitBytes < memory.totalBytes ? 'cgroup' : wsl ? 'wsl' : null;
    const { ok: _ok, ...measured } = memory;
    const evidence = { ...measured, usableBytes, wsl, container };
    const summary = `${fmtBytes(usableBytes)} RAM${limitedBy === 'cgroup' ? ` (cgroup limit; the machine has ${fmtBytes(memory.totalBytes)})` : limitedBy === 'wsl' ? ' given to WSL' : ''}`;
    const why =
      'Preprocessing resamples whole images in several processes at once and each data-augmentation worker holds its own batch; ' +
      'when RAM runs out the kernel kills a worker ("One or more background workers are no longer alive", a bare "Killed"). ' +
      'nnU-Net asks for 32 GB at least and 64 GB for a workstation.' +
      (limitedBy === 'wsl' ? " WSL2 gives Linux only part of the host's RAM (half by default), set by memory= in .wslconfig." : '') +
      swapNote(memory);
    const fix = {
      default: 'add RAM, or lower the worker counts: -np for preprocessing, nnUNet_n_proc_DA for training, -npp/-nps for inference',
      linux:
        limitedBy === 'cgroup'
          ? `raise the memory limit (Docker: --memory=64g; SLURM: --mem=64G; Kubernetes: resources.limits.memory), or lower the worker counts (-np, nnUNet_n_proc_DA)`
          : 'add RAM or swap on an SSD, or lower the worker counts (-np, nnUNet_n_proc_DA, -npp/-nps)',
      wsl: 'WSL2 gets only part of the host RAM: set memory=48GB (or more) under [wsl2] in %UserProfile%\\.wslconfig, then run wsl --shutdown',
    };
    const findings: Finding[] = [];
    if (usableBytes < MIN_BYTES) findings.push(fail(`${summary}: below the 32 GB nnU-Net needs for training`, { why, fix, ref: REF, evidence }));
    else if (usableBytes < RECOMMENDED_BYTES) findings.push(warn(`${summary}: 64 GB is recommended for training`, { why, fix, ref: REF, evidence }));
    else findings.push(pass(summary, { ref: REF, evidence }));
    const available = availableFinding(memory, usableBytes);
    if (available) findings.push(available);
    return findings;
  },
});

function swapNote(memory: MemoryInfo): string {
  return memory.swapTotalBytes === 0 ? ' There is no swap, so a memory peak kills a process at once.' : '';
}

/** Other programs holding most of the RAM hurt as much as a small machine. */
function availableFinding(memory: MemoryInfo, usableBytes: number): Finding | undefined {
  const availableBytes =
    memory.cgroupLimitBytes !== null && memory.cgroupUsageBytes !== null
      ? Math.min(memory.availableBytes, memory.cgroupLimitBytes - memory.cgroupUsageBytes)
      : memory.availableBytes;
  if (availableBytes >= usableBytes * 0.5 || availableBytes >= 32 * GiB) return undefined;
  return warn(`only ${fmtBytes(availableBytes)} of ${fmtBytes(usableBytes)} RAM is available now`, {
    why: 'Other programs hold the rest; nnU-Net workers will run out of memory sooner than the total suggests.',
    fix: { default: 'close other programs or training runs before starting nnU-Net', linux: 'see what holds the memory: ps aux --sort=-rss | head' },
    evidence: { availableBytes, usableBytes },
  });
}
