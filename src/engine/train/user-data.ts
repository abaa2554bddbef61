import { datasetSpecOf, isRecord } from '../../dataset/judge-json.js';
import { planLayout, type PlannedCase } from '../../dataset/layout.js';
import { loadVolume, VolumeLoadError, type LoadedImage, type LoadedLabel } from '../../dataset/load-volume.js';
import { resolveDataset } from '../../dataset/resolve.js';
import { readDatasetJson } from '../../dataset/scanner.js';
import type { UNetConfig } from '../unet.js';
import { channelStatistics, type ChannelStatistics, type NormalizationScheme } from './patches.js';
import { shrinkCase } from './resize.js';
import type { LabelledVolume } from './synthetic.js';
import type { SanityProblem } from './sanity.js';

/**
 * The user's own cases for a sanity run (`sanity --dataset`, the nan flow): the first few complete cases
 * of the raw dataset, read whole and read-only with src/dataset/load-volume.ts. On each full volume,
 * problems that would poison training (a NaN/Inf voxel, a label beyond the classes) are found, with the
 * file, case and voxel named, and the statistics normalization needs are taken; then the case is shrunk
 * to the network's size (resize.ts), so only one full volume is in memory at a time. prepare.ts
 * normalizes and pads.
 */

/** Four training cases and one held out: enough to see the loss fall, few enough to load quickly. */
export const SANITY_CASES = 5;

/** The dataset cannot give a sanity run anything to train on; the message says why. */
export class UserDataError extends Error {}

export interface UserCase {
  caseId: string;
  /** Relative to the dataset folder: the channel images, then the label. */
  files: string[];
  /** [channels, ...shape], values as stored (not normalized), shrunk. */
  image: Float32Array;
  labels: Int32Array;
  /** numpy order, slowest axis first (z, y, x), as nnU-Net's readers return it; after shrinking. */
  shape: number[];
  channels: number;
  /** As stored, numpy order. */
  originalShape: number[];
  spacingMm: number[];
  /** Whole-case statistics per channel, from the full volume. */
  stats: ChannelStatistics[];
  /** Per CT channel, the full volume's foreground (label > 0) intensities (nnU-Net's fingerprint). */
  foreground: (Float32Array | undefined)[];
  /** Downsampling factor per axis, and whether it was cropped. */
  factor: number[];
  cropped: boolean;
}

export interface UserData {
  name: string;
  dims: 2 | 3;
  /** Per network input channel, from dataset.json's channel_names (RGB files give three). */
  channelNames: string[];
  numClasses: number;
  /** Usable cases in dataset order; the last is held out. */
  cases: UserCase[];
  /** Cases in the dataset (with a label). */
  totalCases: number;
  /** What would poison training, found in the raw files; reported before training. */
  problem?: SanityProblem;
  /** What was skipped or mapped, for the output. */
  notes: string[];
}

