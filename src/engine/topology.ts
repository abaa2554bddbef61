/**
 * nnU-Net's default planner, the part that fixes the network: topology from spacing and patch size
 * (nnunetv2/experiment_planning/experiment_planners/network_topology.py, get_pool_and_conv_props) and the
 * patch/batch-size search of ExperimentPlanner.get_plans_for_configuration
 * (default_experiment_planner.py; numbers in nnunet-facts.md §5.1).
 */
import type { UNetConfig } from './unet.js';
import { product } from '../util/math.js';

export const FEATUREMAP_MIN_EDGE_LENGTH = 4;
export const BASE_FEATURES = 32;
export const MAX_FEATURES = { 2: 512, 3: 320 } as const;
/** VRAM proxies at the 8 GB target and the batch sizes they correspond to. */
export const REFERENCE_VALUE = { 2: 85_000_000, 3: 560_000_000 } as const;
export const REFERENCE_BATCH = { 2: 12, 3: 2 } as const;
export const MIN_BATCH_SIZE = 2;
export const MAX_DATASET_COVERED = 0.05;

export interface PoolAndConvProps {
  numPoolPerAxis: number[];
  /** Per stage, the first all 1s. */
  poolKernels: number[][];
  /** Per stage, the bottleneck's all 3s. */
  convKernels: number[][];
  patchSize: number[];
  mustBeDivisibleBy: number[];
}

export function getPoolAndConvProps(spacing: readonly number[], patchSize: readonly number[], minFeatureMapSize = FEATUREMAP_MIN_EDGE_LENGTH, maxNumPool = 999_999): PoolAndConvProps {
  const dim = spacing.length;
  const currentSpacing = [...spacing];
  const currentSize = [...patchSize];
  const poolKernels: number[][] = [Array(dim).fill(1)];
  const convKernels: number[][] = [];
  const numPoolPerAxis: number[] = Array(dim).fill(0);
  const kernel: number[] = Array(dim).fill(1);
  const axes = [...Array(dim).keys()];
  for (;;) {
    let valid = axes.filter((i) => currentSize[i]! >= 2 * minFeatureMapSize);
    if (valid.length < 1) break;
    const minValidSpacing = Math.min(...valid.map((i) => currentSpacing[i]!));
    valid = valid.filter((i) => currentSpacing[i]! / minValidSpacing < 2 && numPoolPerAxis[i]! < maxNumPool);
    // A lone axis is pooled only while it is at least 3x the minimum edge.
    if (valid.length === 1 && currentSize[valid[0]!]! < 3 * minFeatureMapSize) break;
    if (valid.length < 1) break;
    const minSpacing = Math.min(...currentSpacing);
    for (const d of axes) if (kernel[d] !== 3 && currentSpacing[d]! / minSpacing < 2) kernel[d] = 3;
    const pool = axes.map((d) => (valid.includes(d) ? 2 : 1));
    for (const v of valid) {
      numPoolPerAxis[v]! += 1;
      currentSpacing[v]! *= 2;
      currentSize[v] = Math.ceil(currentSize[v]! / 2);
    }
    poolKernels.push(pool);
    convKernels.push([...kernel]);
  }
  const mustBeDivisibleBy = numPoolPerAxis.map((n) => 2 ** n);
  convKernels.push(Array(dim).fill(3));
  return {
    numPoolPerAxis,
    poolKernels,
    convKernels,
    patchSize: patchSize.map((p, i) => Math.ceil(p / mustBeDivisibleBy[i]!) * mustBeDivisibleBy[i]!),
    mustBeDivisibleBy,
  };
}

/**
 * The planner's VRAM proxy: PlainConvUNet.compute_conv_feature_map_size (dynamic_network_architectures),
 * the summed output voxels x channels of every conv, transposed conv and used seg head.
 */
