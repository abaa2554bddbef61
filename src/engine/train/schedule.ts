/**
 * nnU-Net's default training schedule as plain numbers (nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py,
 * nnunetv2/training/lr_scheduler/polylr.py).
 */
export const NNUNET_TRAINING = {
  initialLr: 1e-2,
  weightDecay: 3e-5,
  momentum: 0.99,
  numEpochs: 1000,
  iterationsPerEpoch: 250,
  gradClipNorm: 12,
  oversampleForegroundPercent: 0.33,
  diceSmooth: 1e-5,
} as const;

/** PolyLRScheduler: set once at the start of each (0-based) epoch and kept for its iterations. */
export function polyLr(epoch: number, initialLr: number = NNUNET_TRAINING.initialLr, numEpochs: number = NNUNET_TRAINING.numEpochs): number {
  return initialLr * (1 - epoch / numEpochs) ** 0.9;
}

/**
 * Deep-supervision loss weights: 1/2^i per output (output 0 = full resolution), the lowest resolution set
 * to 0, normalized to sum 1 (nnUNetTrainer._get_deep_supervision_scales / _build_loss). nnU-Net divides 0 by
 * 0 with a single output, so fewer than 2 outputs is refused here.
 */
export function deepSupervisionWeights(outputs: number): number[] {
  if (outputs < 2) throw new Error(`deep supervision needs at least 2 outputs (3 stages); got ${outputs}`);
  const raw = Array.from({ length: outputs }, (_, i) => (i === outputs - 1 ? 0 : 1 / 2 ** i));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / sum);
}
