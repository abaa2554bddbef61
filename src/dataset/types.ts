/**
 * The scanner's results: plain, serializable data that checks judge. Geometry follows SimpleITK, the reader
 * nnU-Net uses for .nii.gz/.nrrd/.mha (nnunetv2/imageio/simpleitk_reader_writer.py): axes fastest first
 * (x, y, z), physical space LPS, direction row-major with one column per image axis.
 */

export const ELEMENT_BYTES = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  uint64: 8,
  int64: 8,
  float64: 8,
} as const;

export type ElementType = keyof typeof ELEMENT_BYTES;

export type VolumeFormat = 'nifti1' | 'nifti2' | 'nrrd' | 'metaimage' | 'png' | 'tiff';

export type FileRole = 'image' | 'label';

export interface Geometry {
  /** Voxels per axis, fastest axis first; a 4th entry is a 4th dimension (channels or time). */
  shape: number[];
  /** Millimetres per spatial axis, as stored (not yet abs()'d, so bad values stay visible). */
  spacingMm: number[];
  originMm: number[];
  /** Row-major, spatial-dims squared. */
  direction: number[];
}

/** What a file's header says, after it was checked against the file's size. */
export interface VolumeHeader {
  format: VolumeFormat;
  elementType: ElementType;
  /** Values per voxel (RGB PNG: 3, a multi-component NRRD: its first axis). */
  components: number;
  geometry: Geometry;
  /** NIfTI scl_slope/scl_inter when they change the values; readers apply them. */
  scale?: { slope: number; inter: number };
  /** Header oddities that readers tolerate, worth a note (wrong sizeof_hdr...). */
  notes: string[];
  /** 3D TIFF: the spacing file Tiff3DIO reads (geometry.spacingMm comes from it, else 1 mm). */
  sidecar?: SpacingSidecar;
}

/** Tiff3DIO's `<case>.json`; without it nnU-Net prints a warning and assumes spacing (1, 1, 1). */
export interface SpacingSidecar {
  /** Relative to the dataset folder, like FileScan.path. */
  path: string;
  state: 'ok' | 'missing' | 'invalid';
  /** As written: array order (slices, rows, columns). */
  spacing?: number[];
  message?: string;
}

/** Statistics of the stored values, computed while they streamed past. */
export interface ValueStats {
  voxels: number;
  nan: number;
  posInf: number;
  negInf: number;
  /** Over finite values; null when there were none. */
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Integer values and how many voxels hold each (labels, and 8/16-bit images), at most MAX_LISTED_VALUES. */
  valueCounts?: [number, number][];
  /** How many distinct values there were (exact up to the histogram's reach). */
  distinctValues?: number;
  /** Finite values that are not integers (an interpolated mask), and a few of them. */
  nonInteger: number;
  nonIntegerExamples: number[];
}

export type ReadErrorKind =
  | 'unreadable'
  | 'not-gzip'
  | 'truncated'
  | 'bad-header'
  | 'size-mismatch'
  | 'unsupported'
  | 'symlink-loop';

export interface ReadError {
  kind: ReadErrorKind;
  message: string;
}

export interface FileScan {
  /** Relative to the dataset folder, with forward slashes. */
  path: string;
  role: FileRole;
  fileBytes: number;
  /** Bytes of pixel data read (after decompression). */
  dataBytes: number;
  header?: VolumeHeader;
  values?: ValueStats;
  error?: ReadError;
}

export interface CaseScan {
  id: string;
  images: FileScan[];
  label?: FileScan;
}
