import type { Geometry } from './types.js';

/** Row-major 3×3 rotation from a NIfTI quaternion (b, c, d; a implied), the third column times qfac. */
export function quaternionToMatrix(b: number, c: number, d: number, qfac: number): number[] {
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // nifti1_io's rule for a slightly non-unit quaternion: renormalise b, c, d and take a = 0.
    const norm = Math.sqrt(b * b + c * c + d * d);
    [a, b, c, d] = [0, b / norm, c / norm, d / norm];
  } else {
    a = Math.sqrt(a);
  }
  return [
    a * a + b * b - c * c - d * d, 2 * (b * c - a * d), qfac * 2 * (b * d + a * c),
    2 * (b * c + a * d), a * a + c * c - b * b - d * d, qfac * 2 * (c * d - a * b),
    2 * (b * d - a * c), 2 * (c * d + a * b), qfac * (a * a + d * d - c * c - b * b),
  ];
}

/**
 * The rotation and translation of a 3×4 affine (row-major srow_x, srow_y, srow_z), or undefined when its
 * columns, once normalised, are not orthonormal (a shear or a degenerate axis): ITK then uses the qform.
 */
export function rigidFromAffine(srow: readonly number[]): { rotation: number[]; origin: number[] } | undefined {
  const rotation = new Array<number>(9);
  for (let col = 0; col < 3; col++) {
    const norm = Math.hypot(srow[col]!, srow[4 + col]!, srow[8 + col]!);
    if (!(norm > 0) || !Number.isFinite(norm)) return undefined;
    for (let row = 0; row < 3; row++) rotation[row * 3 + col] = srow[row * 4 + col]! / norm;
  }
  for (let i = 0; i < 3; i++) {
    for (let j = i; j < 3; j++) {
      const dot = rotation[i]! * rotation[j]! + rotation[3 + i]! * rotation[3 + j]! + rotation[6 + i]! * rotation[6 + j]!;
      if (Math.abs(dot - (i === j ? 1 : 0)) > 1e-4) return undefined;
    }
  }
  return { rotation, origin: [srow[3]!, srow[7]!, srow[11]!] };
}

/** NIfTI's RAS rotation and origin -> ITK's LPS geometry (x and y negated), cut to the spatial dims. */
export function geometryToLps(shape: number[], spacingMm: number[], ras: { rotation: number[]; origin: number[] }): Geometry {
  const n = spacingMm.length;
  const flip = [-1, -1, 1];
  const direction: number[] = [];
  for (let row = 0; row < n; row++) for (let col = 0; col < n; col++) direction.push(flip[row]! * ras.rotation[row * 3 + col]!);
  return { shape, spacingMm, originMm: ras.origin.slice(0, n).map((v, i) => flip[i]! * v), direction };
}

/** The largest angle, in degrees, between corresponding axes of two direction matrices. */
export function directionAngleDeg(a: readonly number[], b: readonly number[]): number {
  const n = Math.round(Math.sqrt(a.length));
  if (n * n !== b.length) return 180;
  let worst = 0;
  for (let col = 0; col < n; col++) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let row = 0; row < n; row++) {
      const x = a[row * n + col]!;
      const y = b[row * n + col]!;
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    const cos = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
    worst = Math.max(worst, (Math.acos(cos) * 180) / Math.PI);
  }
  return worst;
}
