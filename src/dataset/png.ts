import { readFile } from 'node:fs/promises';
import { createInflate } from 'node:zlib';
import { HeaderError, MAX_DEFLATE_RATIO, type BytesRead } from './header.js';
import type { FileRole, FileScan, ReadError, VolumeHeader } from './types.js';
import { ValueAccumulator } from './values.js';
import type { VoxelSink } from './voxel-stream.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** 2D PNGs are read whole (compressed); a PNG bigger than this is not a training image. */
const MAX_PNG_FILE_BYTES = 512 * 1024 * 1024;
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
export const PALETTE_NOTE = 'a palette PNG: readers expand it to RGB; values here are palette indices';

/**
 * A PNG as nnU-Net's NaturalImage2DIO sees it through skimage: samples per pixel become channels (RGB 3,
 * RGBA 4). Rows are inflated and un-filtered one at a time, so memory is two rows, not the image.
 */
export async function scanPng(file: string, fileBytes: number, role: FileRole, onBytes: BytesRead): Promise<Pick<FileScan, 'header' | 'values' | 'dataBytes' | 'error'>> {
  let accumulator: ValueAccumulator | undefined;
  const decoded = await decodePng(file, fileBytes, onBytes, (header) => (accumulator = new ValueAccumulator({ elementType: header.elementType, littleEndian: false, role })));
  const { trailingBytes, ...values } = accumulator!.finish();
  void trailingBytes; // whole rows only
  return { header: decoded.header, values, dataBytes: decoded.dataBytes, ...(decoded.error ? { error: decoded.error } : {}) };
}

export interface DecodedPng {
  header: VolumeHeader;
  /** Inflated pixel bytes of the rows decoded. */
  dataBytes: number;
  error?: ReadError;
}

/**
 * Reads a PNG and feeds its un-filtered samples (interleaved per pixel; 16-bit big-endian, sub-byte
 * samples one byte each) row by row to the sink `sinkFor` makes once the header is known. Throws
 * HeaderError for files that are not PNGs.
 */
export async function decodePng(file: string, fileBytes: number, onBytes: BytesRead, sinkFor: (header: VolumeHeader) => VoxelSink): Promise<DecodedPng> {
  if (fileBytes > MAX_PNG_FILE_BYTES) throw new HeaderError('unsupported', `a ${fileBytes}-byte PNG is larger than a training image should be`);
  const bytes = await readFile(file, { flag: 'r' });
  onBytes(bytes.length);
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new HeaderError('bad-header', 'no PNG signature; this is not a PNG file');
  const ihdr = readIhdr(bytes);
  const header: VolumeHeader = {
    format: 'png',
    elementType: ihdr.bitDepth === 16 ? 'uint16' : 'uint8',
    components: ihdr.colorType === 3 ? 3 : ihdr.channels,
    geometry: { shape: [ihdr.width, ihdr.height], spacingMm: [1, 1], originMm: [0, 0], direction: [1, 0, 0, 1] },
    notes: ihdr.colorType === 3 ? [PALETTE_NOTE] : [],
  };
  const rowBytes = Math.ceil((ihdr.width * ihdr.channels * ihdr.bitDepth) / 8);
  const expected = (rowBytes + 1) * ihdr.height;
  if (!Number.isSafeInteger(expected) || expected > bytes.length * MAX_DEFLATE_RATIO) {
    throw new HeaderError('size-mismatch', `the header promises ${ihdr.width}×${ihdr.height} pixels, more than the file could possibly hold`);
  }
  const rows = new RowDecoder(rowBytes, ihdr.width * ihdr.channels, Math.max(1, (ihdr.channels * ihdr.bitDepth) >> 3), ihdr.bitDepth, sinkFor(header));
  const inflate = createInflate({ chunkSize: 256 * 1024 });
  const done = (async () => {
    for await (const chunk of inflate) rows.push(chunk as Buffer, ihdr.height);
  })();
  // The IDAT pieces are views of the file already in memory: write them all at once (waiting for 'drain'
  // would hang on corrupt data, whose 'error' ends the stream); rows are taken as they inflate.
  for (const chunk of chunksOf(bytes)) if (chunk.type === 'IDAT') inflate.write(chunk.data);
  inflate.end();
  await done;
  const decoded: DecodedPng = { header, dataBytes: rows.rowsDone * rowBytes };
  if (rows.rowsDone < ihdr.height) decoded.error = { kind: 'truncated', message: `the image data ends after ${rows.rowsDone} of ${ihdr.height} rows` };
  return decoded;
}

