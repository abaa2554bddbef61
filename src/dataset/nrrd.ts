import { HeaderError, type ParsedHeader } from './header.js';
import { numbersOf, positiveIntegers, splitTextHeader } from './text-header.js';
import type { ElementType } from './types.js';
import { product } from '../util/math.js';

const TYPES: [RegExp, ElementType][] = [
  [/^(signed char|int8|int8_t)$/, 'int8'],
  [/^(uchar|unsigned char|uint8|uint8_t)$/, 'uint8'],
  [/^(short|short int|signed short|signed short int|int16|int16_t)$/, 'int16'],
  [/^(ushort|unsigned short|unsigned short int|uint16|uint16_t)$/, 'uint16'],
  [/^(int|signed int|int32|int32_t)$/, 'int32'],
  [/^(uint|unsigned int|uint32|uint32_t)$/, 'uint32'],
  [/^(longlong|long long|long long int|signed long long|signed long long int|int64|int64_t)$/, 'int64'],
  [/^(ulonglong|unsigned long long|unsigned long long int|uint64|uint64_t)$/, 'uint64'],
  [/^float$/, 'float32'],
  [/^double$/, 'float64'],
];

/** Sign flips that take each NRRD `space` to ITK's LPS. */
const TO_LPS: Record<string, number[]> = {
  'left-posterior-superior': [1, 1, 1],
  lps: [1, 1, 1],
  'right-anterior-superior': [-1, -1, 1],
  ras: [-1, -1, 1],
  'left-anterior-superior': [1, -1, 1],
  las: [1, -1, 1],
};

/**
 * A NRRD header (teem's format spec, as ITK's NrrdImageIO reads it): geometry from `space directions`
 * and `space origin` turned into LPS; a non-spatial first axis (`none` direction) is a component axis,
 * as in 3D Slicer's multi-component segmentations.
 */
export function parseNrrdHeader(head: Uint8Array): ParsedHeader {
  if (Buffer.from(head.subarray(0, 4)).toString('latin1') !== 'NRRD') throw new HeaderError('bad-header', 'no "NRRD" magic at the start; this is not a NRRD file');
  const { lines, dataOffset } = splitTextHeader(head, 'NRRD', (line) => line.trim() === '');
  const fields = new Map<string, string>();
  for (const line of lines.slice(1)) {
    if (line.startsWith('#')) continue;
    const match = /^([^:]+):=?\s?(.*)$/.exec(line);
    if (match) fields.set(match[1]!.trim().toLowerCase(), match[2]!.trim());
  }
  const typeName = (fields.get('type') ?? '').toLowerCase();
  const elementType = TYPES.find(([re]) => re.test(typeName))?.[1];
  if (!elementType) throw new HeaderError('unsupported', `NRRD type "${typeName}" is not a scalar type nnU-Net reads`);
  const sizes = positiveIntegers(fields.get('sizes'), 'NRRD sizes');
  const encoding = (fields.get('encoding') ?? 'raw').toLowerCase();
  const compression = encoding === 'gzip' || encoding === 'gz' ? 'gzip' : encoding === 'raw' ? undefined : 'other';
  if (compression === 'other') throw new HeaderError('unsupported', `NRRD encoding "${encoding}" (nnunet-doctor reads raw and gzip)`);
  const directions = fields.get('space directions')?.match(/\([^)]*\)|none/g)?.map((v) => v.replace(/[()]/g, ''));
  const componentAxes = directions ? sizes.length - directions.filter((d) => d !== 'none').length : 0;
  if (directions && directions.slice(0, componentAxes).some((d) => d !== 'none')) {
    throw new HeaderError('unsupported', 'a NRRD whose non-spatial axis is not the first one');
  }
  const shape = sizes.slice(componentAxes);
  const components = product(sizes.slice(0, componentAxes));
  const n = shape.length;
  const flip = TO_LPS[(fields.get('space') ?? 'left-posterior-superior').toLowerCase()] ?? [1, 1, 1];
  let spacingMm: number[];
  const direction: number[] = Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
  if (directions) {
    const vectors = directions.slice(componentAxes).map((d) => numbersOf(d, 'NRRD space directions'));
    spacingMm = vectors.map((v) => Math.hypot(...v));
    vectors.forEach((v, col) => v.slice(0, n).forEach((x, row) => (direction[row * n + col] = (flip[row] ?? 1) * x / spacingMm[col]!)));
  } else {
    spacingMm = fields.has('spacings') ? numbersOf(fields.get('spacings'), 'NRRD spacings').slice(componentAxes) : shape.map(() => 1);
  }
  const origin = numbersOf(fields.get('space origin'), 'NRRD space origin');
  const originMm = shape.map((_, i) => (flip[i] ?? 1) * (origin[i] ?? 0));
  const dataFile = fields.get('data file') ?? fields.get('datafile');
  if (dataFile && /^LIST|%/.test(dataFile)) throw new HeaderError('unsupported', `NRRD data file "${dataFile}" (several data files)`);
  return {
    header: { format: 'nrrd', elementType, components, geometry: { shape, spacingMm, originMm, direction }, notes: [] },
    dataOffset: dataFile ? Number(fields.get('byte skip') ?? 0) : dataOffset,
    littleEndian: (fields.get('endian') ?? 'little').toLowerCase() !== 'big',
    ...(dataFile ? { dataFile } : {}),
    ...(compression ? { dataCompression: compression } : {}),
  };
}
