/**
 * Which trainer, plans and loss names differ from nnU-Net's defaults. Pure: the step lists the folders.
 * Folder names come from nnUNetTrainer.__init__: <Trainer>__<Plans>__<configuration>.
 */
export const DEFAULT_TRAINER = 'nnUNetTrainer';
export const DEFAULT_PLANS = ['nnUNetPlans', 'nnUNetResEncUNetMPlans', 'nnUNetResEncUNetLPlans', 'nnUNetResEncUNetXLPlans'] as const;

// Trainer variants shipped in nnunetv2/training/nnUNetTrainer/variants: different, but not user code.
const SHIPPED_VARIANT = /^nnUNetTrainer(?:_\d+epochs(?:_NoMirroring)?|_1epoch|Benchmark_5epochs(?:_noDataLoading)?|DiceCELoss_noSmooth|DiceLoss|CELoss|TopkLoss|NoMirroring|NoDA|DA5|DAOrd0|BN|NoDeepSupervision|Adam\w*|CosAnneal|_probabilisticOversampling\w*|_onlyMirror01|_warmup)$/;

// Loss classes nnU-Net builds itself (nnunetv2/training/loss/).
const SHIPPED_LOSSES = new Set([
  'DeepSupervisionWrapper',
  'DC_and_CE_loss',
  'DC_and_BCE_loss',
  'DC_and_topk_loss',
  'MemoryEfficientSoftDiceLoss',
  'SoftDiceLoss',
  'RobustCrossEntropyLoss',
  'TopKLoss',
  'BCEWithLogitsLoss',
  'OptimizedModule',
]);

export interface RunNames {
  trainer: string;
  plans: string;
  configuration: string;
  /** The loss repr from debug.json, when there is one. */
  loss?: string;
}

export interface NameVerdict {
  trainer: 'default' | 'shipped-variant' | 'custom';
  plans: 'default' | 'custom';
  customLosses: string[];
}

export function judgeRunNames(run: RunNames): NameVerdict {
  const trainer = run.trainer === DEFAULT_TRAINER ? 'default' : SHIPPED_VARIANT.test(run.trainer) ? 'shipped-variant' : 'custom';
  const plans = (DEFAULT_PLANS as readonly string[]).includes(run.plans) ? 'default' : 'custom';
  const classes = [...new Set([...(run.loss ?? '').matchAll(/\b([A-Za-z_]\w*)\(/g)].map((m) => m[1]!))];
  const customLosses = classes.filter((c) => /loss/i.test(c) && !SHIPPED_LOSSES.has(c));
  return { trainer, plans, customLosses };
}

/** `<Trainer>__<Plans>__<configuration>` folder names of a dataset's results folder. */
export function parseRunFolder(name: string): Omit<RunNames, 'loss'> | undefined {
  const parts = name.split('__');
  return parts.length === 3 && parts.every(Boolean) ? { trainer: parts[0]!, plans: parts[1]!, configuration: parts[2]! } : undefined;
}
