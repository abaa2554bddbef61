import { addByteCounts, simdAvailable, stats16 } from './simd-stats.js';
import { ELEMENT_BYTES, type ElementType, type FileRole, type ValueStats } from './types.js';

/** Labels list at most this many values; more means "not a label map" anyway. */
export const MAX_LISTED_VALUES = 256;
/** Integer label values 0..SMALL_LABELS-1 are counted in an array, others in a (capped) map. */
const SMALL_LABELS = 1024;
const MAX_MAPPED_VALUES = 4096;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface ValueLayout {
  elementType: ElementType;
  littleEndian: boolean;
  role: FileRole;
  /** NIfTI scl_slope/scl_inter; the values readers see are raw * slope + inter. */
  scale?: { slope: number; inter: number };
}

/**
 * Statistics over a stream of raw voxel bytes, fed chunk by chunk as they are inflated, so a volume is
 * never held whole. 16-bit images (CT is int16) need only min/max/sum, done with SIMD (simd-stats.ts);
 * 8-bit data (SIMD again where available) and 16-bit labels are counted into a histogram of raw bit
 * patterns (byte order and sign decoded once per bin at the end); other images run one min/max/sum
 * loop, falling back to a careful loop only for chunks whose sum is not finite (NaN or Inf present).
 * Either way the work per voxel stays a fraction of what inflating it cost.
 */
export class ValueAccumulator {
  private readonly elementBytes: number;
  /** Counts per raw bit pattern since the last flush (Uint32: half the cache footprint of Float64). */
  private readonly histogram?: Uint32Array;
  /** Set for 16-bit images when the SIMD kernel is available: whether the values are signed. */
  private readonly simd16Signed?: boolean;
  private histogramTotals?: Float64Array;
  private sinceFlush = 0;
  private readonly carry = new Uint8Array(8);
  private carryLength = 0;
  private scratch = new ArrayBuffer(0);
  private voxels = 0;
  private nan = 0;
  private posInf = 0;
  private negInf = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  // Label role, wide types: integer values counted exactly.
  private readonly smallLabels?: Float64Array;
  private readonly otherLabels = new Map<number, number>();
  private otherLabelsOverflow = 0;
  private nonInteger = 0;
  private readonly nonIntegerExamples: number[] = [];

  constructor(private readonly layout: ValueLayout) {
    this.elementBytes = ELEMENT_BYTES[layout.elementType];
    if (layout.role === 'image' && this.elementBytes === 2 && simdAvailable()) this.simd16Signed = layout.elementType === 'int16';
    // Without SIMD, 16-bit images count into 65,536 bins too: an increment per voxel is cheaper than a
    // min/max/sum loop over a typed array whose type differs from file to file.
    else if (this.elementBytes <= 2) this.histogram = new Uint32Array(1 << (8 * this.elementBytes));
    else if (layout.role === 'label') this.smallLabels = new Float64Array(SMALL_LABELS);
  }

  get bytesSeen(): number {
    return this.voxels * this.elementBytes + this.carryLength;
  }

  push(chunk: Uint8Array): void {
    const size = this.elementBytes;
    let offset = 0;
    if (this.carryLength > 0) {
      const take = Math.min(size - this.carryLength, chunk.length);
      this.carry.set(chunk.subarray(0, take), this.carryLength);
      this.carryLength += take;
      offset = take;
      if (this.carryLength < size) return;
      this.consume(new Uint8Array(this.carry.slice(0, size).buffer));
      this.carryLength = 0;
    }
    const usable = Math.floor((chunk.length - offset) / size) * size;
    if (usable > 0) {
      const start = chunk.byteOffset + offset;
      if (start % size === 0) {
        this.consume(new Uint8Array(chunk.buffer, start, usable));
      } else {
        if (this.scratch.byteLength < usable) this.scratch = new ArrayBuffer(usable);
        const aligned = new Uint8Array(this.scratch, 0, usable);
        aligned.set(chunk.subarray(offset, offset + usable));
        this.consume(aligned);
      }
    }
    const rest = chunk.length - offset - usable;
    if (rest > 0) {
      this.carry.set(chunk.subarray(chunk.length - rest), 0);
      this.carryLength = rest;
    }
  }

  /** `bytes` is aligned and a whole number of elements. */
  private consume(bytes: Uint8Array): void {
    const count = bytes.length / this.elementBytes;
    this.voxels += count;
    if (this.histogram) {
      // A bin could overflow 2^32 only past 2^32 voxels; flush long before.
      if (this.sinceFlush + count >= 2 ** 31) this.flushHistogram();
      this.sinceFlush += count;
      if (this.elementBytes === 1 && simdAvailable()) addByteCounts(this.histogram, bytes);
      else countSkippingZeroBlocks(this.histogram, bytes, this.elementBytes === 1 ? countBytes : countShorts, this.elementBytes);
      return;
    }
    toHostOrder(bytes, this.elementBytes, this.layout.littleEndian);
    if (this.simd16Signed !== undefined) {
      const { min, max, sum } = stats16(bytes, this.simd16Signed);
      if (min < this.min) this.min = min;
      if (max > this.max) this.max = max;
      this.sum += sum;
      return;
    }
    const values = typedView(this.layout.elementType, bytes, count);
    if (this.smallLabels) this.countLabels(values);
    else this.summarize(values);
  }

