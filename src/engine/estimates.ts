/**
 * What a measured forward time means for nnU-Net's own work: sliding-window prediction of one case and one
 * training epoch. These scale the measurement by counts of tiles and by FLOPs; they are estimates.
 */

/**
 * nnunetv2/inference/sliding_window_prediction.py, compute_steps_for_sliding_window (tile_step_size 0.5):
 * evenly spread tile origins, each `int(np.round(actual_step_size * i))`.
 */
export function slidingWindowSteps(imageSize: readonly number[], tileSize: readonly number[], stepSize = 0.5): number[][] {
  return imageSize.map((size, a) => {
    const tile = tileSize[a]!;
    if (size <= tile) return [0]; // the image is padded up to the tile
    const target = tile * stepSize;
    const count = Math.ceil((size - tile) / target) + 1;
    const actual = (size - tile) / (count - 1);
    return Array.from({ length: count }, (_, i) => roundHalfEven(actual * i));
  });
}

/** np.round: halves go to the even neighbour (2.5 -> 2, 3.5 -> 4), unlike Math.round (2.5 -> 3). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

export interface InferenceEstimate {
  caseShape: number[];
  tiles: number;
  /** Forward passes with test-time mirroring (nnU-Net's default): every combination of mirrored axes. */
  forwardPassesMirrored: number;
  secondsNoMirroring: number;
  secondsMirrored: number;
}

/**
 * One case of `caseShape` (3D, in the plans' axis order) predicted tile by tile, one tile per forward pass
 * as nnU-Net does. A 2D configuration predicts every slice along the first axis.
 */
export function estimateInference(caseShape: readonly number[], patchSize: readonly number[], secondsPerTile: number): InferenceEstimate {
  const dims = patchSize.length;
  const plane = caseShape.slice(-dims);
  const slices = dims === 2 && caseShape.length === 3 ? caseShape[0]! : 1;
  const tiles = slices * slidingWindowSteps(plane, patchSize).reduce((n, s) => n * s.length, 1);
  const mirrors = 2 ** dims;
  return {
    caseShape: [...caseShape],
    tiles,
    forwardPassesMirrored: tiles * mirrors,
    secondsNoMirroring: tiles * secondsPerTile,
    secondsMirrored: tiles * mirrors * secondsPerTile,
  };
}

export const ITERATIONS_PER_EPOCH = 250;
export const VALIDATION_ITERATIONS_PER_EPOCH = 50;

export interface EpochEstimate {
  /** Training step of one batch: forward time x (training-step FLOPs / forward FLOPs). */
  secondsPerIteration: number;
  /** 250 training iterations + 50 validation forward passes (nnUNetTrainer defaults). */
  secondsPerEpoch: number;
  /** 1000 epochs. */
  hoursFor1000Epochs: number;
  trainingToForwardFlopRatio: number;
}

export function estimateEpoch(forwardSecondsPerBatch: number, trainingToForwardFlopRatio: number): EpochEstimate {
  const secondsPerIteration = forwardSecondsPerBatch * trainingToForwardFlopRatio;
  const secondsPerEpoch = ITERATIONS_PER_EPOCH * secondsPerIteration + VALIDATION_ITERATIONS_PER_EPOCH * forwardSecondsPerBatch;
  return { secondsPerIteration, secondsPerEpoch, hoursFor1000Epochs: (secondsPerEpoch * 1000) / 3600, trainingToForwardFlopRatio };
}

/** 3.52 ms, 95 s, 12 min, 3.4 h, 2.1 days: durations from GPU kernels to CPU trainings. */
export function fmtDuration(seconds: number): string {
  if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 0)} ms`;
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(0)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
