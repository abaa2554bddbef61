/**
 * nnU-Net's published speed figures (nnunet-facts.md §7). v2 publishes no table (its benchmark results are
 * in a spreadsheet), so the comparison uses the v1 expected epoch times (PyTorch 1.11, cuDNN 8.3.2, AMP,
 * documentation/expected_epoch_times.md on the nnunetv1 branch) and one v2 figure from a maintainer.
 */

export interface ReferenceEpoch {
  label: string;
  secondsPerEpoch: number;
  source: string;
}

const V1 = 'nnU-Net v1 documentation/expected_epoch_times.md (PyTorch 1.11, AMP, fastest of 5 epochs)';

/** Task003_Liver 3d_fullres (patch 128^3, batch 2): the v1 plans closest to the 3d_fullres CT preset. */
export const LIVER_3D_FULLRES: readonly ReferenceEpoch[] = [
  { label: 'A100 40GB PCIe', secondsPerEpoch: 41.49, source: V1 },
  { label: 'V100 32GB PCIe', secondsPerEpoch: 76.79, source: V1 },
  { label: 'Quadro RTX6000', secondsPerEpoch: 77.63, source: V1 },
  { label: 'Titan RTX', secondsPerEpoch: 86.75, source: V1 },
  { label: 'RTX 2080 Ti', secondsPerEpoch: 94.16, source: V1 },
];

/** Task003_Liver 2d (patch 512^2, batch 12 in v1). */
export const LIVER_2D: readonly ReferenceEpoch[] = [
  { label: 'A100 40GB PCIe', secondsPerEpoch: 35.66, source: V1 },
  { label: 'V100 32GB PCIe', secondsPerEpoch: 65.76, source: V1 },
  { label: 'Quadro RTX6000', secondsPerEpoch: 79.72, source: V1 },
  { label: 'Titan RTX', secondsPerEpoch: 70.44, source: V1 },
  { label: 'RTX 2080 Ti', secondsPerEpoch: 86.37, source: V1 },
];

export interface ReferenceComparison {
  what: string;
  references: ReferenceEpoch[];
}

/** The reference table that applies to a configuration, if any: same dimensionality and a similar patch. */
export function referencesFor(dims: 2 | 3, patchVoxels: number, batchSize: number): ReferenceComparison | undefined {
  const near = (a: number, b: number) => a / b > 0.5 && a / b < 2;
  if (dims === 3 && near(patchVoxels * batchSize, 128 ** 3 * 2)) {
    return { what: 'nnU-Net v1 Task003_Liver 3d_fullres (128^3, batch 2)', references: [...LIVER_3D_FULLRES] };
  }
  if (dims === 3 && near(patchVoxels * batchSize, 40 * 56 * 40 * 9)) {
    return {
      what: 'nnU-Net v2 Dataset004_Hippocampus 3d_fullres (40x56x40, batch 9)',
      references: [{ label: 'RTX 4090 (v2)', secondsPerEpoch: HIPPOCAMPUS_RTX4090_SECONDS_PER_EPOCH, source: 'F. Isensee in U-Mamba issue #3 (regular nnUNetTrainer, proper PyTorch install)' }],
    };
  }
  if (dims === 2 && near(patchVoxels * batchSize, 512 ** 2 * 12)) {
    return { what: 'nnU-Net v1 Task003_Liver 2d (512^2, batch 12)', references: [...LIVER_2D] };
  }
  return undefined;
}

/** v2, Dataset004_Hippocampus 3d_fullres with a proper PyTorch install (U-Mamba issue #3, F. Isensee). */
export const HIPPOCAMPUS_RTX4090_SECONDS_PER_EPOCH = 7.5;

export const LIMITS_OF_AN_ONNX_BENCHMARK = [
  'Measured: onnxruntime running nnU-Net\'s PlainConvUNet forward pass (fp32, random weights, synthetic input) on this device.',
  'Estimated from it: the training step (by FLOPs, about 3x a forward pass), the epoch (250 steps + 50 validation passes) and sliding-window prediction.',
  'Not measured: PyTorch itself (cuDNN autotuning, AMP/fp16 tensor cores, torch.compile), data loading and augmentation workers, disk I/O, and PyTorch\'s VRAM use.',
  'So read it as: is this hardware in the right league, and does it run as fast as it should. nnU-Net\'s own nnUNetTrainerBenchmark_5epochs measures the real training.',
] as const;
