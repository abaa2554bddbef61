import type { DatasetSpec } from './judge-json.js';
import { directionAngleDeg } from './orientation.js';
import { problemsOf, type Problem } from './problems.js';
import type { CaseScan, FileScan, Geometry } from './types.js';

/** More distinct values than this in a label map: an image, a JPEG or an interpolated mask, not labels. */
const MANY_LABEL_VALUES = 50;
/** Direction differences at or above this many degrees are misalignment, not rounding. */
const DIRECTION_FAIL_DEG = 1;

/** Everything judged from one case's files: readability, geometry and values. */
export function judgeCase(c: CaseScan, spec: DatasetSpec): Problem[] {
  return [...judgeReadable(c), ...judgeGeometry(c, spec), ...judgeImageValues(c, spec), ...judgeLabelValues(c, spec)];
}

function filesOf(c: CaseScan): FileScan[] {
  return c.label ? [...c.images, c.label] : c.images;
}

export function judgeReadable(c: CaseScan): Problem[] {
  const { list, add } = problemsOf('readable');
  for (const f of filesOf(c)) {
    if (f.error) add(f.error.kind, 'fail', f.error.message, { caseId: c.id, path: f.path });
    for (const note of f.header?.notes ?? []) add('header-note', 'info', note, { caseId: c.id, path: f.path });
  }
  return list;
}

export function judgeGeometry(c: CaseScan, spec: DatasetSpec): Problem[] {
  const { list, add } = problemsOf('geometry');
  const withHeader = (f: FileScan | undefined) => (f?.header ? f : undefined);
  const images = c.images.filter((f) => f.header);
  for (const f of filesOf(c)) {
    const g = f.header?.geometry;
    if (!g) continue;
    const where = { caseId: c.id, path: f.path, evidence: { shape: g.shape, spacingMm: g.spacingMm } };
    if (g.spacingMm.some((s) => !(s > 0) || !Number.isFinite(s))) add('spacing-invalid', 'fail', `spacing ${fmtList(g.spacingMm)} is not positive and finite`, where);
    if (g.shape.length > 3 && g.shape.slice(3).some((n) => n > 1)) {
      add('4d', 'fail', `a 4D file (${g.shape.join('×')}): SimpleITK reads the 4th axis as ${g.shape[3]} channels, NibabelIO refuses it`, where);
    } else if (g.shape.length > 3) {
      add('singleton-4d', 'warn', `stored as 4D with a size-1 4th axis (${g.shape.join('×')}); SimpleITK drops it, NibabelIO refuses the file`, where);
    } else if (g.shape.length === 3 && g.shape.includes(1)) {
      add('2d-as-3d', 'warn', `3D with a size-1 axis (${g.shape.join('×')}): 2D data stored as 3D`, where);
    }
    if (f.role === 'label' && f.header!.components > 1) {
      add('label-components', 'fail', `the label has ${f.header!.components} values per voxel (a multi-component or RGB mask), not one label map`, where);
    }
  }
  judgeTiff(c, spec, add);
  const channels = images.reduce((n, f) => n + f.header!.components * (f.header!.geometry.shape[3] ?? 1), 0);
  if (spec.channelNames.length > 0 && images.length === c.images.length && channels !== spec.channelNames.length && images.length > 0) {
    const components = images.find((f) => f.header!.components > 1);
    add('channel-count', 'fail', `the images load as ${channels} channels, dataset.json declares ${spec.channelNames.length}${components ? ` (${components.path} has ${components.header!.components} values per pixel, e.g. RGB/RGBA)` : ''}`, { caseId: c.id });
  }
  const reference = images[0];
  if (!reference) return list;
  // nnU-Net compares each channel with the first inside the reader, then the label with the images.
  for (const other of [...images.slice(1), withHeader(c.label)]) {
    if (!other) continue;
    compareGeometry(reference, other, add, c.id);
  }
  return list;
}

/**
 * Tiff3DIO (nnunetv2/imageio/tif_reader_writer.py) takes spacing from the first image's sidecar and the
 * label's own; a `.tif` stack is first tried as a 2D natural image, which takes a last axis of 3 or 4 for
 * RGB, unless dataset.json names Tiff3DIO (reader_writer_registry.py then tries nothing else).
 */
