/**
 * Reads the network of one configuration from an nnU-Net v2 plans file (nnUNetPlans.json). Two layouts exist:
 * `architecture.arch_kwargs` (v2.4 and later) and the older flat keys (`UNet_class_name`,
 * `pool_op_kernel_sizes`, `conv_kernel_sizes`, ...). `inherits_from` chains are resolved as
 * nnunetv2/utilities/plans_handling/plans_handler.py does: the child's keys override the parent's.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_FEATURES } from './topology.js';
import { validateConfig, type UNetConfig } from './unet.js';

export type PlansResult =
  | { ok: true; config: UNetConfig; notes: string[]; medianShape?: number[]; spacing?: number[] }
  | { ok: false; reason: string; fix: string; available?: string[] };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const numbers = (v: unknown): number[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined);
const grid = (v: unknown): number[][] | undefined => (Array.isArray(v) && v.every((x) => numbers(x)) ? (v as number[][]) : undefined);

/** Reads the plans file and, when it sits next to one (nnUNet_preprocessed/DatasetX/), dataset.json. */
export async function loadPlans(file: string, configuration: string): Promise<PlansResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, reason: `cannot read ${file}: ${(error as Error).message}`, fix: 'pass the path of an nnUNetPlans.json from nnUNet_preprocessed/DatasetXXX_Name/' };
  }
  const datasetJson = await readFile(path.join(path.dirname(file), 'dataset.json'), 'utf8').then(
    (t) => JSON.parse(t) as unknown,
    () => undefined,
  );
  return parsePlans(text, configuration, { file, datasetJson });
}

