import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { HeaderError, MAX_DEFLATE_RATIO, type BytesRead, type ParsedHeader } from './header.js';
import { parseMetaImageHeader } from './metaimage.js';
import { NIFTI2_HEADER_BYTES, parseNiftiHeader } from './nifti.js';
import { parseNrrdHeader } from './nrrd.js';
import { scanPng } from './png.js';
import { ELEMENT_BYTES, type FileRole, type FileScan, type ReadError, type ReadErrorKind } from './types.js';
import { ValueAccumulator } from './values.js';

const CHUNK_BYTES = 1024 * 1024;
/** Text headers (NRRD, MetaImage) longer than this are not headers. */
const MAX_TEXT_HEADER_BYTES = 64 * 1024;

export interface VolumeTask {
  /** Absolute path to open (read-only). */
  absolutePath: string;
  /** Path reported in results, relative to the dataset folder. */
  path: string;
  role: FileRole;
}

/** Reads one image or label file, header and every voxel, and never throws: problems become `error`. */
export async function scanVolumeFile(task: VolumeTask, onBytes: BytesRead = () => {}): Promise<FileScan> {
  const result: FileScan = { path: task.path, role: task.role, fileBytes: 0, dataBytes: 0 };
  try {
    const info = await stat(task.absolutePath);
    if (!info.isFile()) throw new HeaderError('unreadable', 'not a regular file');
    result.fileBytes = info.size;
    const name = task.absolutePath.toLowerCase();
    if (name.endsWith('.png')) return { ...result, ...(await scanPng(task.absolutePath, info.size, task.role, onBytes)) };
    if (name.endsWith('.nii') || name.endsWith('.nii.gz')) return { ...result, ...(await scanNifti(task, info.size, onBytes)) };
    if (name.endsWith('.nrrd') || name.endsWith('.nhdr') || name.endsWith('.mha') || name.endsWith('.mhd')) {
      return { ...result, ...(await scanTextHeaderFile(task, info.size, onBytes)) };
    }
    throw new HeaderError('unsupported', `nnunet-doctor cannot read ${path.extname(name) || 'files without an ending'} files`);
  } catch (error) {
    return { ...result, error: readErrorOf(error) };
  }
}

type VolumePart = Pick<FileScan, 'header' | 'values' | 'dataBytes' | 'error'>;

async function scanNifti(task: VolumeTask, fileBytes: number, onBytes: BytesRead): Promise<VolumePart> {
  const gzipped = task.absolutePath.toLowerCase().endsWith('.gz');
  if (gzipped) await expectGzipMagic(task.absolutePath);
  const source = openStream(task.absolutePath, 0, gzipped ? 'gzip' : undefined, onBytes);
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
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
    const bound = gzipped ? fileBytes * MAX_DEFLATE_RATIO : fileBytes;
    const expected = expectedDataBytes(parsed, bound, gzipped);
    // The header bytes go round again so that the data offset counts from the start of the file.
    const chunks = resume(head.subarray(0, headLength), leftover, iterator);
    return await readValues(parsed, chunks, expected, task.role, gzipped);
  } finally {
    source.destroy();
  }
}

async function scanTextHeaderFile(task: VolumeTask, fileBytes: number, onBytes: BytesRead): Promise<VolumePart> {
  const head = await readHead(task.absolutePath, Math.min(fileBytes, MAX_TEXT_HEADER_BYTES));
  const lower = task.absolutePath.toLowerCase();
  const parsed = lower.endsWith('.nrrd') || lower.endsWith('.nhdr') ? parseNrrdHeader(head) : parseMetaImageHeader(head);
  let dataPath = task.absolutePath;
  let dataFileBytes = fileBytes;
  if (parsed.dataFile) {
    dataPath = path.resolve(path.dirname(task.absolutePath), parsed.dataFile);
    dataFileBytes = (await stat(dataPath).catch(() => {
      throw new HeaderError('unreadable', `its data file ${parsed.dataFile} is missing or unreadable`);
    })).size;
  } else if (parsed.dataOffset > fileBytes) {
    throw new HeaderError('truncated', 'the file ends inside its header');
  }
  const compressed = parsed.dataCompression !== undefined;
  const available = dataFileBytes - parsed.dataOffset;
  const expected = expectedDataBytes(parsed, compressed ? available * MAX_DEFLATE_RATIO : available, compressed);
  if (compressed) await expectCompressionMagic(dataPath, parsed.dataOffset, parsed.dataCompression!);
  const source = openStream(dataPath, parsed.dataOffset, parsed.dataCompression, onBytes);
  try {
    return await readValues({ ...parsed, dataOffset: 0 }, source as AsyncIterable<Buffer>, expected, task.role, compressed);
  } finally {
    source.destroy();
  }
}