  private summarize(values: ArrayLike<number>): void {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    if (!Number.isFinite(sum)) {
      min = Infinity;
      max = -Infinity;
      sum = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (v !== v) this.nan++;
        else if (v === Infinity) this.posInf++;
        else if (v === -Infinity) this.negInf++;
        else {
          if (v < min) min = v;
          if (v > max) max = v;
          sum += v;
        }
      }
    }
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    this.sum += sum;
  }

  private countLabels(values: ArrayLike<number>): void {
    const small = this.smallLabels!;
    const scale = this.layout.scale;
    for (let i = 0; i < values.length; i++) {
      const v = scale ? values[i]! * scale.slope + scale.inter : values[i]!;
      if (v >= 0 && v < SMALL_LABELS && (v | 0) === v) small[v]!++;
      else this.countOtherLabel(v);
    }
  }

  private countOtherLabel(v: number): void {
    if (v !== v) this.nan++;
    else if (v === Infinity) this.posInf++;
    else if (v === -Infinity) this.negInf++;
    else if (!Number.isInteger(v)) {
      this.nonInteger++;
      if (this.nonIntegerExamples.length < 5) this.nonIntegerExamples.push(v);
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
      this.sum += v;
    } else if (this.otherLabels.has(v) || this.otherLabels.size < MAX_MAPPED_VALUES) {
      this.otherLabels.set(v, (this.otherLabels.get(v) ?? 0) + 1);
    } else {
      this.otherLabelsOverflow++;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
      this.sum += v;
    }
  }

  /** `trailingBytes`: bytes left over that do not make a whole element (a truncated stream). */
  finish(): ValueStats & { trailingBytes: number } {
    const counted = this.histogram ? this.decodeHistogram() : this.smallLabels ? this.labelCounts() : undefined;
    let { min, max, sum } = this;
    let distinct: number | undefined;
    const integerCounts: [number, number][] = [];
    if (counted) {
      distinct = counted.length + (this.otherLabelsOverflow > 0 ? 1 : 0);
      for (const [value, n] of counted) {
        if (value < min) min = value;
        if (value > max) max = value;
        sum += value * n;
        if (Number.isInteger(value)) integerCounts.push([value, n]);
        else {
          this.nonInteger += n;
          if (this.nonIntegerExamples.length < 5) this.nonIntegerExamples.push(value);
        }
      }
    } else if (this.layout.scale && min <= max) {
      // A linear map: apply it to the extremes and the sum once.
      const { slope, inter } = this.layout.scale;
      [min, max] = slope >= 0 ? [min * slope + inter, max * slope + inter] : [max * slope + inter, min * slope + inter];
      sum = sum * slope + inter * (this.voxels - this.nan - this.posInf - this.negInf);
    }
    const finite = this.voxels - this.nan - this.posInf - this.negInf;
    const listValues = counted && (this.layout.role === 'label' || integerCounts.length <= 16);
    return {
      voxels: this.voxels,
      nan: this.nan,
      posInf: this.posInf,
      negInf: this.negInf,
      min: finite > 0 ? min : null,
      max: finite > 0 ? max : null,
      mean: finite > 0 ? sum / finite : null,
      ...(listValues ? { valueCounts: integerCounts.sort((a, b) => a[0] - b[0]).slice(0, MAX_LISTED_VALUES) } : {}),
      ...(distinct === undefined ? {} : { distinctValues: distinct }),
      nonInteger: this.nonInteger,
      nonIntegerExamples: this.nonIntegerExamples,
      trailingBytes: this.carryLength,
    };
  }

  private flushHistogram(): void {
    const totals = (this.histogramTotals ??= new Float64Array(this.histogram!.length));
    this.histogram!.forEach((n, i) => (totals[i]! += n));
    this.histogram!.fill(0);
    this.sinceFlush = 0;
  }

  /** Histogram bins of raw bit patterns -> (value, count) with byte order, sign and scale applied. */
  private decodeHistogram(): [number, number][] {
    this.flushHistogram();
    const bins = this.histogramTotals!;
    const { elementType, littleEndian, scale } = this.layout;
    const swap = bins.length === 65536 && littleEndian !== HOST_LITTLE_ENDIAN;
    const signed = elementType === 'int8' || elementType === 'int16';
    const bits = bins.length === 256 ? 8 : 16;
    const out: [number, number][] = [];
    for (let pattern = 0; pattern < bins.length; pattern++) {
      const n = bins[pattern]!;
      if (n === 0) continue;
      let raw = swap ? ((pattern & 0xff) << 8) | (pattern >> 8) : pattern;
      if (signed && raw >= 1 << (bits - 1)) raw -= 1 << bits;
      out.push([scale ? raw * scale.slope + scale.inter : raw, n]);
    }
    return out;
  }

  private labelCounts(): [number, number][] {
    const out: [number, number][] = [];
    this.smallLabels!.forEach((n, value) => {
      if (n > 0) out.push([value, n]);
    });
    for (const entry of this.otherLabels) out.push(entry);
    return out;
  }
}

