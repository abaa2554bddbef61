import { readFileSync } from 'node:fs';
import os from 'node:os';
import { inflateSync } from 'node:zlib';
import { decode, type TiffIfd } from 'tiff';
import { HeaderError, MAX_DEFLATE_RATIO, type BytesRead } from './header.js';
import { ELEMENT_BYTES, type ElementType, type FileRole, type FileScan, type VolumeHeader } from './types.js';
import { readSidecar, sidecarPathOf } from './tiff-sidecar.js';
import { ValueAccumulator } from './values.js';

/** TIFFs are read whole; a stack bigger than this is not a training image (and Node reads at most 2 GiB at once). */
const MAX_TIFF_FILE_BYTES = 1024 * 1024 * 1024;
const HOST_LITTLE_ENDIAN = os.endianness() === 'LE';
/** TIFF SampleFormat (1 unsigned, 2 signed, 3 float) and BitsPerSample -> element type. */
const ELEMENT_TYPES: Record<string, ElementType> = { '1/8': 'uint8', '2/8': 'int8', '1/16': 'uint16', '2/16': 'int16', '1/32': 'uint32', '2/32': 'int32', '3/32': 'float32', '1/64': 'uint64', '2/64': 'int64', '3/64': 'float64' };
const DEFLATE = [8, 32946];

/**
 * A TIFF as nnU-Net reads it: several pages make a 3D stack for Tiff3DIO (nnunetv2/imageio/tif_reader_writer.py),
 * with spacing from the `<case>.json` sidecar; a single page of a `.tif` is a 2D natural image for
 * NaturalImage2DIO (natural_image_reader_writer.py), like a PNG. The `tiff` package parses the file structure;
 * plain and deflate strips (what tifffile and nnU-Net's writer produce) are inflated here with Node's zlib,
 * 4x faster than the package and covering 32-bit integers, which it refuses. Files using other encodings
 * (LZW, predictors, tiles) go through the package page by page.
 */
export function scanTiff(file: string, relativePath: string, fileBytes: number, role: FileRole, onBytes: BytesRead): Pick<FileScan, 'header' | 'values' | 'dataBytes'> {
  if (fileBytes > MAX_TIFF_FILE_BYTES) throw new HeaderError('unsupported', `a ${fileBytes}-byte TIFF is larger than nnunet-doctor reads (1 GiB); check it with tifffile`);
  const bytes = readFileSync(file, { flag: 'r' });
  onBytes(bytes.length);
  const pages = readPages(bytes);
  const first = pages[0]!;
  const elementType = elementTypeOf(first);
  const samples = first.samplesPerPixel;
  const pageBytes = first.width * first.height * samples * ELEMENT_BYTES[elementType];
  if (!Number.isSafeInteger(pageBytes * pages.length) || pageBytes * pages.length > bytes.length * MAX_DEFLATE_RATIO) {
    throw new HeaderError('size-mismatch', `the pages promise ${pages.length}×${first.height}×${first.width} samples, more than the file could possibly hold`);
  }
  const header = headerOf(file, relativePath, role, pages.length, first, elementType);
  const plain = pages.every(isPlainStrips);
  const accumulator = new ValueAccumulator({ elementType, littleEndian: plain ? first.littleEndian : HOST_LITTLE_ENDIAN, role });
  let dataBytes = 0;
  for (const page of pages) dataBytes += plain ? pushStrips(bytes, page, pageBytes, accumulator) : pushDecoded(bytes, page, accumulator);
  const { trailingBytes, ...values } = accumulator.finish();
  void trailingBytes; // whole pages only
  return { header, values, dataBytes };
}

type Page = TiffIfd & { index: number; littleEndian: boolean };

/** The pages tifffile stacks into one series: reduced-resolution pages (thumbnails) are left out. */
function readPages(bytes: Buffer): Page[] {
  const order = bytes.toString('latin1', 0, 2);
  const magic = order === 'II' ? bytes.readUInt16LE(2) : order === 'MM' ? bytes.readUInt16BE(2) : 0;
  if (magic === 43) throw new HeaderError('unsupported', 'a BigTIFF; save the stack as a plain TIFF (tifffile.imwrite(..., bigtiff=False))');
  if (bytes.length < 8 || magic !== 42) throw new HeaderError('bad-header', 'no TIFF signature; this is not a TIFF file');
  const ifds = withLibrary(() => decode(bytes, { ignoreImageData: true }));
  const pages = ifds.map((ifd, index) => Object.assign(ifd, { index, littleEndian: order === 'II' })).filter((ifd) => ((ifd.newSubfileType ?? 0) & 1) === 0);
  const first = pages[0];
  if (!first || !(first.width >= 1 && first.height >= 1)) throw new HeaderError('bad-header', 'the TIFF has no image page with a size');
  const odd = pages.find((p) => p.width !== first.width || p.height !== first.height || p.samplesPerPixel !== first.samplesPerPixel || elementTypeOf(p) !== elementTypeOf(first));
  if (odd) throw new HeaderError('unsupported', `page ${odd.index} is ${odd.width}×${odd.height} ${elementTypeOf(odd)}, page 0 ${first.width}×${first.height} ${elementTypeOf(first)}: tifffile would read only part of the file`);
  return pages;
}

