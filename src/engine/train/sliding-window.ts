import { slidingWindowSteps } from '../estimates.js';
import { forEachVoxel } from './synthetic.js';
import { product } from '../../util/math.js';

/**
 * Sliding-window prediction as nnU-Net does it (nnunetv2/inference/sliding_window_prediction.py and
 * predict_from_raw_data.py): tiles with step 0.5 of the patch, logits weighted by a Gaussian centred on
 * the tile (sigma = patch/8, scaled to a maximum of 10, zeros replaced by the smallest non-zero value),
 * summed, then argmax (nnU-Net also divides by the summed weights, which cannot change the argmax).
 * Test-time mirroring is not done here.
 */
export function gaussianImportance(patch: readonly number[], sigmaScale = 1 / 8, valueScale = 10): Float32Array {
  const perAxis = patch.map((size) => {
    const sigma = size * sigmaScale;
    const centre = Math.floor(size / 2);
    // scipy's gaussian_filter truncates its kernel at 4 sigma.
    const radius = Math.floor(4 * sigma + 0.5);
    return Array.from({ length: size }, (_, i) => (Math.abs(i - centre) <= radius ? Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma)) : 0));
  });
  const out = new Float32Array(product(patch));
  forEachVoxel(patch, (index, coords) => {
    out[index] = coords.reduce((p, c, a) => p * perAxis[a]![c]!, 1);
  });
  let max = 0;
  for (const v of out) max = Math.max(max, v);
  let minNonZero = Infinity;
  for (let i = 0; i < out.length; i++) {
    out[i] = (out[i]! / max) * valueScale;
    if (out[i]! > 0) minNonZero = Math.min(minNonZero, out[i]!);
  }
  for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = minNonZero;
  return out;
}

export interface SlidingWindowInput {
  /** [C, ...shape] */
  image: Float32Array;
  channels: number;
  shape: readonly number[];
  patch: readonly number[];
  classes: number;
  /** Runs the network on one tile [1, C, ...patch] and returns its logits [1, K, ...patch]. */
  predictTile(tile: Float32Array): Promise<Float32Array>;
}

export interface SlidingWindowResult {
  /** Argmax label per voxel. */
  labels: Int32Array;
  tiles: number;
  /** Whether every logit was finite (nnU-Net raises on Inf logits at inference). */
  finite: boolean;
}

export async function predictSlidingWindow(input: SlidingWindowInput): Promise<SlidingWindowResult> {
  const { image, channels, shape, patch, classes } = input;
  const voxels = product(shape);
  const patchVoxels = product(patch);
  if (shape.some((d, a) => d < patch[a]!)) throw new Error(`image [${shape.join(', ')}] is smaller than the patch [${patch.join(', ')}]`);
  const gaussian = gaussianImportance(patch);
  const logitSum = new Float32Array(classes * voxels);
  const steps = slidingWindowSteps(shape, patch);
  const origins = steps.reduce<number[][]>((acc, axis) => acc.flatMap((prefix) => axis.map((s) => [...prefix, s])), [[]]);
  let finite = true;
  for (const origin of origins) {
    const tile = new Float32Array(channels * patchVoxels);
    const sourceIndex = new Int32Array(patchVoxels);
    forEachVoxel(patch, (index, coords) => {
      let source = 0;
      for (let a = 0; a < coords.length; a++) source = source * shape[a]! + coords[a]! + origin[a]!;
      sourceIndex[index] = source;
      for (let c = 0; c < channels; c++) tile[c * patchVoxels + index] = image[c * voxels + source]!;
    });
    const logits = await input.predictTile(tile);
    for (let i = 0; i < patchVoxels; i++) {
      const source = sourceIndex[i]!;
      const w = gaussian[i]!;
      for (let k = 0; k < classes; k++) {
        const v = logits[k * patchVoxels + i]!;
        if (!Number.isFinite(v)) finite = false;
        logitSum[k * voxels + source] += v * w;
      }
    }
  }
  const labels = new Int32Array(voxels);
  for (let i = 0; i < voxels; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (logitSum[k * voxels + i]! > logitSum[best * voxels + i]!) best = k;
    labels[i] = best;
  }
  return { labels, tiles: origins.length, finite };
}

/** Dice per foreground class (1..classes-1); NaN where the class is absent from both. */
export function dicePerClass(predicted: Int32Array, truth: Int32Array, classes: number): number[] {
  return Array.from({ length: classes - 1 }, (_, i) => {
    const cls = i + 1;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let v = 0; v < truth.length; v++) {
      const p = predicted[v] === cls;
      const t = truth[v] === cls;
      if (p && t) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    return tp + fp + fn === 0 ? Number.NaN : (2 * tp) / (2 * tp + fp + fn);
  });
}