export function parsePlans(text: string, configuration: string, context: { file?: string; datasetJson?: unknown } = {}): PlansResult {
  const where = context.file ?? 'the plans file';
  let plans: unknown;
  try {
    plans = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${where} is not JSON (${(error as Error).message})`, fix: 'point --plans at nnUNet_preprocessed/DatasetXXX_Name/nnUNetPlans.json, or regenerate it with nnUNetv2_plan_experiment' };
  }
  if (!isObject(plans) || !isObject(plans.configurations)) {
    return { ok: false, reason: `${where} has no "configurations" object, so it is not an nnU-Net v2 plans file`, fix: 'nnU-Net v1 plans (.pkl) are not supported; plan with nnUNetv2_plan_and_preprocess' };
  }
  const available = Object.keys(plans.configurations);
  const resolved = resolveConfiguration(plans.configurations, configuration);
  if (!resolved.ok) return { ...resolved, available };
  const conf = resolved.value;
  const notes: string[] = [];

  const arch = isObject(conf.architecture) ? conf.architecture : undefined;
  const kw = arch && isObject(arch.arch_kwargs) ? arch.arch_kwargs : undefined;
  const className = String(arch?.network_class_name ?? conf.UNet_class_name ?? 'PlainConvUNet');
  const kernelSizes = grid(kw?.kernel_sizes ?? conf.conv_kernel_sizes);
  const strides = grid(kw?.strides ?? conf.pool_op_kernel_sizes);
  const patchSize = numbers(conf.patch_size);
  const batchSize = conf.batch_size;
  if (!kernelSizes || !strides || !patchSize || typeof batchSize !== 'number') {
    return { ok: false, reason: `configuration "${configuration}" in ${where} lacks kernel sizes, strides, patch_size or batch_size`, fix: 'regenerate the plans with nnUNetv2_plan_experiment', available };
  }
  const n = strides.length;
  const dims = patchSize.length === 2 ? 2 : 3;
  const features = numbers(kw?.features_per_stage)
    ?? Array.from({ length: n }, (_, i) => Math.min(Number(conf.unet_max_num_features ?? MAX_FEATURES[dims]), Number(conf.UNet_base_num_features ?? 32) * 2 ** i));
  let nConv = numbers(kw?.n_conv_per_stage ?? conf.n_conv_per_stage_encoder);
  const nConvDecoder = numbers(kw?.n_conv_per_stage_decoder ?? conf.n_conv_per_stage_decoder) ?? Array(n - 1).fill(2);
  if (!/PlainConvUNet$/.test(className)) {
    const blocks = numbers(kw?.n_blocks_per_stage);
    notes.push(`${className} is benchmarked as a PlainConvUNet with the same stages, features and kernels${blocks ? ` and ${blocks.map((b) => 2 * b)} convs per encoder stage (2 per residual block)` : ''}; residual adds and 1x1 shortcuts are left out, so times are an approximation`);
    if (blocks) nConv = blocks.map((b) => 2 * b);
  }
  const { inputChannels, numClasses } = channelsAndClasses(plans, context.datasetJson, notes);
  const config: UNetConfig = {
    name: configuration,
    dims,
    inputChannels,
    numClasses,
    featuresPerStage: features,
    kernelSizes,
    strides,
    nConvPerStage: nConv ?? Array(n).fill(2),
    nConvPerStageDecoder: nConvDecoder,
    deepSupervision: true,
    patchSize,
    batchSize,
    source: `${where}, configuration ${configuration}`,
  };
  const problems = validateConfig(config);
  if (problems.length > 0) {
    return { ok: false, reason: `configuration "${configuration}" in ${where} describes no valid U-Net: ${problems.join('; ')}`, fix: 'regenerate the plans with nnUNetv2_plan_experiment, or fix the edited values', available };
  }
  return {
    ok: true,
    config,
    notes,
    medianShape: caseShapeOf(numbers(conf.median_image_size_in_voxels), numbers(plans.original_median_shape_after_transp)),
    spacing: numbers(conf.spacing),
  };
}

function resolveConfiguration(all: Json, name: string, seen: string[] = []): { ok: true; value: Json } | { ok: false; reason: string; fix: string } {
  const conf = all[name];
  if (!isObject(conf)) {
    return {
      ok: false,
      reason: `the plans have no configuration "${name}" (they have ${Object.keys(all).join(', ') || 'none'})`,
      fix: `pass one of them with --configuration, e.g. --configuration ${Object.keys(all)[0] ?? '3d_fullres'}`,
    };
  }
  const parentName = conf.inherits_from;
  if (typeof parentName !== 'string') return { ok: true, value: conf };
  if (seen.includes(parentName)) return { ok: false, reason: `configuration "${name}" inherits from itself via ${[...seen, name].join(' -> ')}`, fix: 'fix the inherits_from entries of the plans' };
  const parent = resolveConfiguration(all, parentName, [...seen, name]);
  if (!parent.ok) return parent;
  const merged: Json = { ...parent.value, ...conf };
  if (isObject(parent.value.architecture) && isObject(conf.architecture)) {
    const pa = parent.value.architecture;
    const ca = conf.architecture;
    merged.architecture = { ...pa, ...ca, arch_kwargs: { ...(isObject(pa.arch_kwargs) ? pa.arch_kwargs : {}), ...(isObject(ca.arch_kwargs) ? ca.arch_kwargs : {}) } };
  }
  return { ok: true, value: merged };
}

/** Channels from the plans' per-channel intensity properties; classes from dataset.json when it is there. */
function channelsAndClasses(plans: Json, datasetJson: unknown, notes: string[]): { inputChannels: number; numClasses: number } {
  const props = plans.foreground_intensity_properties_per_channel;
  let inputChannels = isObject(props) ? Object.keys(props).length : 0;
  let numClasses = 0;
  if (isObject(datasetJson)) {
    const channels = datasetJson.channel_names ?? datasetJson.modality;
    if (isObject(channels)) inputChannels = Object.keys(channels).length;
    if (isObject(datasetJson.labels)) {
      const labels = Object.entries(datasetJson.labels).filter(([name]) => name !== 'ignore');
      const regions = labels.some(([, v]) => Array.isArray(v));
      // Region-based training has one sigmoid output per region, background excluded (region_based_training.md).
      numClasses = regions ? labels.filter(([name]) => name !== 'background').length : labels.length;
    }
  }
  if (inputChannels < 1) {
    inputChannels = 1;
    notes.push('the number of input channels is unknown (no foreground_intensity_properties_per_channel): assuming 1');
  }
  if (numClasses < 1) {
    numClasses = 2;
    notes.push('no dataset.json next to the plans: assuming 2 output classes (the heads are a tiny share of the work)');
  }
  return { inputChannels, numClasses };
}

/** A 2d configuration's median is in-plane only; its cases keep the original number of slices. */
function caseShapeOf(median: number[] | undefined, original: number[] | undefined): number[] | undefined {
  if (median?.length === 2 && original?.length === 3) return [original[0]!, ...median];
  return median;
}
