import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fileChunks } from '../../src/dataset/file-chunks.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'nnd-file-chunks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 3 MB of noisy, compressible bytes (an odd length, so the last chunk is odd too). */
const data = Buffer.from(Uint8Array.from({ length: 3_000_001 }, (_, i) => (i % 1000 < 600 ? 0 : (i * 2654435761) >>> 27)));

function write(name: string, bytes: Buffer): string {
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  return file;
}

/** Copies every chunk as it arrives (chunk buffers are reused) and records chunk sizes and bytes read. */
async function readAll(file: string, offset: number, compression: 'gzip' | 'zlib' | undefined) {
  let fileBytes = 0;
  const { chunks, close } = fileChunks(file, offset, compression, (n) => (fileBytes += n));
  const copies: Buffer[] = [];
  try {
    for await (const chunk of chunks) copies.push(Buffer.from(chunk));
  } finally {
    close();
  }
  return { bytes: Buffer.concat(copies), sizes: copies.map((c) => c.length), fileBytes };
}

describe('fileChunks', () => {
  it.each([
    ['gzip', gzipSync(data, { level: 6 })],
    ['zlib', deflateSync(data)],
  ] as const)('inflates %s exactly, in whole 256 KiB chunks but the last, reporting the file bytes read', async (compression, packed) => {
    const file = write(`data.${compression}`, Buffer.concat([Buffer.from('HEADER'), packed]));
    const { bytes, sizes, fileBytes } = await readAll(file, 6, compression);
    expect(bytes.equals(data)).toBe(true);
    expect(sizes.slice(0, -1).every((n) => n === 256 * 1024)).toBe(true);
    expect(fileBytes).toBe(packed.length);
  });

  it('reads uncompressed files from an offset', async () => {
    const { bytes } = await readAll(write('data.raw', data), 1000, undefined);
    expect(bytes.equals(data.subarray(1000))).toBe(true);
  });

  it('reads gzip files of several members, as gzip -c a b > c writes them', async () => {
    const file = write('members.gz', Buffer.concat([gzipSync(data.subarray(0, 1_000_000)), gzipSync(data.subarray(1_000_000))]));
    expect((await readAll(file, 0, 'gzip')).bytes.equals(data)).toBe(true);
  });

  it('fails a cut or corrupt stream with the zlib code the scanner explains (read-volume.ts)', async () => {
    const packed = gzipSync(data);
    await expect(readAll(write('cut.gz', packed.subarray(0, packed.length >> 1)), 0, 'gzip')).rejects.toMatchObject({ code: 'Z_BUF_ERROR' });
    const corrupt = Buffer.from(packed);
    corrupt.fill(0xff, 5000, 5100);
    await expect(readAll(write('corrupt.gz', corrupt), 0, 'gzip')).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
  });
});