/** Bytes of voxel data the header promises, refused before anything is read when the file cannot hold them. */
function expectedDataBytes(parsed: ParsedHeader, maxBytes: number, compressed: boolean): number {
  const { shape } = parsed.header.geometry;
  const voxels = shape.reduce((a, b) => a * b, 1) * parsed.header.components;
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

/** Feeds the voxel bytes (after `dataOffset`) to the statistics and checks the stream length. */
async function readValues(parsed: ParsedHeader, chunks: AsyncIterable<Buffer>, expected: number, role: FileRole, compressed: boolean): Promise<VolumePart> {
  const accumulator = new ValueAccumulator({ elementType: parsed.header.elementType, littleEndian: parsed.littleEndian, role, scale: parsed.header.scale });
  let skip = parsed.dataOffset;
  let remaining = expected;
  for await (const chunk of chunks) {
    let data = chunk;
    if (skip > 0) {
      const n = Math.min(skip, data.length);
      skip -= n;
      data = data.subarray(n);
    }
    if (data.length === 0 || remaining === 0) continue;
    const used = data.length <= remaining ? data : data.subarray(0, remaining);
    accumulator.push(used);
    remaining -= used.length;
  }
  const { trailingBytes, ...values } = accumulator.finish();
  const dataBytes = expected - remaining;
  const part: VolumePart = { header: parsed.header, values, dataBytes };
  if (skip > 0 || remaining > 0) {
    const got = Math.max(0, dataBytes - trailingBytes);
    part.error = {
      kind: compressed ? 'size-mismatch' : 'truncated',
      message: compressed
        ? `the data inflates to ${got} of the ${expected} bytes the header's dimensions need: the header does not match the data, or the file was cut and re-compressed`
        : `the file holds ${got} of the ${expected} data bytes its header promises`,
    };
  }
  return part;
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

/** A read-only stream of the file from `offset`, inflated when compressed, reporting file bytes read. */
function openStream(file: string, offset: number, compression: 'gzip' | 'zlib' | undefined, onBytes: BytesRead): Readable {
  const raw = createReadStream(file, { flags: 'r', start: offset, highWaterMark: CHUNK_BYTES });
  raw.on('data', (chunk) => onBytes(chunk.length));
  if (!compression) return raw;
  const inflater = compression === 'gzip' ? createGunzip({ chunkSize: CHUNK_BYTES }) : createInflate({ chunkSize: CHUNK_BYTES });
  raw.on('error', (error) => inflater.destroy(error));
  inflater.on('close', () => raw.destroy());
  return raw.pipe(inflater);
}

async function readHead(file: string, bytes: number, offset = 0): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function expectGzipMagic(file: string): Promise<void> {
  const magic = await readHead(file, 2);
  if (magic.length < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) {
    const plain = magic.length === 2 && magic.readInt16LE(0) === 348;
    throw new HeaderError(
      'not-gzip',
      plain ? 'it is named .gz but is an uncompressed NIfTI file (nibabel refuses it; rename it to .nii or gzip it)' : 'it is named .gz but is not gzip-compressed',
    );
  }
}

async function expectCompressionMagic(file: string, offset: number, compression: 'gzip' | 'zlib'): Promise<void> {
  const magic = await readHead(file, 2, offset);
  const ok = compression === 'gzip' ? magic[0] === 0x1f && magic[1] === 0x8b : magic.length === 2 && (magic[0]! & 0x0f) === 8 && ((magic[0]! << 8) | magic[1]!) % 31 === 0;
  if (!ok) throw new HeaderError('not-gzip', `its header says the data is ${compression}-compressed, but the data is not`);
}

/** Turns anything thrown while reading into a finding-ready cause. */
export function readErrorOf(error: unknown): ReadError {
  if (error instanceof HeaderError) return { kind: error.kind, message: error.message };
  const e = error as NodeJS.ErrnoException;
  const zlibKinds: Record<string, [ReadErrorKind, string]> = {
    Z_BUF_ERROR: ['truncated', 'the compressed data ends early (a cut download or copy)'],
    Z_DATA_ERROR: ['not-gzip', `the compressed data is corrupt (${e.message})`],
  };
  const zlib = e.code ? zlibKinds[e.code] : undefined;
  if (zlib) return { kind: zlib[0], message: zlib[1] };
  if (e.code === 'ELOOP') return { kind: 'symlink-loop', message: 'a symbolic link loop' };
  if (e.code === 'EACCES' || e.code === 'EPERM') return { kind: 'unreadable', message: 'permission denied' };
  if (e.code === 'ENOENT') return { kind: 'unreadable', message: 'the file vanished or is a dangling symbolic link' };
  if (e.code === 'EISDIR') return { kind: 'unreadable', message: 'a directory, not a file' };
  return { kind: 'unreadable', message: e.message ?? String(error) };
}
