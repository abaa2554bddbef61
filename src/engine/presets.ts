import { BASE_FEATURES, MAX_FEATURES } from './topology.js';
import type { UNetConfig } from './unet.js';

/**
 * Networks to benchmark when there is no plans file. The first two are what nnU-Net's default planner
 * gives isotropic 1 mm CT with a 512^3 median (nnunet-facts.md §5.3); the others are small enough for a CPU.
 */
export const PRESETS = ['3d_fullres', '2d', '3d_fullres_cpu', 'tiny'] as const;
export type PresetName = (typeof PRESETS)[number];

export const PRESET_HELP: Record<PresetName, string> = {
  '3d_fullres': 'isotropic CT 3d_fullres: patch 128^3, batch 2, 6 stages, 32..320 features',
  '2d': 'isotropic CT 2d: patch 512^2, batch 12, 8 stages, 32..512 features',
  '3d_fullres_cpu': 'the 3d_fullres network at a CPU-sized patch: 64^3, batch 2',
  tiny: 'a 4-stage 3D net (8..64 features, 32^3, batch 2) for quick CPU runs and sanity training',
};

function plain(name: string, dims: 2 | 3, stages: number, patchSize: number[], batchSize: number, base = BASE_FEATURES, cap: number = MAX_FEATURES[dims]): UNetConfig {
  const ones = Array(dims).fill(1);
  const twos = Array(dims).fill(2);
  return {
    name,
    dims,
    inputChannels: 1,
    numClasses: 3,
    featuresPerStage: Array.from({ length: stages }, (_, i) => Math.min(cap, base * 2 ** i)),
    kernelSizes: Array.from({ length: stages }, () => Array(dims).fill(3)),
    strides: Array.from({ length: stages }, (_, i) => (i === 0 ? ones : twos)),
    nConvPerStage: Array(stages).fill(2),
    nConvPerStageDecoder: Array(stages - 1).fill(2),
    deepSupervision: true,
    patchSize,
    batchSize,
    source: `built-in preset ${name}`,
  };
}

export function preset(name: PresetName): UNetConfig {
  switch (name) {
    case '3d_fullres':
      return plain(name, 3, 6, [128, 128, 128], 2);
    case '2d':
      return plain(name, 2, 8, [512, 512], 12);
    case '3d_fullres_cpu':
      return plain(name, 3, 6, [64, 64, 64], 2);
    case 'tiny':
      return plain(name, 3, 4, [32, 32, 32], 2, 8);
  }
}

export function isPreset(name: string): name is PresetName {
  return (PRESETS as readonly string[]).includes(name);
}