function readIhdr(bytes: Buffer) {
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') throw new HeaderError('bad-header', 'the PNG does not start with an IHDR chunk');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const bitDepth = bytes[24]!;
  const colorType = bytes[25]!;
  const interlace = bytes[28]!;
  const channels = CHANNELS[colorType];
  if (width < 1 || height < 1) throw new HeaderError('bad-header', `impossible PNG size ${width}×${height}`);
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(bitDepth)) throw new HeaderError('bad-header', `invalid PNG colour type ${colorType} / bit depth ${bitDepth}`);
  if (interlace !== 0) throw new HeaderError('unsupported', 'an interlaced (Adam7) PNG; save it without interlacing');
  return { width, height, bitDepth, colorType, channels };
}

function* chunksOf(bytes: Buffer): Generator<{ type: string; data: Buffer }> {
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const end = at + 8 + length;
    if (end > bytes.length) {
      yield { type, data: bytes.subarray(at + 8) };
      return;
    }
    yield { type, data: bytes.subarray(at + 8, end) };
    if (type === 'IEND') return;
    at = end + 4;
  }
}

/** Collects inflated bytes into rows, reverses the PNG filters and feeds the samples on. */
class RowDecoder {
  private row: Uint8Array;
  private previous: Uint8Array;
  private filled = 0;
  rowsDone = 0;
  private readonly unpacked?: Uint8Array;

  constructor(
    private readonly rowBytes: number,
    samplesPerRow: number,
    private readonly bytesPerPixel: number,
    private readonly bitDepth: number,
    private readonly sink: VoxelSink,
  ) {
    this.row = new Uint8Array(rowBytes + 1);
    this.previous = new Uint8Array(rowBytes + 1);
    if (bitDepth < 8) this.unpacked = new Uint8Array(samplesPerRow);
  }

  push(chunk: Uint8Array, height: number): void {
    let at = 0;
    while (at < chunk.length && this.rowsDone < height) {
      const take = Math.min(chunk.length - at, this.row.length - this.filled);
      this.row.set(chunk.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === this.row.length) this.finishRow();
    }
  }

  private finishRow(): void {
    const { row, previous, bytesPerPixel: bpp } = this;
    const filter = row[0]!;
    for (let i = 1; i <= this.rowBytes; i++) {
      const left = i > bpp ? row[i - bpp]! : 0;
      const up = previous[i]!;
      const upLeft = i > bpp ? previous[i - bpp]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) predictor = paeth(left, up, upLeft);
      else if (filter !== 0) throw new HeaderError('bad-header', `PNG row ${this.rowsDone} has an invalid filter type ${filter}`);
      row[i] = (row[i]! + predictor) & 0xff;
    }
    const samples = row.subarray(1);
    this.sink.push(this.unpacked ? this.unpack(samples) : samples);
    this.previous = row;
    this.row = previous;
    this.filled = 0;
    this.rowsDone++;
  }

  private unpack(samples: Uint8Array): Uint8Array {
    const out = this.unpacked!;
    const perByte = 8 / this.bitDepth;
    const mask = (1 << this.bitDepth) - 1;
    for (let i = 0; i < out.length; i++) {
      out[i] = (samples[Math.floor(i / perByte)]! >> (8 - this.bitDepth * ((i % perByte) + 1))) & mask;
    }
    return out;
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
