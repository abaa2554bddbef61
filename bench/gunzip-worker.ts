// The practical limit for bench/dataset.ts: stream-inflate a file exactly as the scanner does (1 MiB reads,
// 1 MiB zlib chunks) and touch nothing, so the only difference from the scanner is the scanner's work.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parentPort } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';

const CHUNK_BYTES = 1024 * 1024;

parentPort!.on('message', async (task: { absolutePath: string }) => {
  let bytes = 0;
  await pipeline(createReadStream(task.absolutePath, { highWaterMark: CHUNK_BYTES }), createGunzip({ chunkSize: CHUNK_BYTES }), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) bytes += chunk.length;
  });
  parentPort!.postMessage({ type: 'done', result: bytes });
});