function judgeTiff(c: CaseScan, spec: DatasetSpec, add: ReturnType<typeof problemsOf>['add']): void {
  for (const f of [c.images[0], c.label]) {
    const sidecar = f?.header?.sidecar;
    if (!sidecar || sidecar.state === 'ok') continue;
    const where = { caseId: c.id, path: sidecar.path, evidence: { file: f.path } };
    if (sidecar.state === 'missing') add('tiff-no-spacing', 'warn', `no ${sidecar.path}: nnU-Net assumes spacing 1 × 1 × 1 for ${f.path}`, where);
    else add('tiff-spacing-file', 'fail', `${sidecar.path} ${sidecar.message}`, where);
  }
  for (const f of filesOf(c)) {
    const shape = f.header?.format === 'tiff' ? f.header.geometry.shape : [];
    if (spec.readerWriter !== 'Tiff3DIO' && shape.length === 3 && /\.tif$/i.test(f.path) && (shape[0] === 3 || shape[0] === 4)) {
      add('tif-rgb', 'fail', `a ${shape[2]}-slice stack only ${shape[0]} pixels wide: NaturalImage2DIO, tried first for .tif, reads it as a 2D ${shape[0] === 3 ? 'RGB' : 'RGBA'} image`, { caseId: c.id, path: f.path, evidence: { shape } });
    }
  }
}

function compareGeometry(image: FileScan, other: FileScan, add: ReturnType<typeof problemsOf>['add'], caseId: string): void {
  const a = image.header!.geometry;
  const b = other.header!.geometry;
  const what = other.role === 'label' ? 'the label' : other.path;
  const where = { caseId, path: other.path, evidence: { image: summary(a), other: summary(b), against: image.path } };
  const shapeA = spatial(a.shape, a);
  const shapeB = spatial(b.shape, b);
  if (shapeA.join() !== shapeB.join()) {
    add('shape', 'fail', `${what} is ${shapeB.join('×')}, the image ${shapeA.join('×')}`, where);
    return;
  }
  const spacingA = a.spacingMm.map(Math.abs);
  const spacingB = b.spacingMm.map(Math.abs);
  // A broken TIFF sidecar is reported on its own (tiff-spacing-file); its stand-in spacing compares with nothing.
  const spacingKnown = [image, other].every((f) => f.header!.sidecar?.state !== 'invalid');
  if (spacingKnown && !allclose(spacingB, spacingA)) add('spacing', 'fail', `${what} has spacing ${fmtList(spacingB)} mm, the image ${fmtList(spacingA)} mm`, where);
  if (!allclose(a.originMm, b.originMm)) {
    const distanceMm = Math.hypot(...a.originMm.map((v, i) => v - (b.originMm[i] ?? 0)));
    const halfVoxelMm = 0.5 * Math.min(...spacingA);
    add('origin', distanceMm >= halfVoxelMm ? 'fail' : 'warn', `${what}'s origin is ${fmtMm(distanceMm)} away from the image's${distanceMm >= halfVoxelMm ? ` (${(distanceMm / Math.min(...spacingA)).toFixed(1)} voxels)` : ', under half a voxel'}`, where);
  }
  if (!allclose(a.direction, b.direction)) {
    const degrees = directionAngleDeg(a.direction, b.direction);
    add('direction', degrees >= DIRECTION_FAIL_DEG ? 'fail' : 'warn', `${what}'s axes are turned ${degrees.toFixed(degrees < 0.1 ? 4 : 1)}° against the image's`, where);
  }
}

export function judgeImageValues(c: CaseScan, spec: DatasetSpec): Problem[] {
  const { list, add } = problemsOf('values');
  for (const f of c.images) {
    const v = f.values;
    if (!v || f.error) continue;
    const channelName = spec.channelNames[c.images.indexOf(f)] ?? '';
    const where = { caseId: c.id, path: f.path, evidence: { min: v.min, max: v.max, nan: v.nan, posInf: v.posInf, negInf: v.negInf, channel: channelName } };
    if (v.nan > 0) add('nan', 'fail', `${v.nan} NaN voxels`, where);
    if (v.posInf + v.negInf > 0) add('inf', 'fail', `${v.posInf + v.negInf} infinite voxels`, where);
    if (v.min !== null && v.min === v.max) {
      add(v.min === 0 ? 'all-zero' : 'constant', 'warn', v.min === 0 ? 'every voxel is 0' : `every voxel is ${v.min}`, where);
    } else if (v.min !== null && v.max !== null) {
      const name = channelName.toLowerCase();
      if (name === 'ct' && v.min > -500) add('not-hu', 'warn', `values ${fmtRange(v.min, v.max)} do not look like Hounsfield units (air is about -1000)`, where);
      if (name !== 'ct' && v.min <= -900 && v.max >= 300) {
        add('ct-not-named', 'warn', `values ${fmtRange(v.min, v.max)} look like CT in Hounsfield units, but the channel is named "${channelName}"`, where);
      }
      if (name === 'rgb_to_0_1' && (v.min < 0 || v.max > 255)) add('rgb-range', 'fail', `values ${fmtRange(v.min, v.max)} leave 0..255, which rgb_to_0_1 asserts`, where);
    }
  }
  return list;
}

