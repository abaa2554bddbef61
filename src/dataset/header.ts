import type { ReadErrorKind, VolumeHeader } from './types.js';

/** A header that cannot be read, with the kind of problem and a cause a user can act on. */
export class HeaderError extends Error {
  constructor(
    readonly kind: ReadErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** A parsed header and where its voxels start in the (decompressed) byte stream. */
export interface ParsedHeader {
  header: VolumeHeader;
  dataOffset: number;
  littleEndian: boolean;
  /** Set by formats whose pixel data is a separate deflate stream or file (MetaImage, NRRD detached). */
  dataFile?: string;
  dataCompression?: 'gzip' | 'zlib';
}

/** Deflate cannot expand data more than about 1032:1, so no honest header promises more. */
export const MAX_DEFLATE_RATIO = 1032;

/** Called with the number of file bytes just read, for progress. */
export type BytesRead = (bytes: number) => void;
