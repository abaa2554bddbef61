import { statfs } from 'node:fs/promises';
import { defineProbe, failure, type Probed } from '../core/index.js';

export interface ShmInfo {
  path: string;
  bytes: number;
  freeBytes: number;
}

declare module '../core/facts.js' {
  interface Facts {
    /** The shared-memory tmpfs PyTorch's DataLoader workers pass batches through. */
    shm: Probed<ShmInfo>;
  }
}

export const shmProbe = defineProbe({
  fact: 'shm',
  async probe({ platform }) {
    if (platform !== 'linux') return failure(`${platform} has no /dev/shm; PyTorch uses other shared memory there`);
    try {
      const s = await statfs('/dev/shm');
      return { ok: true, path: '/dev/shm', bytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
    } catch (error) {
      return failure(`could not read /dev/shm: ${(error as Error).message}`);
    }
  },
});
