import { HeaderError, type ParsedHeader } from './header.js';
import { numbersOf, positiveIntegers, splitTextHeader } from './text-header.js';
import type { ElementType } from './types.js';

const TYPES: Record<string, ElementType> = {
  MET_CHAR: 'int8',
  MET_UCHAR: 'uint8',
  MET_SHORT: 'int16',
  MET_USHORT: 'uint16',
  MET_INT: 'int32',
  MET_UINT: 'uint32',
  MET_LONG: 'int32',
  MET_ULONG: 'uint32',
  MET_LONG_LONG: 'int64',
  MET_ULONG_LONG: 'uint64',
  MET_FLOAT: 'float32',
  MET_DOUBLE: 'float64',
};

/**
 * A MetaImage (.mha with LOCAL data, .mhd with a data file) header. MetaImage is LPS already; its
 * TransformMatrix holds one image axis per row, so ITK's direction is its transpose (ITK MetaImageIO).
 */
export function parseMetaImageHeader(head: Uint8Array): ParsedHeader {
  const { lines, dataOffset } = splitTextHeader(head, 'MetaImage', (line) => /^\s*ElementDataFile\s*=/i.test(line));
  const fields = new Map<string, string>();
  for (const line of lines) {
    const match = /^\s*([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
    if (match) fields.set(match[1]!.toLowerCase(), match[2]!.trim());
  }
  if (!fields.has('ndims') || !fields.has('dimsize')) throw new HeaderError('bad-header', 'a MetaImage header needs NDims and DimSize');
  const typeName = fields.get('elementtype') ?? '';
  const elementType = TYPES[typeName.toUpperCase()];
  if (!elementType) throw new HeaderError('unsupported', `MetaImage ElementType "${typeName}" is not a scalar type nnU-Net reads`);
  const shape = positiveIntegers(fields.get('dimsize'), 'MetaImage DimSize');
  const n = shape.length;
  const spacingMm = fields.has('elementspacing') ? numbersOf(fields.get('elementspacing'), 'ElementSpacing') : shape.map(() => 1);
  const originMm = numbersOf(fields.get('offset') ?? fields.get('position') ?? fields.get('origin'), 'Offset');
  const matrix = numbersOf(fields.get('transformmatrix') ?? fields.get('rotation') ?? fields.get('orientation'), 'TransformMatrix');
  const direction = Array.from({ length: n * n }, (_, i) => {
    const row = Math.floor(i / n);
    const col = i % n;
    return matrix.length === n * n ? matrix[col * n + row]! : row === col ? 1 : 0;
  });
  const msb = /true/i.test(fields.get('binarydatabyteordermsb') ?? fields.get('elementbyteordermsb') ?? 'false');
  const dataFile = fields.get('elementdatafile')!;
  if (/^LIST$|%/i.test(dataFile)) throw new HeaderError('unsupported', `MetaImage ElementDataFile "${dataFile}" (several data files)`);
  const local = /^LOCAL$/i.test(dataFile);
  const headerSize = Number(fields.get('headersize') ?? 0);
  return {
    header: {
      format: 'metaimage',
      elementType,
      components: positiveIntegers(fields.get('elementnumberofchannels') ?? '1', 'ElementNumberOfChannels')[0]!,
      geometry: { shape, spacingMm: spacingMm.slice(0, n), originMm: shape.map((_, i) => originMm[i] ?? 0), direction },
      notes: [],
    },
    dataOffset: local ? dataOffset : Math.max(0, headerSize),
    littleEndian: !msb,
    ...(local ? {} : { dataFile }),
    ...(/true/i.test(fields.get('compresseddata') ?? 'false') ? { dataCompression: 'zlib' as const } : {}),
  };
}
