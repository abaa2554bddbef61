import { parentPort } from 'node:worker_threads';
import type { WorkerMessage } from './pool.js';
import { scanVolumeFile, type VolumeTask } from './read-volume.js';
import type { FileScan } from './types.js';

/** Progress is batched: a message per 4 MiB read keeps the main thread idle. */
const PROGRESS_EVERY_BYTES = 4 * 1024 * 1024;

const port = parentPort!;
port.on('message', async (task: VolumeTask) => {
  let pending = 0;
  const post = (message: WorkerMessage<FileScan>) => port.postMessage(message);
  try {
    const result = await scanVolumeFile(task, (bytes) => {
      pending += bytes;
      if (pending >= PROGRESS_EVERY_BYTES) {
        post({ type: 'progress', bytes: pending });
        pending = 0;
      }
    });
    if (pending > 0) post({ type: 'progress', bytes: pending });
    post({ type: 'done', result });
  } catch (error) {
    post({ type: 'failed', message: (error as Error).message });
  }
});
