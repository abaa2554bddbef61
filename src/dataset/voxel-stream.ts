import { closeSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileChunks } from './file-chunks.js';
import { HeaderError, MAX_DEFLATE_RATIO, type BytesRead, type ParsedHeader } from './header.js';
import { parseMetaImageHeader } from './metaimage.js';
import { NIFTI2_HEADER_BYTES, parseNiftiHeader } from './nifti.js';
import { parseNrrdHeader } from './nrrd.js';
import { ELEMENT_BYTES, type ReadError } from './types.js';
import { product } from '../util/math.js';

/** Text headers (NRRD, MetaImage) longer than this are not headers. */
const MAX_TEXT_HEADER_BYTES = 64 * 1024;

/**
 * Takes the voxel bytes of a volume chunk by chunk (statistics for the scanner, a copy for the loader).
 * `push` must be done with the chunk when it returns: the buffer is refilled afterwards.
 */
export interface VoxelSink {
  push(chunk: Uint8Array): void;
}

/**
 * A volume file opened for its voxels: the header, already checked against the file's size, and the
 * voxel bytes as a read-only, inflated stream. `close` must be called (the caller's `finally`).
 * Chunk buffers are reused: a chunk is valid only until the next one is requested.
 */
export interface VoxelStream {
  parsed: ParsedHeader;
  /** Bytes of voxel data the header promises (never more than the file can hold). */
  expectedBytes: number;
  compressed: boolean;
  chunks: AsyncIterable<Buffer>;
  close(): void;
}

/** What `pumpVoxels` delivered; `complete` is false when the stream ended early (a truncated file). */
export interface PumpResult {
  dataBytes: number;
  complete: boolean;
}

/** Opens a NIfTI, NRRD or MetaImage file; PNG has its own decoder (png.ts). Throws HeaderError. */
export async function openVoxelStream(file: string, fileBytes: number, onBytes: BytesRead): Promise<VoxelStream> {
  const name = file.toLowerCase();
  if (name.endsWith('.nii') || name.endsWith('.nii.gz')) return openNifti(file, fileBytes, onBytes);
  return openTextHeaderFile(file, fileBytes, onBytes);
}

/** Feeds exactly the promised voxel bytes (after `dataOffset`) to the sink and says how many were missing. */
export async function pumpVoxels(stream: VoxelStream, sink: VoxelSink): Promise<PumpResult> {
  let skip = stream.parsed.dataOffset;
  let remaining = stream.expectedBytes;
  for await (const chunk of stream.chunks) {
    let data = chunk;
    if (skip > 0) {
      const n = Math.min(skip, data.length);
      skip -= n;
      data = data.subarray(n);
    }
    if (data.length === 0 || remaining === 0) continue;
    const used = data.length <= remaining ? data : data.subarray(0, remaining);
    sink.push(used);
    remaining -= used.length;
  }
  return { dataBytes: stream.expectedBytes - remaining, complete: skip === 0 && remaining === 0 };
}

/** Why a voxel stream came up short: `got` of the `expected` bytes arrived. */
export function incompleteDataError(compressed: boolean, got: number, expected: number): ReadError {
  return {
    kind: compressed ? 'size-mismatch' : 'truncated',
    message: compressed
      ? `the data inflates to ${got} of the ${expected} bytes the header's dimensions need: the header does not match the data, or the file was cut and re-compressed`
      : `the file holds ${got} of the ${expected} data bytes its header promises`,
  };
}

async function openNifti(file: string, fileBytes: number, onBytes: BytesRead): Promise<VoxelStream> {
  const gzipped = file.toLowerCase().endsWith('.gz');
  if (gzipped) expectGzipMagic(file);
  const source = fileChunks(file, 0, gzipped ? 'gzip' : undefined, onBytes);
  try {
    const iterator = source.chunks;
    // Collect the header from the front of the (inflated) stream: 540 bytes at most, never sized by the file.
    const head = Buffer.alloc(NIFTI2_HEADER_BYTES);
    let headLength = 0;
    let leftover: Buffer | undefined;
    while (headLength < NIFTI2_HEADER_BYTES) {
      const next = await iterator.next();
      if (next.done) break;
      const take = Math.min(next.value.length, NIFTI2_HEADER_BYTES - headLength);
      next.value.copy(head, headLength, 0, take);
      headLength += take;
      if (take < next.value.length) leftover = next.value.subarray(take);
    }
    const parsed = parseNiftiHeader(head.subarray(0, headLength));
    const expectedBytes = expectedDataBytes(parsed, gzipped ? fileBytes * MAX_DEFLATE_RATIO : fileBytes, gzipped);
    // The header bytes go round again so that the data offset counts from the start of the file.
    const chunks = resume(head.subarray(0, headLength), leftover, iterator);
    return { parsed, expectedBytes, compressed: gzipped, chunks, close: source.close };
  } catch (error) {
    source.close();
    throw error;
  }
}