export function convFeatureMapSize(c: Pick<UNetConfig, 'featuresPerStage' | 'strides' | 'nConvPerStage' | 'nConvPerStageDecoder' | 'numClasses' | 'deepSupervision'>, inputSize: readonly number[]): number {
  const n = c.featuresPerStage.length;
  let total = 0;
  let size = [...inputSize];
  for (let s = 0; s < n; s++) {
    size = size.map((d, a) => Math.floor(d / c.strides[s]![a]!));
    total += c.nConvPerStage[s]! * product([c.featuresPerStage[s]!, ...size]);
  }
  const skipSizes: number[][] = [];
  size = [...inputSize];
  for (let s = 0; s < n - 1; s++) {
    size = size.map((d, a) => Math.floor(d / c.strides[s]![a]!));
    skipSizes.push(size);
  }
  for (let s = 0; s < n - 1; s++) {
    const at = skipSizes[n - 2 - s]!;
    const channels = c.featuresPerStage[n - 2 - s]!;
    total += c.nConvPerStageDecoder[s]! * product([channels, ...at]); // conv blocks
    total += product([channels, ...at]); // transposed conv
    if (c.deepSupervision || s === n - 2) total += product([c.numClasses, ...at]);
  }
  return total;
}

export interface DatasetGeometry {
  /** Target spacing of the configuration (median, or the anisotropic rule's), in the planner's axis order. */
  spacing: number[];
  /** Median shape after resampling to `spacing`, same axis order. */
  medianShape: number[];
  numTraining: number;
  inputChannels: number;
  numClasses: number;
}

export interface PlannerOptions {
  dims: 2 | 3;
  /** gpu_memory_target_in_gb; nnU-Net's default is 8. */
  vramTargetGb?: number;
}

/** ExperimentPlanner's architecture, patch and batch size for 2d (last two axes) or 3d_fullres. */
export function planConfiguration(geometry: DatasetGeometry, options: PlannerOptions): UNetConfig {
  const { dims } = options;
  const spacing = geometry.spacing.slice(-dims);
  const medianShape = geometry.medianShape.slice(-dims);
  const scale = (options.vramTargetGb ?? 8) / 8;
  const reference = REFERENCE_VALUE[dims] * scale;
  const refBatch = REFERENCE_BATCH[dims];

  const inverse = spacing.map((s) => 1 / s);
  const targetVolume = dims === 3 ? 256 ** 3 : 2048 ** 2;
  const factor = (targetVolume / product(inverse)) ** (1 / dims);
  let patch = inverse.map((v, i) => Math.min(Math.round(v * factor), medianShape[i]!));

  let props = getPoolAndConvProps(spacing, patch);
  patch = props.patchSize;
  const configOf = (p: PoolAndConvProps, patchSize: number[]): UNetConfig => {
    const n = p.poolKernels.length;
    return {
      name: dims === 3 ? '3d_fullres' : '2d',
      dims,
      inputChannels: geometry.inputChannels,
      numClasses: geometry.numClasses,
      featuresPerStage: Array.from({ length: n }, (_, i) => Math.min(MAX_FEATURES[dims], BASE_FEATURES * 2 ** i)),
      kernelSizes: p.convKernels,
      strides: p.poolKernels,
      nConvPerStage: Array(n).fill(2),
      nConvPerStageDecoder: Array(n - 1).fill(2),
      deepSupervision: true,
      patchSize: patchSize,
      batchSize: MIN_BATCH_SIZE,
      source: `nnU-Net default planner rules for median shape [${medianShape.join(', ')}] at spacing [${spacing.join(', ')}]`,
    };
  };
  let config = configOf(props, patch);
  // The planner estimates with deep supervision off.
  let estimate = convFeatureMapSize({ ...config, deepSupervision: false }, patch);
  while ((estimate / refBatch) * 2 > reference) {
    const ratios = patch.map((p, i) => p / medianShape[i]!);
    // np.argsort(...)[-1]: the largest ratio, the last axis among ties.
    let axis = 0;
    ratios.forEach((r, i) => {
      if (r >= ratios[axis]!) axis = i;
    });
    const trial = [...patch];
    trial[axis]! -= props.mustBeDivisibleBy[axis]!;
    const divisible = getPoolAndConvProps(spacing, trial).mustBeDivisibleBy;
    patch = [...patch];
    patch[axis]! -= divisible[axis]!;
    props = getPoolAndConvProps(spacing, patch);
    patch = props.patchSize;
    config = configOf(props, patch);
    estimate = convFeatureMapSize({ ...config, deepSupervision: false }, patch);
  }
  let batch = Math.round((reference / estimate) * refBatch);
  // The 5% cap counts the full (3D) median shape, also for 2d.
  const datasetVoxels = product(geometry.medianShape) * geometry.numTraining;
  const batchCap = Math.round((datasetVoxels * MAX_DATASET_COVERED) / product(patch));
  batch = Math.max(Math.min(batch, batchCap), MIN_BATCH_SIZE);
  return { ...config, batchSize: batch };
}
