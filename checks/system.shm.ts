import { defineCheck, fail, pass, skip, warn } from '../src/core/index.js';
import { fmtBytes, GiB, MiB } from '../src/util/format.js';

export default defineCheck({
  id: 'system.shm',
  title: 'Shared memory for data-augmentation workers',
  category: 'system',
  needs: ['shm'],
  platforms: ['linux'],
  run({ shm }) {
    if (!shm.ok) return skip(shm.reason);
    const evidence = { bytes: shm.bytes, freeBytes: shm.freeBytes };
    const why =
      'nnU-Net hands augmented batches from its worker processes to the trainer through /dev/shm; when it is full the workers die ' +
      '("unable to write to file </torch_...>", "One or more background workers are no longer alive").';
    const fix = {
      default: 'enlarge the tmpfs: sudo mount -o remount,size=16G /dev/shm',
      linux: 'in Docker restart the container with --ipc=host (or --shm-size=16g); on a host: sudo mount -o remount,size=16G /dev/shm',
    };
    if (shm.bytes < 512 * MiB) return fail(`/dev/shm is only ${fmtBytes(shm.bytes)}`, { why, fix, ref: 'known-problems: shared memory in containers', evidence });
    if (shm.bytes < 2 * GiB) return warn(`/dev/shm is ${fmtBytes(shm.bytes)}; 2 GiB or more is safer`, { why, fix, evidence });
    return pass(`/dev/shm is ${fmtBytes(shm.bytes)} (${fmtBytes(shm.freeBytes)} free)`, { evidence });
  },
});
