import { defineProbe, failure, type Probed } from '../core/index.js';
import { parseProcLimits, type ResourceLimit } from './linux/proc-limits.js';
import { readTextOrNull } from './linux/read.js';

export interface ProcessLimits {
  /** `ulimit -n`: open file descriptors; PyTorch passes shared-memory tensors between workers as descriptors. */
  openFiles: ResourceLimit;
}

declare module '../core/facts.js' {
  interface Facts {
    /** Resource limits of this process, which nnU-Net started from the same shell inherits. */
    limits: Probed<ProcessLimits>;
  }
}

export const limitsProbe = defineProbe({
  fact: 'limits',
  async probe({ platform }) {
    // Node has no getrlimit(); Linux publishes the limits in /proc, other systems only to a shell builtin.
    if (platform !== 'linux') return failure(`resource limits are only read on Linux, not ${platform}`);
    const text = await readTextOrNull('/proc/self/limits');
    const openFiles = text === null ? undefined : parseProcLimits(text).get('Max open files');
    return openFiles ? { ok: true, openFiles } : failure('could not read "Max open files" from /proc/self/limits');
  },
});
