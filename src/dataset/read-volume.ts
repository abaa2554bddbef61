import { statSync } from 'node:fs';
import path from 'node:path';
import { HeaderError, type BytesRead } from './header.js';
import { scanPng } from './png.js';
import type { FileRole, FileScan, ReadError, ReadErrorKind } from './types.js';
import { ValueAccumulator } from './values.js';
import { incompleteDataError, openVoxelStream, pumpVoxels } from './voxel-stream.js';

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
    // Sync, as the reads are (file-chunks.ts): this runs in a scan worker, which has nothing else to do.
    const info = statSync(task.absolutePath);
    if (!info.isFile()) throw new HeaderError('unreadable', 'not a regular file');
    result.fileBytes = info.size;
    const name = task.absolutePath.toLowerCase();
    if (name.endsWith('.png')) return { ...result, ...(await scanPng(task.absolutePath, info.size, task.role, onBytes)) };
    // Loaded on first use: the `tiff` package adds ~20 ms to every scan worker's start-up.
    if (/\.tiff?$/.test(name)) return { ...result, ...(await import('./tiff.js')).scanTiff(task.absolutePath, task.path, info.size, task.role, onBytes) };
    if (/\.(nii|nii\.gz|nrrd|nhdr|mha|mhd)$/.test(name)) return { ...result, ...(await scanVoxels(task, info.size, onBytes)) };
    throw new HeaderError('unsupported', `nnunet-doctor cannot read ${path.extname(name) || 'files without an ending'} files`);
  } catch (error) {
    return { ...result, error: readErrorOf(error) };
  }
}

type VolumePart = Pick<FileScan, 'header' | 'values' | 'dataBytes' | 'error'>;

/** Streams the voxels of a NIfTI, NRRD or MetaImage file through the statistics and checks the stream length. */
async function scanVoxels(task: VolumeTask, fileBytes: number, onBytes: BytesRead): Promise<VolumePart> {
  const stream = await openVoxelStream(task.absolutePath, fileBytes, onBytes);
  try {
    const { parsed, expectedBytes: expected, compressed } = stream;
    const accumulator = new ValueAccumulator({ elementType: parsed.header.elementType, littleEndian: parsed.littleEndian, role: task.role, scale: parsed.header.scale });
    const { dataBytes, complete } = await pumpVoxels(stream, accumulator);
    const { trailingBytes, ...values } = accumulator.finish();
    const part: VolumePart = { header: parsed.header, values, dataBytes };
    if (!complete) part.error = incompleteDataError(compressed, Math.max(0, dataBytes - trailingBytes), expected);
    return part;
  } finally {
    stream.close();
  }
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