function elementTypeOf(page: TiffIfd): ElementType {
  const bits = page.bitsPerSample;
  // One entry per sample in the file; tifffile writes all samples alike.
  const formats = page.get('SampleFormat') as number | ArrayLike<number> | undefined;
  const format = (typeof formats === 'number' ? formats : formats?.[0]) ?? 1;
  const type = ELEMENT_TYPES[`${format}/${bits}`];
  if (!type) throw new HeaderError('unsupported', `TIFF samples of ${bits} bits, sample format ${format}; nnU-Net's readers expect 8-64 bit integers or 32/64-bit floats`);
  return type;
}

/** Geometry as nnU-Net gets it: shape from the pages, spacing from the sidecar (3D), nothing else. */
function headerOf(file: string, relativePath: string, role: FileRole, pageCount: number, page: TiffIfd, elementType: ElementType): VolumeHeader {
  const samples = page.samplesPerPixel;
  const tiffEnding = /\.tiff$/i.test(file);
  if (pageCount === 1 && tiffEnding) {
    throw new HeaderError('unsupported', `a single ${page.width}×${page.height} page (2D): .tiff is read only by Tiff3DIO, which wants a 3D stack of pages ("Only 3D images are supported"); store 2D images as .png or .tif`);
  }
  if (pageCount === 1 && ![1, 3, 4].includes(samples)) {
    throw new HeaderError('unsupported', `a single page with ${samples} samples per pixel: NaturalImage2DIO takes grey, RGB or RGBA only; store one channel per file`);
  }
  if (pageCount === 1) {
    return { format: 'tiff', elementType, components: samples, geometry: { shape: [page.width, page.height], spacingMm: [1, 1], originMm: [0, 0], direction: [1, 0, 0, 1] }, notes: [] };
  }
  if (samples > 1) throw new HeaderError('unsupported', `${pageCount} pages of ${samples} samples (RGB) read as 4D: Tiff3DIO stops with "Only 3D images are supported"; store one channel per file`);
  const sidecar = readSidecar(sidecarPathOf(file, role), sidecarPathOf(relativePath, role));
  // The sidecar lists spacing in array order (slices, rows, columns); geometry here is fastest axis first.
  const spacingMm = sidecar.spacing ? [...sidecar.spacing].reverse() : [1, 1, 1];
  return { format: 'tiff', elementType, components: 1, geometry: { shape: [page.width, page.height, pageCount], spacingMm, originMm: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] }, sidecar, notes: [] };
}

function isPlainStrips(page: Page): boolean {
  return !page.tiled && (page.compression === 1 || DEFLATE.includes(page.compression)) && page.predictor === 1;
}

/** Feeds a page's strips, inflated when compressed, as stored (file byte order). Returns the bytes fed. */
function pushStrips(bytes: Buffer, page: Page, pageBytes: number, sink: ValueAccumulator): number {
  const offsets: ArrayLike<number> = page.stripOffsets;
  const counts: ArrayLike<number> = page.stripByteCounts;
  const stripBytes = Math.min(pageBytes, page.rowsPerStrip * (pageBytes / page.height));
  let fed = 0;
  for (let s = 0; s < offsets.length && fed < pageBytes; s++) {
    const start = offsets[s]!;
    const end = start + (counts[s] ?? 0);
    if (end > bytes.length) throw new HeaderError('truncated', `the file ends inside page ${page.index}'s pixel data (a cut download or copy)`);
    const stored = bytes.subarray(start, end);
    const data = page.compression === 1 ? stored : inflateSync(stored, { maxOutputLength: Math.max(1, stripBytes) });
    const take = data.subarray(0, Math.min(data.length, pageBytes - fed));
    sink.push(take);
    fed += take.length;
  }
  if (fed < pageBytes) throw new HeaderError('truncated', `page ${page.index} holds ${fed} of its ${pageBytes} bytes of pixel data`);
  return fed;
}

/** Other encodings through the `tiff` package, which returns host-order samples, unsigned for 8/16 bits. */
function pushDecoded(bytes: Buffer, page: Page, sink: ValueAccumulator): number {
  const [decoded] = withLibrary(() => decode(bytes, { pages: [page.index] }));
  const data = decoded!.data;
  // The package inverts WhiteIsZero pages; tifffile (nnU-Net's reader) returns the stored values.
  if (decoded!.type === 0 && !(data instanceof Float32Array || data instanceof Float64Array)) data.forEach((v, i) => (data[i] = decoded!.maxSampleValue - v));
  sink.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return data.byteLength;
}

/** The package throws plain Errors; they become read errors that name the cause. */
function withLibrary<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof RangeError && /outside the bounds/.test(message)) {
      throw new HeaderError('truncated', 'the TIFF points past its own end (a cut download or copy, or a damaged file)');
    }
    // fflate's inflate errors, as Node's zlib reports them for plain strips (read-volume.ts).
    if (/^(invalid (block type|length\/literal|distance)|unexpected EOF)/.test(message)) throw new HeaderError('not-gzip', `the compressed pixel data is corrupt (${message})`);
    throw new HeaderError(/unsupported|predictor/i.test(message) ? 'unsupported' : 'bad-header', `the TIFF cannot be decoded: ${message}`);
  }
}
