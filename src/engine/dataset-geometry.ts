/**
 * A dataset's target spacing and median shape as nnU-Net's ExperimentPlanner derives them, so the planner's
 * topology rules (topology.ts) can size the benchmark network for a dataset that has no plans yet.
 * Sources, best first: nnUNet_preprocessed/<ds>/nnUNetPlans.json (used as is), its
 * dataset_fingerprint.json, or the raw NIfTI headers (shapes before nnU-Net's crop to non-zero).
 */
import { open, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { parseNiftiHeader, NIFTI2_HEADER_BYTES } from '../dataset/nifti.js';
import { ANISOTROPY_THRESHOLD } from '../dataset/summary.js';
import type { DatasetGeometry } from './topology.js';


function percentile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * determine_fullres_target_spacing, then the median resampled shape, transposed so the coarsest axis comes
 * first (determine_transpose). Spacings and shapes are per case in numpy (z, y, x) order.
 */
export function geometryFromCases(spacings: readonly number[][], shapes: readonly number[][], counts: { numTraining: number; inputChannels: number; numClasses: number }): DatasetGeometry {
  const axes = spacings[0]!.map((_, a) => a);
  const target = axes.map((a) => percentile(spacings.map((s) => s[a]!), 0.5));
  const targetSize = axes.map((a) => percentile(shapes.map((s) => s[a]!), 0.5));
  const worst = target.indexOf(Math.max(...target));
  const others = axes.filter((a) => a !== worst);
  const otherSpacings = others.map((a) => target[a]!);
  const anisoSpacing = target[worst]! > ANISOTROPY_THRESHOLD * Math.max(...otherSpacings);
  const anisoVoxels = targetSize[worst]! * ANISOTROPY_THRESHOLD < Math.min(...others.map((a) => targetSize[a]!));
  if (anisoSpacing && anisoVoxels) {
    let t = percentile(spacings.map((s) => s[worst]!), 0.1);
    if (t < Math.max(...otherSpacings)) t = Math.max(Math.max(...otherSpacings), t) + 1e-5;
    target[worst] = t;
  }
  const resampled = shapes.map((shape, i) => shape.map((d, a) => Math.round((spacings[i]![a]! / target[a]!) * d)));
  const median = axes.map((a) => percentile(resampled.map((s) => s[a]!), 0.5));
  const maxAxis = target.indexOf(Math.max(...target));
  const order = [maxAxis, ...axes.filter((a) => a !== maxAxis)];
  return {
    spacing: order.map((a) => target[a]!),
    medianShape: order.map((a) => median[a]!),
    ...counts,
  };
}

export type DatasetSource =
  | { kind: 'plans'; file: string }
  | { kind: 'geometry'; geometry: DatasetGeometry; from: string }
  | { kind: 'none'; reason: string };

type Json = Record<string, unknown>;

/** Finds the best description of a dataset resolved to its raw folder. */
export async function datasetSource(rawRoot: string, folderName: string, env: NodeJS.ProcessEnv): Promise<DatasetSource> {
  const datasetJson = await readJson(path.join(rawRoot, 'dataset.json'));
  const counts = countsOf(datasetJson);
  const preprocessed = env.nnUNet_preprocessed ? path.join(env.nnUNet_preprocessed, folderName) : undefined;
  if (preprocessed) {
    const plans = path.join(preprocessed, 'nnUNetPlans.json');
    if (await readJson(plans)) return { kind: 'plans', file: plans };
    const fingerprint = await readJson(path.join(preprocessed, 'dataset_fingerprint.json'));
    const spacings = fingerprint?.spacings as number[][] | undefined;
    const shapes = fingerprint?.shapes_after_crop as number[][] | undefined;
    if (Array.isArray(spacings) && Array.isArray(shapes) && spacings.length > 0 && spacings.length === shapes.length) {
      return { kind: 'geometry', geometry: geometryFromCases(spacings, shapes, { ...counts, numTraining: counts.numTraining || spacings.length }), from: 'dataset_fingerprint.json' };
    }
  }
  const headers = await rawHeaders(path.join(rawRoot, 'imagesTr'));
  if (headers.length === 0) return { kind: 'none', reason: `no nnUNetPlans.json or dataset_fingerprint.json under nnUNet_preprocessed, and no readable NIfTI images in ${path.join(rawRoot, 'imagesTr')}` };
  return {
    kind: 'geometry',
    geometry: geometryFromCases(headers.map((h) => h.spacing), headers.map((h) => h.shape), { ...counts, numTraining: counts.numTraining || headers.length }),
    from: `the headers of ${headers.length} raw images (before nnU-Net's crop to the non-zero region)`,
  };
}

function countsOf(datasetJson: Json | undefined): { numTraining: number; inputChannels: number; numClasses: number } {
  const channels = datasetJson?.channel_names ?? datasetJson?.modality;
  const labels = datasetJson?.labels;
  return {
    numTraining: typeof datasetJson?.numTraining === 'number' ? datasetJson.numTraining : 0,
    inputChannels: channels && typeof channels === 'object' ? Object.keys(channels).length || 1 : 1,
    numClasses: labels && typeof labels === 'object' ? Object.keys(labels).filter((k) => k !== 'ignore').length || 2 : 2,
  };
}

async function readJson(file: string): Promise<Json | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Channel-0 NIfTI headers of up to `limit` cases, as (z, y, x) shapes and spacings. */
async function rawHeaders(imagesTr: string, limit = 400): Promise<{ shape: number[]; spacing: number[] }[]> {
  const names = (await readdir(imagesTr).catch(() => [] as string[])).filter((n) => /_0000\.nii(\.gz)?$/.test(n)).sort().slice(0, limit);
  const out: { shape: number[]; spacing: number[] }[] = [];
  for (const name of names) {
    try {
      const head = await readHead(path.join(imagesTr, name), name.endsWith('.gz'));
      const { geometry } = parseNiftiHeader(head).header;
      const spatial = Math.min(3, geometry.spacingMm.length);
      if (spatial < 3) continue;
      out.push({ shape: geometry.shape.slice(0, 3).reverse(), spacing: geometry.spacingMm.slice(0, 3).map(Math.abs).reverse() });
    } catch {
      // Unreadable files are the dataset scan's business; the median of the readable ones is enough here.
    }
  }
  return out;
}

async function readHead(file: string, gzipped: boolean): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    if (!gzipped) {
      const buffer = Buffer.alloc(NIFTI2_HEADER_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    }
    const chunks: Buffer[] = [];
    let length = 0;
    const gunzip = handle.createReadStream({ start: 0, highWaterMark: 16 * 1024 }).pipe(createGunzip());
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= NIFTI2_HEADER_BYTES) break;
    }
    gunzip.destroy();
    return Buffer.concat(chunks).subarray(0, NIFTI2_HEADER_BYTES);
  } finally {
    await handle.close();
  }
}