export interface UserDataOptions {
  /** The network's patch for the data's dimensionality (2 or 3); cases are shrunk to suit it. */
  patchFor(dims: 2 | 3): readonly number[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  cases?: number;
  maxVoxels?: number;
  onProgress?(detail: string): void;
}

/** nnunetv2/preprocessing/normalization/map_channel_name_to_normalization.py: by name, casefolded. */
export function normalizationFor(channelName: string): NormalizationScheme {
  const schemes: Record<string, NormalizationScheme> = {
    ct: 'CTNormalization',
    nonorm: 'NoNormalization',
    zscore: 'ZScoreNormalization',
    rescale_to_0_1: 'RescaleTo01Normalization',
    rgb_to_0_1: 'RGBTo01Normalization',
  };
  return schemes[channelName.toLowerCase()] ?? 'ZScoreNormalization';
}

export async function loadUserData(target: string, options: UserDataOptions): Promise<UserData> {
  const env = options.env ?? process.env;
  const resolution = await resolveDataset(target, env, options.cwd);
  if (!resolution.found) throw new UserDataError(resolution.message);
  const json = await readDatasetJson(resolution.root);
  if (json.state !== 'ok' || !isRecord(json.value)) {
    throw new UserDataError(`${resolution.folderName} has no readable dataset.json; \`nnunet-doctor dataset ${target}\` says what is wrong`);
  }
  const spec = datasetSpecOf(json);
  if (spec.regionMode) throw new UserDataError(`${resolution.folderName} uses region-based labels, which the sanity network does not train; run it on a dataset with plain labels`);
  const numClasses = spec.labelNames.size;
  if (numClasses < 2) throw new UserDataError(`${resolution.folderName}'s dataset.json declares ${numClasses} label(s); a segmentation needs background and at least one class`);
  const layout = await planLayout(resolution.root, json.value, env);
  // A file can hold several channels (an RGB PNG is R, G and B): the channel count is checked once loaded.
  const complete = layout.cases.filter((c) => c.label && c.images.length > 0 && c.images.length <= spec.channelNames.length);
  const wanted = options.cases ?? SANITY_CASES;
  const data: UserData = { name: resolution.folderName, dims: 3, channelNames: [], numClasses, cases: [], totalCases: complete.length, notes: [] };
  if (complete.length < layout.cases.length) data.notes.push(`${layout.cases.length - complete.length} case(s) without a label or with missing channels left out`);
  for (const planned of complete) {
    if (data.cases.length === wanted) break;
    options.onProgress?.(`reading ${planned.id} (${data.cases.length + 1}/${Math.min(wanted, complete.length)})`);
    const loaded = await loadCase(planned, options.maxVoxels);
    if (typeof loaded === 'string') {
      data.notes.push(`${planned.id} skipped: ${loaded}`);
      continue;
    }
    const dims = loaded.full.shape.length;
    if (loaded.full.channels !== spec.channelNames.length) {
      data.notes.push(`${planned.id} skipped: its images load as ${loaded.full.channels} channel(s), dataset.json declares ${spec.channelNames.length}`);
      continue;
    }
    if (data.cases.length === 0) {
      data.dims = dims as 2 | 3;
      data.channelNames = channelNamesOf(spec.channelNames, loaded.componentsPerFile);
    } else if (dims !== data.dims || loaded.full.channels !== data.cases[0]!.channels) {
      data.notes.push(`${planned.id} skipped: ${dims}D with ${loaded.full.channels} channel(s), unlike ${data.cases[0]!.caseId}`);
      continue;
    }
    const inputProblem = findInputProblem(loaded, data.channelNames);
    const labelProblem = findLabelProblem(loaded, numClasses, spec.ignoreLabel, data.notes);
    data.problem ??= inputProblem ?? labelProblem;
    data.cases.push(summarize(loaded, data.channelNames, options.patchFor(data.dims)));
  }
  if (data.cases.length < 2) {
    throw new UserDataError(`${data.name}: ${data.cases.length} usable case(s), a sanity run needs 2 (one held out)${data.notes.length ? `; ${data.notes.join('; ')}` : ''}`);
  }
  return data;
}

interface LoadedCase {
  /** The whole case, numpy order; values as stored. */
  full: LabelledVolume;
  files: string[];
  spacingMm: number[];
  componentsPerFile: number[];
  /** Per image file: NaN/Inf voxels and the first one's file coordinates. */
  nonFinite: Pick<LoadedImage, 'nonFinite' | 'firstNonFinite'>[];
}

/** The case's files, or why it cannot be used (unreadable, too large, 4D, shapes that differ). */
async function loadCase(planned: PlannedCase, maxVoxels: number | undefined): Promise<LoadedCase | string> {
  let images: LoadedImage[];
  let label: LoadedLabel;
  try {
    images = [];
    for (const file of planned.images) images.push(await loadVolume(file.absolutePath, 'image', { maxVoxels }));
    label = await loadVolume(planned.label!.absolutePath, 'label', { maxVoxels });
  } catch (error) {
    if (!(error instanceof VolumeLoadError)) throw error;
    const file = [...planned.images, planned.label!].find((f) => f.absolutePath === error.file);
    return `${file?.path ?? error.file}: ${error.reason.message}`;
  }
  const fileShape = label.shape;
  if (fileShape.length < 2 || fileShape.length > 3) return `${planned.label!.path} is ${fileShape.length}D; a sanity run trains 2D or 3D cases`;
  const mismatch = images.findIndex((im) => im.shape.join() !== fileShape.join());
  if (mismatch >= 0) return `${planned.images[mismatch]!.path} is ${images[mismatch]!.shape.join('×')}, its label ${fileShape.join('×')} (nnU-Net stops on this shape mismatch)`;
  const voxels = label.data.length;
  const channels = images.reduce((n, im) => n + im.components, 0);
  // One file per channel is the rule; a single file is used as it is, without a second copy.
  const image = images.length === 1 ? images[0]!.data : new Float32Array(channels * voxels);
  if (images.length > 1) images.reduce((at, im) => (image.set(im.data, at), at + im.data.length), 0);
  // Stored x fastest, so the same bytes are numpy's C order with the axes reversed.
  const shape = [...fileShape].reverse();
  const labels = label.data instanceof Int32Array ? label.data : Int32Array.from(label.data);
  return {
    full: { caseId: planned.id, image, labels, shape, channels },
    files: [...planned.images.map((f) => f.path), planned.label!.path],
    spacingMm: label.spacingMm.slice(0, shape.length).reverse(),
    componentsPerFile: images.map((im) => im.components),
    nonFinite: images.map(({ nonFinite, firstNonFinite }) => ({ nonFinite, firstNonFinite })),
  };
}

/** Statistics of the full case, then the case shrunk for the patch. */
function summarize(loaded: LoadedCase, channelNames: readonly string[], patch: readonly number[]): UserCase {
  const { full } = loaded;
  const voxels = full.labels.length;
  const channel = (c: number) => full.image.subarray(c * voxels, (c + 1) * voxels);
  const foreground = channelNames.map((name, c) => (normalizationFor(name) === 'CTNormalization' ? channel(c).filter((_, i) => full.labels[i]! > 0) : undefined));
  const shrunk = shrinkCase(full, patch);
  return {
    caseId: full.caseId,
    files: loaded.files,
    image: shrunk.volume.image,
    labels: shrunk.volume.labels,
    shape: shrunk.volume.shape,
    channels: full.channels,
    originalShape: full.shape,
    spacingMm: loaded.spacingMm,
    stats: channelNames.map((_, c) => channelStatistics(channel(c))),
    foreground,
    factor: shrunk.factor,
    cropped: shrunk.cropped,
  };
}

/** One name per network channel: an RGB file's three channels take consecutive channel_names entries. */
function channelNamesOf(names: readonly string[], componentsPerFile: readonly number[]): string[] {
  const total = componentsPerFile.reduce((a, b) => a + b, 0);
  return Array.from({ length: total }, (_, i) => names[i] ?? names[0] ?? 'image');
}

function findInputProblem(loaded: LoadedCase, channelNames: readonly string[]): SanityProblem | undefined {
  const files = loaded.files;
  const index = loaded.nonFinite.findIndex((im) => im.nonFinite > 0);
  if (index < 0) return undefined;
  const im = loaded.nonFinite[index]!;
  // An RGB file holds several channels; it starts at this one.
  const channel = loaded.componentsPerFile.slice(0, index).reduce((a, b) => a + b, 0);
  return {
    kind: 'input',
    step: 0,
    tensor: 'data',
    cause: 'the input already contained NaN/Inf',
    detail: `${files[index]} (case ${loaded.full.caseId}, channel ${channel} "${channelNames[channel]}") holds ${im.nonFinite} NaN/Inf voxel(s), the first at ${voxelText(im.firstNonFinite!)}; nnU-Net's normalization spreads one NaN to the whole case and the loss becomes NaN at the first batch that contains it. Replace NaN/Inf in the image files (nnU-Net checks NaN only with --verify_dataset_integrity, and never Inf).`,
    caseIds: [loaded.full.caseId],
  };
}

/** "voxel (x, y, z) = (5, 5, 3)": file coordinates, fastest axis first, as viewers show them. */
function voxelText(coordinates: readonly number[]): string {
  return `voxel (${['x', 'y', 'z'].slice(0, coordinates.length).join(', ')}) = (${coordinates.join(', ')})`;
}

/**
 * Label values must be 0..classes-1 (nnunetv2/utilities/label_handling/label_handling.py). The ignore
 * label becomes background here: the sanity loss has no ignore mask (said in the notes).
 */
function findLabelProblem(loaded: LoadedCase, numClasses: number, ignoreLabel: number | undefined, notes: string[]): SanityProblem | undefined {
  const labels = loaded.full.labels;
  let ignored = 0;
  let bad = 0;
  const badValues = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v === ignoreLabel) {
      labels[i] = 0;
      ignored++;
    } else if (v < 0 || v >= numClasses) {
      bad++;
      if (badValues.size < 5) badValues.add(v);
    }
  }
  if (ignored > 0) notes.push(`${loaded.full.caseId}: ${ignored} voxel(s) of the ignore label ${ignoreLabel} trained as background (the sanity loss has no ignore mask)`);
  if (bad === 0) return undefined;
  const values = [...badValues].sort((a, b) => a - b);
  return {
    kind: 'label',
    step: 0,
    tensor: 'target',
    cause: 'label out of range',
    detail: `${loaded.files.at(-1)} (case ${loaded.full.caseId}) has ${bad} voxel(s) with label value ${values.join(', ')}, but dataset.json declares ${numClasses} classes (0..${numClasses - 1}); nnU-Net would crash with a CUDA device-side assert or train on garbage`,
    caseIds: [loaded.full.caseId],
  };
}

/**
 * The network for the data: a 3D preset trains 2D data as its 2D twin (same stages and features, the
 * in-plane patch). A 2D network cannot train 3D cases here (nnU-Net's 2d configuration slices them).
 */
export function networkForData(base: UNetConfig, dims: 2 | 3): UNetConfig {
  if (base.dims === dims) return base;
  if (dims === 3) throw new UserDataError(`the ${base.name} network is 2D and this dataset is 3D; use a 3D preset (tiny)`);
  return {
    ...base,
    name: `${base.name} (2D)`,
    dims: 2,
    kernelSizes: base.kernelSizes.map((k) => k.slice(-2)),
    strides: base.strides.map((s) => s.slice(-2)),
    patchSize: base.patchSize.slice(-2),
  };
}
