import { forEachVoxel, type LabelledVolume } from './synthetic.js';
import { product } from '../../util/math.js';

/**
 * Makes a case network-sized for a CPU sanity run, only as far as needed: downsampled by whole factors
 * (nearest neighbour) so that an axis spans at most four patches, cropped to two patches around the
 * foreground, and (after normalization, as nnU-Net pads normalized data) padded up to one patch.
 */

/** Two patches per axis are kept; four (before downsampling) are the most a tiny network needs to see. */
const KEPT_PATCHES = 2;
const DOWNSAMPLE_ABOVE_PATCHES = 4;

export interface ShrunkCase {
  volume: LabelledVolume;
  /** Every factor-th voxel was kept along each axis. */
  factor: number[];
  cropped: boolean;
}

export function shrinkCase(c: LabelledVolume, patch: readonly number[]): ShrunkCase {
  const factor = c.shape.map((n, a) => Math.max(1, Math.ceil(n / (DOWNSAMPLE_ABOVE_PATCHES * patch[a]!))));
  const grid = c.shape.map((n, a) => Math.ceil(n / factor[a]!));
  const size = grid.map((n, a) => Math.min(n, KEPT_PATCHES * patch[a]!));
  if (factor.every((f) => f === 1) && size.every((s, a) => s === grid[a])) return { volume: c, factor, cropped: false };
  const centre = foregroundCentre(c.labels, c.shape)?.map((x, a) => x / factor[a]!) ?? grid.map((n) => n / 2);
  const lower = size.map((s, a) => Math.min(grid[a]! - s, Math.max(0, Math.round(centre[a]! - s / 2))));
  const volume = resample(c, size, (coords, a) => (lower[a]! + coords[a]!) * factor[a]!);
  return { volume, factor, cropped: size.some((s, a) => s < grid[a]!) };
}

/** Pads each axis up to the patch: image 0 (normalized data), label background. */
export function padCase(c: LabelledVolume, patch: readonly number[]): { volume: LabelledVolume; padded: boolean } {
  const out = c.shape.map((n, a) => Math.max(n, patch[a]!));
  if (out.every((n, a) => n === c.shape[a])) return { volume: c, padded: false };
  return { volume: resample(c, out, (coords, a) => (coords[a]! < c.shape[a]! ? coords[a]! : -1)), padded: true };
}

/** A new volume of `shape` whose voxel takes the source voxel `sourceAt` names on each axis (-1: none, left 0). */
function resample(c: LabelledVolume, shape: readonly number[], sourceAt: (coords: readonly number[], axis: number) => number): LabelledVolume {
  const voxelsIn = c.labels.length;
  const voxelsOut = product(shape);
  const image = new Float32Array(c.channels * voxelsOut);
  const labels = new Int32Array(voxelsOut);
  forEachVoxel(shape, (index, coords) => {
    let source = 0;
    for (let a = 0; a < coords.length; a++) {
      const s = sourceAt(coords, a);
      if (s < 0) return;
      source = source * c.shape[a]! + s;
    }
    labels[index] = c.labels[source]!;
    for (let ch = 0; ch < c.channels; ch++) image[ch * voxelsOut + index] = c.image[ch * voxelsIn + source]!;
  });
  return { caseId: c.caseId, image, labels, shape: [...shape], channels: c.channels };
}

/** Centre of the bounding box of the voxels labelled > 0, or undefined for a background-only case. */
function foregroundCentre(labels: Int32Array, shape: readonly number[]): number[] | undefined {
  const low = shape.map(() => Infinity);
  const high = shape.map(() => -Infinity);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! <= 0) continue;
    let rest = i;
    for (let a = shape.length - 1; a >= 0; a--) {
      const coord = rest % shape[a]!;
      rest = Math.floor(rest / shape[a]!);
      if (coord < low[a]!) low[a] = coord;
      if (coord > high[a]!) high[a] = coord;
    }
  }
  return low[0] === Infinity ? undefined : low.map((l, a) => (l + high[a]!) / 2);
}