const ZERO_BLOCK = Buffer.alloc(4096);

/**
 * Label maps are mostly background: 4 KiB blocks of zero bytes are recognised by a native compare
 * (memcmp speed) and counted in one step; other blocks go to the word-wise counter.
 */
function countSkippingZeroBlocks(histogram: Uint32Array, bytes: Uint8Array, count: (h: Uint32Array, b: Uint8Array) => void, elementBytes: number): void {
  const block = ZERO_BLOCK.length;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let zeroBytes = 0;
  let pending = 0;
  let at = 0;
  for (; at + block <= bytes.length; at += block) {
    if (view.compare(ZERO_BLOCK, 0, block, at, at + block) === 0) {
      if (at > pending) count(histogram, bytes.subarray(pending, at));
      zeroBytes += block;
      pending = at + block;
    }
  }
  if (bytes.length > pending) count(histogram, bytes.subarray(pending));
  histogram[0]! += zeroBytes / elementBytes;
}

/**
 * Byte histogram read a 32-bit word at a time: an all-zero word (most of a label map) costs one compare,
 * and the four increments of other words do not wait on each other.
 */
function countBytes(histogram: Uint32Array, bytes: Uint8Array): void {
  let i = 0;
  while (i < bytes.length && (bytes.byteOffset + i) % 4 !== 0) histogram[bytes[i++]!]!++;
  const words = wordsFrom(bytes, i, (bytes.length - i) >> 2);
  let zeros = 0;
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    if (w === 0) {
      zeros += 4;
    } else {
      histogram[w & 0xff]!++;
      histogram[(w >>> 8) & 0xff]!++;
      histogram[(w >>> 16) & 0xff]!++;
      histogram[w >>> 24]!++;
    }
  }
  histogram[0]! += zeros;
  for (i += words.length * 4; i < bytes.length; i++) histogram[bytes[i]!]!++;
}

/** The same for 16-bit patterns (bins are native-order Uint16 values); `bytes` is 2-byte aligned. */
function countShorts(histogram: Uint32Array, bytes: Uint8Array): void {
  const shorts = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  let i = 0;
  if (bytes.byteOffset % 4 !== 0 && shorts.length > 0) histogram[shorts[i++]!]!++;
  const words = wordsFrom(bytes, 2 * i, (shorts.length - i) >> 1);
  let zeros = 0;
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    if (w === 0) {
      zeros += 2;
    } else {
      histogram[w & 0xffff]!++;
      histogram[w >>> 16]!++;
    }
  }
  histogram[0]! += zeros;
  for (i += words.length * 2; i < shorts.length; i++) histogram[shorts[i]!]!++;
}

/** A Uint32 view from `offset`, empty when that is not 4-byte aligned (a piece too short to align). */
function wordsFrom(bytes: Uint8Array, offset: number, count: number): Uint32Array {
  return (bytes.byteOffset + offset) % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + offset, count) : new Uint32Array(0);
}

/** Swaps multi-byte elements in place when the data's byte order is not the host's. */
export function toHostOrder(bytes: Uint8Array, elementBytes: number, littleEndian: boolean): void {
  if (elementBytes === 1 || littleEndian === HOST_LITTLE_ENDIAN) return;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (elementBytes === 2) b.swap16();
  else if (elementBytes === 4) b.swap32();
  else b.swap64();
}

/** The values of aligned, host-order bytes; 64-bit integers become (possibly rounded) doubles. */
export function typedView(type: ElementType, bytes: Uint8Array, count: number): ArrayLike<number> {
  const { buffer, byteOffset } = bytes;
  switch (type) {
    case 'uint8':
      return new Uint8Array(buffer, byteOffset, count);
    case 'int8':
      return new Int8Array(buffer, byteOffset, count);
    case 'int16':
      return new Int16Array(buffer, byteOffset, count);
    case 'uint16':
      return new Uint16Array(buffer, byteOffset, count);
    case 'int32':
      return new Int32Array(buffer, byteOffset, count);
    case 'uint32':
      return new Uint32Array(buffer, byteOffset, count);
    case 'float32':
      return new Float32Array(buffer, byteOffset, count);
    case 'float64':
      return new Float64Array(buffer, byteOffset, count);
    case 'int64':
      return Float64Array.from(new BigInt64Array(buffer, byteOffset, count), Number);
    case 'uint64':
      return Float64Array.from(new BigUint64Array(buffer, byteOffset, count), Number);
  }
}
