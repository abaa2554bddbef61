import { stat } from 'node:fs/promises';
import path from 'node:path';
import { HeaderError, type BytesRead } from './header.js';
import { decodePng, PALETTE_NOTE } from './png.js';
import { readErrorOf } from './read-volume.js';
import { ELEMENT_BYTES, type FileRole, type ReadError, type VolumeFormat, type VolumeHeader } from './types.js';
import { toHostOrder, typedView } from './values.js';
import { incompleteDataError, openVoxelStream, pumpVoxels, type VoxelSink } from './voxel-stream.js';
import { product } from '../util/math.js';

/**
 * Reads one image or label file whole, for the few cases a sanity training needs. The header is parsed
 * and checked against the file size by the scanner's own code (voxel-stream.ts, png.ts) before anything
 * is allocated, and then against `maxVoxels`: a sanity run needs a few cases, not a 2 GB volume.
 */

/** 128 Mi voxels: a 512×512×512 CT; the float32 copy alone is 512 MiB. */
export const MAX_LOAD_VOXELS = 2 ** 27;

interface LoadedBase {
  /** As given. */
  file: string;
  format: VolumeFormat;
  /** Voxels per axis, fastest first (the scanner's Geometry convention). */
  shape: number[];
  spacingMm: number[];
  originMm: number[];
  direction: number[];
}

export interface LoadedImage extends LoadedBase {
  role: 'image';
  /** Values per voxel (RGB PNG: 3); `data` holds them planar: all of component 0, then 1... */
  components: number;
  /** NIfTI scl_slope/scl_inter applied, as readers do. */
  data: Float32Array;
  /** NaN/Inf voxels, and where the first one is (voxel coordinates, fastest first). */
  nonFinite: number;
  firstNonFinite?: number[];
}

export interface LoadedLabel extends LoadedBase {
  role: 'label';
  /** Uint8 for 8-bit label maps (the common case), Int32 otherwise. */
  data: Uint8Array | Int32Array;
}

export interface LoadOptions {
  maxVoxels?: number;
  onBytes?: BytesRead;
}

/** A file that could not be loaded, with the reason (the scanner's wording) and the file named. */
export class VolumeLoadError extends Error {
  constructor(
    readonly file: string,
    readonly reason: ReadError | { kind: 'too-large' | 'bad-label'; message: string },
  ) {
    super(`${file}: ${reason.message}`);
  }
}

export function loadVolume(file: string, role: 'image', options?: LoadOptions): Promise<LoadedImage>;
export function loadVolume(file: string, role: 'label', options?: LoadOptions): Promise<LoadedLabel>;
export async function loadVolume(file: string, role: FileRole, options: LoadOptions = {}): Promise<LoadedImage | LoadedLabel> {
  const maxVoxels = options.maxVoxels ?? MAX_LOAD_VOXELS;
  const onBytes = options.onBytes ?? (() => {});
  let raw: { header: VolumeHeader; bytes: Uint8Array; littleEndian: boolean };
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new HeaderError('unreadable', 'not a regular file');
    const lower = file.toLowerCase();
    if (lower.endsWith('.png')) raw = await readPng(file, info.size, maxVoxels, onBytes);
    else if (/\.(nii|nii\.gz|nrrd|nhdr|mha|mhd)$/.test(lower)) raw = await readVoxels(file, info.size, maxVoxels, onBytes);
    else throw new HeaderError('unsupported', `nnunet-doctor cannot read ${path.extname(lower) || 'files without an ending'} files`);
  } catch (error) {
    if (error instanceof VolumeLoadError) throw error;
    throw new VolumeLoadError(file, readErrorOf(error));
  }
  return role === 'image' ? toImage(file, raw.header, raw.bytes, raw.littleEndian) : toLabel(file, raw.header, raw.bytes, raw.littleEndian);
}

async function readVoxels(file: string, fileBytes: number, maxVoxels: number, onBytes: BytesRead) {
  const stream = await openVoxelStream(file, fileBytes, onBytes);
  try {
    const { parsed } = stream;
    refuseTooLarge(file, parsed.header, maxVoxels);
    const collector = new ByteCollector(stream.expectedBytes);
    const { dataBytes, complete } = await pumpVoxels(stream, collector);
    if (!complete) throw new VolumeLoadError(file, incompleteDataError(stream.compressed, dataBytes, stream.expectedBytes));
    return { header: parsed.header, bytes: collector.bytes, littleEndian: parsed.littleEndian };
  } finally {
    stream.close();
  }
}

