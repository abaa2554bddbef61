import { geometryToLps, quaternionToMatrix, rigidFromAffine } from './orientation.js';
import { HeaderError, type ParsedHeader } from './header.js';
import type { ElementType } from './types.js';

/**
 * NIfTI-1 and NIfTI-2 headers, parsed by hand rather than with nifti-reader-js: the scanner streams the
 * voxels itself anyway, and nifti-reader-js's readHeaderAsync never settles on common files (a long
 * `descrip`, see dependencies.md section 5) while its sync API wants the whole decompressed file.
 */

export const NIFTI1_HEADER_BYTES = 348;
export const NIFTI2_HEADER_BYTES = 540;

const DATATYPES: Record<number, ElementType> = {
  2: 'uint8',
  4: 'int16',
  8: 'int32',
  16: 'float32',
  64: 'float64',
  256: 'int8',
  512: 'uint16',
  768: 'uint32',
  1024: 'int64',
  1280: 'uint64',
};
const UNSUPPORTED_DATATYPES: Record<number, string> = {
  1: 'binary (1 bit)',
  32: 'complex64',
  128: 'RGB24',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

/**
 * Parses a NIfTI header from the first 540 bytes of the (decompressed) file, fewer for a tiny NIfTI-1 file. Throws HeaderError with a cause a user can act on.
 */
export function parseNiftiHeader(bytes: Uint8Array): ParsedHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (start: number, length: number) => String.fromCharCode(...bytes.subarray(start, start + length));
  if (bytes.length >= NIFTI2_HEADER_BYTES && text(4, 3) === 'n+2') return parseNifti2(view, bytes);
  if (bytes.length < NIFTI1_HEADER_BYTES) {
    throw new HeaderError('bad-header', `only ${bytes.length} bytes, shorter than a NIfTI-1 header (348 bytes)`);
  }
  const magic = text(344, 3);
  if (magic === 'ni1') throw new HeaderError('unsupported', 'a NIfTI header/image pair (.hdr/.img); nnU-Net needs single-file .nii/.nii.gz');
  if (magic !== 'n+1') {
    throw new HeaderError('bad-header', `no NIfTI magic string at byte 344 (found ${JSON.stringify(text(344, 4))}); this is not a NIfTI file`);
  }
  return parseNifti1(view);
}

function parseNifti1(view: DataView): ParsedHeader {
  // The byte order is the one in which dim[0] is a sensible dimension count (the NIfTI rule).
  const dim0 = view.getInt16(40, true);
  const le = dim0 >= 1 && dim0 <= 7;
  const notes: string[] = [];
  const sizeofHdr = view.getInt32(0, le);
  if (sizeofHdr !== NIFTI1_HEADER_BYTES) notes.push(`sizeof_hdr is ${sizeofHdr}, not 348 (readers accept the file by its magic string)`);
  const ndim = view.getInt16(40, le);
  const dims = Array.from({ length: 8 }, (_, i) => view.getInt16(40 + 2 * i, le));
  const pixdim = Array.from({ length: 8 }, (_, i) => view.getFloat32(76 + 4 * i, le));
  const srow = Array.from({ length: 12 }, (_, i) => view.getFloat32(280 + 4 * i, le));
  return finish({
    version: 'nifti1',
    le,
    ndim,
    dims,
    datatype: view.getInt16(70, le),
    pixdim,
    voxOffset: view.getFloat32(108, le),
    slope: view.getFloat32(112, le),
    inter: view.getFloat32(116, le),
    qformCode: view.getInt16(252, le),
    sformCode: view.getInt16(254, le),
    quatern: [view.getFloat32(256, le), view.getFloat32(260, le), view.getFloat32(264, le)],
    qoffset: [view.getFloat32(268, le), view.getFloat32(272, le), view.getFloat32(276, le)],
    srow,
    notes,
    minOffset: NIFTI1_HEADER_BYTES,
  });
}

