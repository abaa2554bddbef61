// The practical limit for bench/dataset.ts: stream-inflate a file exactly as the scanner does (the same
// reads, the same in-place inflater and chunk size) and touch nothing, so the only difference from the
// scanner is the scanner's work. `zlibStream` uses Node's zlib stream instead (the usual way), for reference.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parentPort } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { fileChunks } from '../src/dataset/file-chunks.js';

const STREAM_CHUNK_BYTES = 1024 * 1024;

export interface GunzipTask {
  absolutePath: string;
  zlibStream: boolean;
}

async function inflatedBytes({ absolutePath: file, zlibStream }: GunzipTask): Promise<number> {
  let bytes = 0;
  if (zlibStream) {
    await pipeline(createReadStream(file, { highWaterMark: STREAM_CHUNK_BYTES }), createGunzip({ chunkSize: STREAM_CHUNK_BYTES }), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) bytes += chunk.length;
    });
    return bytes;
  }
  const { chunks, close } = fileChunks(file, 0, 'gzip', () => {});
  try {
    for await (const chunk of chunks) bytes += chunk.length;
  } finally {
    close();
  }
  return bytes;
}

parentPort!.on('message', async (task: GunzipTask) => {
  parentPort!.postMessage({ type: 'done', result: await inflatedBytes(task) });
});
