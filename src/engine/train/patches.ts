import { NNUNET_TRAINING } from './schedule.js';
import { forEachVoxel, type LabelledVolume } from './synthetic.js';
import { product } from '../../util/math.js';

/**
 * Training patches as nnU-Net's data loader draws them (nnunetv2/training/dataloading/data_loader.py):
 * the last round(B x 0.33) samples of each batch are centred on a foreground voxel of a random present
 * class, the others are placed at random. Images are normalized as nnU-Net's preprocessing would
 * (nnunetv2/preprocessing/normalization/default_normalization_schemes.py; nnunet-facts.md §10.4).
 */
export type NormalizationScheme = 'ZScoreNormalization' | 'CTNormalization' | 'NoNormalization' | 'RescaleTo01Normalization' | 'RGBTo01Normalization';

export interface CtStatistics {
  mean: number;
  std: number;
  percentile005: number;
  percentile995: number;
}

const EPS = 1e-8;

/** Whole-channel statistics that per-case normalizations need (numpy: a NaN voxel makes them NaN). */
export interface ChannelStatistics {
  mean: number;
  /** Population std (ddof 0). */
  std: number;
  min: number;
  max: number;
}

export function channelStatistics(values: Float32Array): ChannelStatistics {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    // Math.min/max keep a NaN, as np.min/np.max do.
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length), min, max };
}

/** Normalizes a copy of one channel. A NaN voxel makes the z-score mean NaN, as in numpy: it spreads. */
export function normalizeChannel(values: Float32Array, scheme: NormalizationScheme, ct?: CtStatistics): Float32Array {
  return applyNormalization(values, scheme, channelStatistics(values), ct);
}

/**
 * Normalizes a copy of `values` with statistics taken elsewhere: the whole channel's (`stats`), the
 * dataset's foreground (`ct`). Every scheme is voxel-wise once these are known, so a crop of a case can
 * be normalized exactly as the whole case would be.
 */
export function applyNormalization(values: Float32Array, scheme: NormalizationScheme, stats: ChannelStatistics, ct?: CtStatistics): Float32Array {
  const out = Float32Array.from(values);
  if (scheme === 'NoNormalization') return out;
  if (scheme === 'RGBTo01Normalization') {
    // nnU-Net asserts 0..255 first; the dataset scanner reports values outside (values:rgb-range).
    for (let i = 0; i < out.length; i++) out[i] = out[i]! / 255;
    return out;
  }
  if (scheme === 'RescaleTo01Normalization') {
    const range = Math.max(stats.max - stats.min, EPS);
    for (let i = 0; i < out.length; i++) out[i] = (out[i]! - stats.min) / range;
    return out;
  }
  if (scheme === 'CTNormalization') {
    if (!ct) throw new Error('CTNormalization needs the foreground intensity statistics');
    for (let i = 0; i < out.length; i++) {
      const clipped = Math.min(Math.max(out[i]!, ct.percentile005), ct.percentile995);
      out[i] = (clipped - ct.mean) / Math.max(ct.std, EPS);
    }
    return out;
  }
  const std = Math.max(stats.std, EPS);
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! - stats.mean) / std;
  return out;
}

/** Foreground (label > 0) intensity statistics over all training cases, as the fingerprint collects them. */
export function ctStatistics(cases: readonly LabelledVolume[], channel = 0): CtStatistics {
  const values: number[] = [];
  for (const c of cases) {
    const voxels = c.labels.length;
    for (let i = 0; i < voxels; i++) if (c.labels[i]! > 0) values.push(c.image[channel * voxels + i]!);
  }
  return foregroundStatistics(Float64Array.from(values));
}

/** Mean, std and 0.5/99.5 percentiles of foreground intensities (sorted in place). */
export function foregroundStatistics(values: Float32Array | Float64Array): CtStatistics {
  if (values.length === 0) throw new Error('no foreground voxels to compute CT statistics from');
  values.sort();
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length), percentile005: percentile(values, 0.5), percentile995: percentile(values, 99.5) };
}

