import { defineCheck, fail, info, pass, skip, warn, type Finding } from '../src/core/index.js';
import type { ContainerKind } from '../src/probes/os.js';
import type { ProcessLimits } from '../src/probes/limits.js';
import type { ShmInfo } from '../src/probes/shm.js';
import { fmtBytes, GiB, MiB } from '../src/util/format.js';

const DOCKER_DEFAULT_BYTES = 64 * MiB;
/** The usual Linux default soft limit; below it even small worker pools run out of descriptors. */
const OPEN_FILES_FLOOR = 1024;

export default defineCheck({
  id: 'system.shm',
  title: 'Shared memory and open files for data-augmentation workers',
  category: 'system',
  needs: ['shm', 'limits', 'os'],
  platforms: ['linux'],
  run({ shm, limits, os }) {
    if (!shm.ok) return skip(shm.reason);
    const container = os.ok ? os.container : 'none';
    const openFiles = limits.ok ? openFilesFinding(limits) : info(`open-file limit unknown: ${limits.reason}`);
    return [shmFinding(shm, container), openFiles];
  },
});

function shmFinding(shm: { ok: true } & ShmInfo, container: ContainerKind): Finding {
  const evidence = { bytes: shm.bytes, freeBytes: shm.freeBytes, container };
  const why =
    'nnU-Net hands augmented batches from its worker processes to the trainer through /dev/shm; when it is full the workers die ' +
    '("unable to write to file </torch_...>", "One or more background workers are no longer alive").';
  const fix = shmFix(container);
  const ref = 'known-problems row 17 (Docker / shared memory); nnU-Net #2331, #1789';
  const dockerDefault = container === 'docker' && shm.bytes === DOCKER_DEFAULT_BYTES ? " (Docker's default)" : '';
  if (shm.bytes < 512 * MiB) return fail(`/dev/shm is only ${fmtBytes(shm.bytes)}${dockerDefault}`, { why, fix, ref, evidence });
  if (shm.bytes < 2 * GiB) return warn(`/dev/shm is ${fmtBytes(shm.bytes)}; 2 GiB or more is safer`, { why, fix, ref, evidence });
  return pass(`/dev/shm is ${fmtBytes(shm.bytes)} (${fmtBytes(shm.freeBytes)} free)`, { evidence });
}

function shmFix(container: ContainerKind): string {
  switch (container) {
    case 'docker':
      return 'restart the container with --ipc=host (or --shm-size=16g); in docker compose: shm_size: "16gb"';
    case 'podman':
      return 'restart the container with --shm-size=16g (or --ipc=host)';
    case 'apptainer':
      return "Apptainer shares the host's /dev/shm: enlarge it on the host (sudo mount -o remount,size=16G /dev/shm)";
    case 'other':
      return 'give the container a larger /dev/shm (Kubernetes: an emptyDir volume with medium: Memory mounted at /dev/shm)';
    default:
      return 'sudo mount -o remount,size=16G /dev/shm (persist it with a tmpfs line for /dev/shm in /etc/fstab)';
  }
}

function openFilesFinding(limits: { ok: true } & ProcessLimits): Finding {
  const { soft, hard } = limits.openFiles;
  const evidence = { openFilesSoft: soft, openFilesHard: hard };
  if (soft !== 'unlimited' && soft < OPEN_FILES_FLOOR) {
    const canRaise = hard === 'unlimited' || hard > soft;
    return warn(`the open-file limit (ulimit -n) is only ${soft}`, {
      why: 'PyTorch passes shared-memory tensors between worker processes as file descriptors; a low limit fails with "Too many open files" or "received 0 items of ancdata".',
      fix: canRaise
        ? `run ulimit -n ${hard === 'unlimited' ? 65535 : Math.min(hard, 65535)} in the shell that starts nnU-Net (or add it to ~/.bashrc)`
        : 'raise the hard limit: a "nofile" line in /etc/security/limits.conf, or docker run --ulimit nofile=65535:65535',
      ref: 'nnU-Net documentation/benchmarking.md (ulimit -n 65535)',
      evidence,
    });
  }
  return pass(`open-file limit (ulimit -n) is ${soft} (hard ${hard})`, {
    details: 'The benchmarking docs raise it to 65535 for nnUNet_keep_files_open, which nnU-Net 2.6 and later no longer read.',
    evidence,
  });
}
