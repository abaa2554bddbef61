import { datasetSpecOf } from './judge-json.js';
import type { DatasetScan } from './scanner.js';
import type { FileScan } from './types.js';
import { median } from '../util/math.js';

/** nnU-Net treats spacing as anisotropic when max/min > 3 (ANISO_THRESHOLD in nnunetv2/configuration.py, used by the planner and resampling). */
export const ANISOTROPY_THRESHOLD = 3;

export interface DatasetSummary {
  cases: number;
  channels: { index: number; name: string; min: number | null; max: number | null; mean: number | null }[];
  fileEndings: string[];
  formats: string[];
  /** Per axis, fastest first (x, y, z), over every readable image. */
  shape: { min: number[]; max: number[] } | null;
  spacingMm: { min: number[]; max: number[]; median: number[] } | null;
  /** Largest max/min spacing ratio of any case, and how many cases exceed nnU-Net's threshold of 3. */
  anisotropy: { max: number; casesAbove3: number } | null;
  classes: { value: number; name: string; cases: number; voxelShare: number }[];
  files: number;
  fileBytes: number;
  dataBytes: number;
  workers: number;
  durationMs: number;
}

export function summarizeScan(scan: DatasetScan): DatasetSummary {
  const spec = datasetSpecOf(scan.datasetJson);
  const images = scan.cases.map((c) => c.images[0]).filter((f): f is FileScan => Boolean(f?.header));
  const shapes = images.map((f) => f.header!.geometry.shape.slice(0, f.header!.geometry.spacingMm.length));
  const spacings = images.map((f) => f.header!.geometry.spacingMm.map(Math.abs));
  const ratios = spacings.filter((s) => s.every((v) => v > 0)).map((s) => Math.max(...s) / Math.min(...s));
  const channelCount = Math.max(spec.channelNames.length, ...scan.cases.map((c) => c.images.length), 0);
  const channels = Array.from({ length: channelCount }, (_, index) => {
    const stats = scan.cases.map((c) => c.images[index]?.values).filter((v) => v && v.min !== null);
    const voxels = stats.reduce((n, v) => n + v!.voxels, 0);
    return {
      index,
      name: spec.channelNames[index] ?? '',
      min: stats.length ? Math.min(...stats.map((v) => v!.min!)) : null,
      max: stats.length ? Math.max(...stats.map((v) => v!.max!)) : null,
      mean: voxels ? stats.reduce((n, v) => n + v!.mean! * v!.voxels, 0) / voxels : null,
    };
  });
  const labels = scan.cases.map((c) => c.label?.values).filter((v) => v?.valueCounts);
  const totalLabelVoxels = labels.reduce((n, v) => n + v!.voxels, 0);
  const classValues = new Set<number>([...spec.labelNames.keys(), ...labels.flatMap((v) => v!.valueCounts!.map(([value]) => value))]);
  const classes = [...classValues]
    .sort((a, b) => a - b)
    .map((value) => {
      const counts = labels.map((v) => v!.valueCounts!.find(([x]) => x === value)?.[1] ?? 0);
      return {
        value,
        name: spec.labelNames.get(value) ?? (value === spec.ignoreLabel ? 'ignore' : ''),
        cases: counts.filter((n) => n > 0).length,
        voxelShare: totalLabelVoxels ? counts.reduce((a, b) => a + b, 0) / totalLabelVoxels : 0,
      };
    });
  const allFiles = scan.cases.flatMap((c) => (c.label ? [...c.images, c.label] : c.images));
  return {
    cases: scan.cases.length,
    channels,
    fileEndings: [...new Set(allFiles.map((f) => endingOf(f.path)))].sort(),
    formats: [...new Set(allFiles.flatMap((f) => (f.header ? [f.header.format] : [])))].sort(),
    shape: shapes.length ? { min: perAxis(shapes, Math.min), max: perAxis(shapes, Math.max) } : null,
    spacingMm: spacings.length ? { min: perAxis(spacings, Math.min), max: perAxis(spacings, Math.max), median: perAxis(spacings, (...values) => median(values)) } : null,
    anisotropy: ratios.length ? { max: Math.max(...ratios), casesAbove3: ratios.filter((r) => r > ANISOTROPY_THRESHOLD).length } : null,
    classes,
    files: scan.stats.files,
    fileBytes: scan.stats.fileBytes,
    dataBytes: scan.stats.dataBytes,
    workers: scan.stats.workers,
    durationMs: scan.stats.durationMs,
  };
}

function perAxis(rows: number[][], reduce: (...values: number[]) => number): number[] {
  const axes = Math.max(...rows.map((r) => r.length));
  return Array.from({ length: axes }, (_, i) => reduce(...rows.flatMap((r) => (r[i] === undefined ? [] : [r[i]!]))));
}

function endingOf(file: string): string {
  const match = /(\.[A-Za-z0-9]+(\.gz)?)$/.exec(file);
  return match ? match[1]! : '';
}
