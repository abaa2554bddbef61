import { NNUNET_TRAINING } from './schedule.js';
import { forEachVoxel, type LabelledVolume } from './synthetic.js';

/**
 * Training patches as nnU-Net's data loader draws them (nnunetv2/training/dataloading/data_loader.py):
 * the last round(B x 0.33) samples of each batch are centred on a foreground voxel of a random present
 * class, the others are placed at random. Images are normalized as nnU-Net's preprocessing would
 * (nnunetv2/preprocessing/normalization/default_normalization_schemes.py; nnunet-facts.md §10.4).
 */
export type NormalizationScheme = 'ZScoreNormalization' | 'CTNormalization' | 'NoNormalization';

export interface CtStatistics {
  mean: number;
  std: number;
  percentile005: number;
  percentile995: number;
}

const EPS = 1e-8;

/** Normalizes a copy of one channel. A NaN voxel makes the z-score mean NaN, as in numpy: it spreads. */
export function normalizeChannel(values: Float32Array, scheme: NormalizationScheme, ct?: CtStatistics): Float32Array {
  const out = Float32Array.from(values);
  if (scheme === 'NoNormalization') return out;
  if (scheme === 'CTNormalization') {
    if (!ct) throw new Error('CTNormalization needs the foreground intensity statistics');
    for (let i = 0; i < out.length; i++) {
      const clipped = Math.min(Math.max(out[i]!, ct.percentile005), ct.percentile995);
      out[i] = (clipped - ct.mean) / Math.max(ct.std, EPS);
    }
    return out;
  }
  let sum = 0;
  for (const v of out) sum += v;
  const mean = sum / out.length;
  let sq = 0;
  for (const v of out) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / out.length);
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! - mean) / Math.max(std, EPS);
  return out;
}

/** Foreground (label > 0) intensity statistics over all training cases, as the fingerprint collects them. */
export function ctStatistics(cases: readonly LabelledVolume[], channel = 0): CtStatistics {
  const values: number[] = [];
  for (const c of cases) {
    const voxels = c.labels.length;
    for (let i = 0; i < voxels; i++) if (c.labels[i]! > 0) values.push(c.image[channel * voxels + i]!);
  }
  if (values.length === 0) throw new Error('no foreground voxels to compute CT statistics from');
  values.sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { mean, std, percentile005: percentile(values, 0.5), percentile995: percentile(values, 99.5) };
}

/** numpy's default (linear) percentile of sorted values. */
export function percentile(sorted: readonly number[], q: number): number {
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
  const patchVoxels = patch.reduce((a, b) => a * b, 1);
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