export function judgeLabelValues(c: CaseScan, spec: DatasetSpec): Problem[] {
  const { list, add } = problemsOf('label-values');
  const f = c.label;
  const v = f?.values;
  if (!f || !v || f.error) return list;
  const values = (v.valueCounts ?? []).map(([value]) => value);
  const where = { caseId: c.id, path: f.path, evidence: { values: values.slice(0, 20), distinctValues: v.distinctValues ?? values.length, nonInteger: v.nonInteger } };
  if (v.nan + v.posInf + v.negInf > 0) add('nan', 'fail', `${v.nan} NaN and ${v.posInf + v.negInf} infinite voxels in the label`, where);
  if (v.nonInteger > 0) {
    add('non-integer', 'fail', `${v.nonInteger} voxels are not whole numbers (e.g. ${v.nonIntegerExamples.slice(0, 3).map((x) => +x.toFixed(4)).join(', ')}): an interpolated or resized mask`, where);
  }
  const allowed = spec.allowedLabels;
  const distinct = v.distinctValues ?? values.length;
  const unexpected = allowed ? values.filter((x) => !allowed.includes(x)) : [];
  if (allowed && values.includes(255) && !allowed.includes(255) && values.every((x) => x === 0 || x === 255)) {
    add('0-255', 'fail', 'a 0/255 mask: the foreground is stored as 255', where);
  } else if (distinct > MANY_LABEL_VALUES) {
    add('many-values', 'fail', `${distinct} distinct values: this looks like an image or a lossy (JPEG) mask, not a label map`, where);
  } else if (unexpected.length > 0) {
    add('unexpected', 'fail', `values ${unexpected.slice(0, 10).join(', ')}${unexpected.length > 10 ? ', …' : ''} are not declared in dataset.json (declared: ${allowed!.join(', ')})`, where);
  }
  const foreground = values.filter((x) => x !== 0 && x !== spec.ignoreLabel);
  if (v.nonInteger === 0 && values.length > 0 && foreground.length === 0) add('only-background', 'warn', 'the label holds only background', where);
  return list;
}

/** Rules across cases: mixed 2D/3D, declared classes that never occur. */
export function judgeAcrossCases(cases: readonly CaseScan[], spec: DatasetSpec): Problem[] {
  const geometry = problemsOf('geometry');
  const dims = new Set(cases.flatMap((c) => c.images.flatMap((f) => (f.header ? [f.header.geometry.spacingMm.length] : []))));
  if (dims.size > 1) geometry.add('mixed-dims', 'warn', `the images mix ${[...dims].sort().map((d) => `${d}D`).join(' and ')} files`);
  const labels = problemsOf('label-values');
  const readable = cases.filter((c) => c.label?.values && !c.label.error);
  if (!spec.regionMode && readable.length > 0) {
    const present = new Set(readable.flatMap((c) => (c.label!.values!.valueCounts ?? []).map(([value]) => value)));
    for (const [value, name] of spec.labelNames) {
      if (value !== 0 && !present.has(value)) labels.add('class-absent', 'warn', `label ${value} ("${name}") occurs in no case`, { evidence: { value, name } });
    }
  }
  return [...geometry.list, ...labels.list];
}

/** numpy.allclose(a, b): |a - b| <= 1e-8 + 1e-5 * |b|, elementwise, as nnU-Net compares geometry. */
export function allclose(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) <= 1e-8 + 1e-5 * Math.abs(b[i]!));
}

function spatial(shape: number[], g: Geometry): number[] {
  return shape.slice(0, g.spacingMm.length);
}

function summary(g: Geometry) {
  return { shape: g.shape, spacingMm: g.spacingMm, originMm: g.originMm, direction: g.direction };
}

const fmtList = (values: readonly number[]) => values.map((v) => +v.toPrecision(6)).join(' × ');
const fmtMm = (mm: number) => `${+mm.toPrecision(3)} mm`;
const fmtRange = (min: number, max: number) => `${+min.toPrecision(6)}..${+max.toPrecision(6)}`;