function parseNifti2(view: DataView, bytes: Uint8Array): ParsedHeader {
  // Byte order from sizeof_hdr, else from dim[0] (1..7 in the right order).
  const le = view.getInt32(0, true) === NIFTI2_HEADER_BYTES || (view.getInt32(0, false) !== NIFTI2_HEADER_BYTES && view.getBigInt64(16, true) <= 7n);
  const notes: string[] = [];
  if (view.getInt32(0, le) !== NIFTI2_HEADER_BYTES) notes.push(`sizeof_hdr is ${view.getInt32(0, le)}, not 540`);
  if (bytes[8] !== 0x0d || bytes[9] !== 0x0a) notes.push('the NIfTI-2 magic lost its \\r\\n bytes (the file went through a text-mode transfer)');
  const int64 = (offset: number) => Number(view.getBigInt64(offset, le));
  const dims = Array.from({ length: 8 }, (_, i) => int64(16 + 8 * i));
  return finish({
    version: 'nifti2',
    le,
    ndim: dims[0]!,
    dims,
    datatype: view.getInt16(12, le),
    pixdim: Array.from({ length: 8 }, (_, i) => view.getFloat64(104 + 8 * i, le)),
    voxOffset: int64(168),
    slope: view.getFloat64(176, le),
    inter: view.getFloat64(184, le),
    qformCode: view.getInt32(344, le),
    sformCode: view.getInt32(348, le),
    quatern: [view.getFloat64(352, le), view.getFloat64(360, le), view.getFloat64(368, le)],
    qoffset: [view.getFloat64(376, le), view.getFloat64(384, le), view.getFloat64(392, le)],
    srow: Array.from({ length: 12 }, (_, i) => view.getFloat64(400 + 8 * i, le)),
    notes,
    minOffset: NIFTI2_HEADER_BYTES,
  });
}

interface RawNifti {
  version: 'nifti1' | 'nifti2';
  le: boolean;
  ndim: number;
  dims: number[];
  datatype: number;
  pixdim: number[];
  voxOffset: number;
  slope: number;
  inter: number;
  qformCode: number;
  sformCode: number;
  quatern: number[];
  qoffset: number[];
  srow: number[];
  notes: string[];
  minOffset: number;
}

function finish(h: RawNifti): ParsedHeader {
  if (!(h.ndim >= 1 && h.ndim <= 7)) throw new HeaderError('bad-header', `dim[0] is ${h.ndim}; a NIfTI file has 1 to 7 dimensions`);
  const shape = h.dims.slice(1, 1 + h.ndim);
  if (shape.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new HeaderError('bad-header', `impossible dimensions ${shape.join('×')} (each must be a positive integer)`);
  }
  const elementType = DATATYPES[h.datatype];
  if (!elementType) {
    const known = UNSUPPORTED_DATATYPES[h.datatype];
    throw new HeaderError(known ? 'unsupported' : 'bad-header', known ? `voxel type ${known} is not a scalar image nnU-Net can use` : `unknown NIfTI datatype code ${h.datatype}`);
  }
  const dataOffset = Math.max(h.minOffset, Math.floor(h.voxOffset));
  if (!Number.isFinite(h.voxOffset) || h.voxOffset < 0) throw new HeaderError('bad-header', `vox_offset ${h.voxOffset} is not a valid byte offset`);
  if (h.voxOffset > 0 && h.voxOffset < h.minOffset) h.notes.push(`vox_offset ${h.voxOffset} lies inside the header; readers use ${h.minOffset}`);
  const spatial = Math.min(3, shape.length);
  const spacing = h.pixdim.slice(1, 1 + spatial);
  const geometry = geometryToLps(shape, spacing, orientationOf(h));
  // NIfTI: a slope of 0 (or not finite) means "no scaling" (nifti1.h).
  const scaled = Number.isFinite(h.slope) && h.slope !== 0 && (h.slope !== 1 || (Number.isFinite(h.inter) && h.inter !== 0));
  return {
    header: {
      format: h.version,
      elementType,
      components: 1,
      geometry,
      ...(scaled ? { scale: { slope: h.slope, inter: Number.isFinite(h.inter) ? h.inter : 0 } } : {}),
      notes: h.notes,
    },
    dataOffset,
    littleEndian: h.le,
  };
}

/**
 * Rotation and origin in RAS as ITK (>= 5.1) picks them: the sform when its code is set and it is a
 * rotation once the spacing is divided out, otherwise the qform, otherwise the identity
 * (ITK Modules/IO/NIFTI itkNiftiImageIO.cxx, SetImageIOOrientationFromNIfTI).
 */
function orientationOf(h: RawNifti): { rotation: number[]; origin: number[] } {
  if (h.sformCode > 0) {
    const rigid = rigidFromAffine(h.srow);
    if (rigid) return rigid;
  }
  if (h.qformCode > 0) {
    const qfac = h.pixdim[0]! < 0 ? -1 : 1;
    return { rotation: quaternionToMatrix(h.quatern[0]!, h.quatern[1]!, h.quatern[2]!, qfac), origin: h.qoffset.slice(0, 3) };
  }
  return { rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], origin: [0, 0, 0] };
}