/** numpy's default (linear) percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const position = ((sorted.length - 1) * q) / 100;
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

export function normalizeVolume(volume: LabelledVolume, scheme: NormalizationScheme, ct?: CtStatistics): LabelledVolume {
  const voxels = volume.labels.length;
  const image = new Float32Array(volume.image.length);
  for (let c = 0; c < volume.channels; c++) {
    image.set(normalizeChannel(volume.image.subarray(c * voxels, (c + 1) * voxels), scheme, ct), c * voxels);
  }
  return { ...volume, image };
}

export interface Batch {
  /** [B, C, ...patch] */
  input: Float32Array;
  /** [B, 1, ...patch] */
  labels: BigInt64Array;
  /** Which case each sample came from. */
  caseIds: string[];
}

/** nnUNetDataLoader.get_do_oversample: the last samples of a batch are forced to contain foreground. */
export function forcesForeground(sampleIndex: number, batchSize: number, percent: number = NNUNET_TRAINING.oversampleForegroundPercent): boolean {
  return !(sampleIndex < Math.round(batchSize * (1 - percent)));
}

export function sampleBatch(cases: readonly LabelledVolume[], patch: readonly number[], batchSize: number, random: () => number): Batch {
  const channels = cases[0]!.channels;
  const patchVoxels = product(patch);
  const input = new Float32Array(batchSize * channels * patchVoxels);
  const labels = new BigInt64Array(batchSize * patchVoxels);
  const caseIds: string[] = [];
  for (let b = 0; b < batchSize; b++) {
    const volume = cases[Math.floor(random() * cases.length)]!;
    caseIds.push(volume.caseId);
    const lower = patchLower(volume, patch, forcesForeground(b, batchSize), random);
    copyPatch(volume, lower, patch, input.subarray(b * channels * patchVoxels, (b + 1) * channels * patchVoxels), labels.subarray(b * patchVoxels, (b + 1) * patchVoxels));
  }
  return { input, labels, caseIds };
}

function patchLower(volume: LabelledVolume, patch: readonly number[], foreground: boolean, random: () => number): number[] {
  const maxLower = volume.shape.map((d, a) => Math.max(0, d - patch[a]!));
  if (foreground) {
    const present = [...new Set(volume.labels)].filter((l) => l > 0);
    if (present.length > 0) {
      const cls = present[Math.floor(random() * present.length)]!;
      const indices: number[] = [];
      volume.labels.forEach((l, i) => {
        if (l === cls) indices.push(i);
      });
      const centre = unravel(indices[Math.floor(random() * indices.length)]!, volume.shape);
      return centre.map((c, a) => Math.min(maxLower[a]!, Math.max(0, c - Math.floor(patch[a]! / 2))));
    }
  }
  return maxLower.map((m) => Math.floor(random() * (m + 1)));
}

function unravel(index: number, shape: readonly number[]): number[] {
  const coords = shape.map(() => 0);
  for (let a = shape.length - 1; a >= 0; a--) {
    coords[a] = index % shape[a]!;
    index = Math.floor(index / shape[a]!);
  }
  return coords;
}

/** Copies a patch; outside the volume the image is 0 and the label background, as nnU-Net pads. */
function copyPatch(volume: LabelledVolume, lower: readonly number[], patch: readonly number[], image: Float32Array, labels: BigInt64Array): void {
  const voxels = volume.labels.length;
  const patchVoxels = labels.length;
  forEachVoxel(patch, (index, coords) => {
    let source = 0;
    for (let a = 0; a < coords.length; a++) {
      const c = coords[a]! + lower[a]!;
      if (c >= volume.shape[a]!) return;
      source = source * volume.shape[a]! + c;
    }
    labels[index] = BigInt(volume.labels[source]!);
    for (let ch = 0; ch < volume.channels; ch++) image[ch * patchVoxels + index] = volume.image[ch * voxels + source]!;
  });
}