async function openTextHeaderFile(file: string, fileBytes: number, onBytes: BytesRead): Promise<VoxelStream> {
  const head = readHead(file, Math.min(fileBytes, MAX_TEXT_HEADER_BYTES));
  const lower = file.toLowerCase();
  const parsed = lower.endsWith('.nrrd') || lower.endsWith('.nhdr') ? parseNrrdHeader(head) : parseMetaImageHeader(head);
  let dataPath = file;
  let dataFileBytes = fileBytes;
  if (parsed.dataFile) {
    dataPath = path.resolve(path.dirname(file), parsed.dataFile);
    dataFileBytes = (await stat(dataPath).catch(() => {
      throw new HeaderError('unreadable', `its data file ${parsed.dataFile} is missing or unreadable`);
    })).size;
  } else if (parsed.dataOffset > fileBytes) {
    throw new HeaderError('truncated', 'the file ends inside its header');
  }
  const compressed = parsed.dataCompression !== undefined;
  // The data starts at dataOffset in its file; compressed, it inflates to at most MAX_DEFLATE_RATIO times its bytes.
  const bound = compressed ? parsed.dataOffset + (dataFileBytes - parsed.dataOffset) * MAX_DEFLATE_RATIO : dataFileBytes;
  const expectedBytes = expectedDataBytes(parsed, bound, compressed);
  if (compressed) expectCompressionMagic(dataPath, parsed.dataOffset, parsed.dataCompression!);
  const source = fileChunks(dataPath, parsed.dataOffset, parsed.dataCompression, onBytes);
  return { parsed: { ...parsed, dataOffset: 0 }, expectedBytes, compressed, chunks: source.chunks, close: source.close };
}

/** Bytes of voxel data the header promises, refused before anything is read when the file cannot hold them. */
function expectedDataBytes(parsed: ParsedHeader, maxBytes: number, compressed: boolean): number {
  const { shape } = parsed.header.geometry;
  const voxels = product(shape) * parsed.header.components;
  const bytes = voxels * ELEMENT_BYTES[parsed.header.elementType];
  if (!Number.isSafeInteger(bytes) || bytes + parsed.dataOffset > maxBytes) {
    const what = `the header promises ${shape.join('×')}${parsed.header.components > 1 ? `×${parsed.header.components}` : ''} ${parsed.header.elementType} voxels (${bytes} bytes)`;
    throw new HeaderError(
      'size-mismatch',
      compressed ? `${what}, more than the compressed file could possibly hold` : `${what} from byte ${parsed.dataOffset}, but the file has only ${maxBytes} bytes`,
    );
  }
  return bytes;
}

async function* resume(prefix: Buffer, leftover: Buffer | undefined, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield prefix;
  if (leftover) yield leftover;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/** Sync like fileChunks (file-chunks.ts): a thread-pool round trip per small read kept scan workers idle. */
function readHead(file: string, bytes: number, offset = 0): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, offset));
  } finally {
    closeSync(fd);
  }
}

function expectGzipMagic(file: string): void {
  const magic = readHead(file, 2);
  if (magic.length < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) {
    const plain = magic.length === 2 && magic.readInt16LE(0) === 348;
    throw new HeaderError(
      'not-gzip',
      plain ? 'it is named .gz but is an uncompressed NIfTI file (nibabel refuses it; rename it to .nii or gzip it)' : 'it is named .gz but is not gzip-compressed',
    );
  }
}

function expectCompressionMagic(file: string, offset: number, compression: 'gzip' | 'zlib'): void {
  const magic = readHead(file, 2, offset);
  const ok = compression === 'gzip' ? magic[0] === 0x1f && magic[1] === 0x8b : magic.length === 2 && (magic[0]! & 0x0f) === 8 && ((magic[0]! << 8) | magic[1]!) % 31 === 0;
  if (!ok) throw new HeaderError('not-gzip', `its header says the data is ${compression}-compressed, but the data is not`);
}