async function readPng(file: string, fileBytes: number, maxVoxels: number, onBytes: BytesRead) {
  let collector: ByteCollector | undefined;
  const decoded = await decodePng(file, fileBytes, onBytes, (header) => {
    if (header.notes.includes(PALETTE_NOTE)) throw new HeaderError('unsupported', 'a palette PNG: save it as grey or RGB to load its values');
    refuseTooLarge(file, header, maxVoxels);
    const [width, height] = header.geometry.shape as [number, number];
    return (collector = new ByteCollector(width * height * header.components * ELEMENT_BYTES[header.elementType]));
  });
  if (decoded.error) throw new VolumeLoadError(file, decoded.error);
  return { header: decoded.header, bytes: collector!.bytes, littleEndian: false };
}

function refuseTooLarge(file: string, header: VolumeHeader, maxVoxels: number): void {
  const voxels = product(header.geometry.shape) * header.components;
  if (voxels > maxVoxels) {
    throw new VolumeLoadError(file, {
      kind: 'too-large',
      message: `${header.geometry.shape.join('×')}${header.components > 1 ? `×${header.components}` : ''} voxels is more than the ${maxVoxels} a sanity run loads per file; pick smaller cases (a sanity run needs a few, not the largest)`,
    });
  }
}

/** Copies the voxel bytes into one buffer sized (and checked) before the first byte arrives. */
class ByteCollector implements VoxelSink {
  /** A fresh ArrayBuffer, so typed views over it are aligned. */
  readonly bytes: Uint8Array;
  private filled = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  push(chunk: Uint8Array): void {
    const take = Math.min(chunk.length, this.bytes.length - this.filled);
    this.bytes.set(chunk.subarray(0, take), this.filled);
    this.filled += take;
  }
}

function valuesOf(header: VolumeHeader, bytes: Uint8Array, littleEndian: boolean): ArrayLike<number> {
  const size = ELEMENT_BYTES[header.elementType];
  toHostOrder(bytes, size, littleEndian);
  return typedView(header.elementType, bytes, bytes.length / size);
}

function geometryOf(file: string, header: VolumeHeader): LoadedBase {
  const { shape, spacingMm, originMm, direction } = header.geometry;
  return { file, format: header.format, shape: [...shape], spacingMm: [...spacingMm], originMm: [...originMm], direction: [...direction] };
}

function toImage(file: string, header: VolumeHeader, bytes: Uint8Array, littleEndian: boolean): LoadedImage {
  const values = valuesOf(header, bytes, littleEndian);
  const { components } = header;
  const voxels = values.length / components;
  const slope = header.scale?.slope ?? 1;
  const inter = header.scale?.inter ?? 0;
  const data = new Float32Array(values.length);
  let nonFinite = 0;
  let first = -1;
  // Stored interleaved (component fastest); planar here, as the network's channels are.
  for (let i = 0; i < voxels; i++) {
    for (let c = 0; c < components; c++) {
      const v = values[i * components + c]! * slope + inter;
      data[c * voxels + i] = v;
      if (!Number.isFinite(v)) {
        nonFinite++;
        if (first < 0) first = i;
      }
    }
  }
  const image: LoadedImage = { ...geometryOf(file, header), role: 'image', components, data, nonFinite };
  if (first >= 0) image.firstNonFinite = coordinatesOf(first, header.geometry.shape);
  return image;
}

function toLabel(file: string, header: VolumeHeader, bytes: Uint8Array, littleEndian: boolean): LoadedLabel {
  if (header.components !== 1) {
    throw new VolumeLoadError(file, { kind: 'bad-label', message: `a label with ${header.components} values per voxel is not a label map (export a single-component label map)` });
  }
  const values = valuesOf(header, bytes, littleEndian);
  if (header.elementType === 'uint8' && !header.scale) return { ...geometryOf(file, header), role: 'label', data: values as Uint8Array };
  const slope = header.scale?.slope ?? 1;
  const inter = header.scale?.inter ?? 0;
  const data = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! * slope + inter;
    if (!Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) {
      const at = coordinatesOf(i, header.geometry.shape).join(', ');
      throw new VolumeLoadError(file, { kind: 'bad-label', message: `label voxel (${at}) holds ${v}; label maps hold whole class numbers (nnU-Net stops on NaN and trains on garbage otherwise)` });
    }
    data[i] = v;
  }
  return { ...geometryOf(file, header), role: 'label', data };
}

function coordinatesOf(index: number, shape: readonly number[]): number[] {
  return shape.map((n) => {
    const c = index % n;
    index = Math.floor(index / n);
    return c;
  });
}
