/**
 * The causes of `train_loss nan` the documented debugging sequence tells apart (known-problems row 4,
 * nnunet-facts 10.1), with the fix and the next command for each. Listed from most to least common in
 * the issue tracker ("mostly data"); equal evidence is ranked in this order.
 */
export const NAN_CAUSES = {
  'nan-inf-voxels': {
    title: 'NaN or Inf voxels in the images',
    fix: 'replace them before training (e.g. np.nan_to_num with a background value) in the listed cases, then rerun preprocessing with --clean',
    next: (d: string) => `nnunet-doctor dataset ${d} -v`,
  },
  'bad-labels': {
    title: 'label values outside 0..classes-1 (0/255 masks, undeclared or interpolated values)',
    fix: 'remap the label files to consecutive class ids (255 -> 1), store masks losslessly, then rerun preprocessing with --clean',
    next: (d: string) => `nnunet-doctor dataset ${d} -v`,
  },
  'constant-images': {
    title: 'constant or all-zero image channels',
    fix: 're-export the affected channels; a constant channel carries nothing and z-score divides by max(std, 1e-8)',
    next: (d: string) => `nnunet-doctor dataset ${d} -v`,
  },
  'corrupt-files': {
    title: 'truncated or unreadable files (read as zeros or garbage)',
    fix: 'copy or export the listed files again, then rerun preprocessing with --clean',
    next: (d: string) => `nnunet-doctor dataset ${d} -v`,
  },
  geometry: {
    title: 'images and labels on different grids',
    fix: 'resample the labels onto the image grid (check with nnUNetv2_plot_overlay_pngs)',
    next: (d: string) => `nnunet-doctor dataset ${d} -v`,
  },
  'custom-code': {
    title: 'a custom trainer, loss or plans',
    fix: 'train one fold with the defaults to compare: the default trainer and loss are finite for finite data',
    next: (d: string) => `nnUNetv2_train ${d} 3d_fullres 0 -tr nnUNetTrainer -p nnUNetPlans`,
  },
  'learning-rate': {
    title: 'the optimisation diverged (learning rate too high for this data)',
    fix: 'train with a lower initial_lr in a small trainer subclass, or try -tr nnUNetTrainerDiceCELoss_noSmooth (#2318, #1395)',
    next: (d: string) => `nnUNetv2_train ${d} 3d_fullres 0 -tr nnUNetTrainerDiceCELoss_noSmooth`,
  },
  'fp16-overflow': {
    title: 'an fp16 overflow under mixed precision',
    fix: 'upgrade nnunetv2 to >= 2.6.4 (Dice sums in float32); v2 always trains with AMP on CUDA, so fix the overflow at its source',
    next: () => 'pip install -U "nnunetv2>=2.6.4"',
  },
  install: {
    title: 'the installation or hardware (NaN even on clean synthetic data)',
    fix: 'reinstall torch from the pytorch.org selector, check the GPU (nvidia-smi, memtest); reproduce on Dataset004_Hippocampus (#302, #941)',
    next: () => 'nnunet-doctor --only torch,gpu -v',
  },
} as const satisfies Record<string, { title: string; fix: string; next: (dataset: string) => string }>;

export type NanCauseId = keyof typeof NAN_CAUSES;

const PRIOR_ORDER = Object.keys(NAN_CAUSES) as NanCauseId[];

/** Evidence from one step for (weight > 0) or against (weight < 0) a cause. */
export interface CauseEvidence {
  cause: NanCauseId;
  weight: number;
  evidence: string;
}

export interface RankedCause {
  cause: NanCauseId;
  title: string;
  score: number;
  evidence: string[];
  fix: string;
  next: string;
}

/** Direct evidence (the NaN voxel itself) outweighs circumstantial evidence (how the loss behaved). */
export const WEIGHT = { direct: 10, strong: 6, moderate: 4, weak: 2, against: -4 } as const;

/** Sums the evidence per cause; causes with no net support are left out. */
export function rankCauses(evidence: readonly CauseEvidence[], datasetLabel: string): RankedCause[] {
  const byCause = new Map<NanCauseId, CauseEvidence[]>();
  for (const e of evidence) byCause.set(e.cause, [...(byCause.get(e.cause) ?? []), e]);
  return [...byCause.entries()]
    .map(([cause, list]) => ({
      cause,
      title: NAN_CAUSES[cause].title,
      score: list.reduce((sum, e) => sum + e.weight, 0),
      evidence: list.filter((e) => e.weight > 0).map((e) => e.evidence),
      fix: NAN_CAUSES[cause].fix,
      next: NAN_CAUSES[cause].next(datasetLabel),
    }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || PRIOR_ORDER.indexOf(a.cause) - PRIOR_ORDER.indexOf(b.cause));
}
