import { fillNormal, seededRandom } from '../init.js';
import { product } from '../../util/math.js';

/**
 * A learnable synthetic segmentation task: Gaussian noise with bright spheres (class 1) and dark boxes
 * (class 2), so a network that trains at all separates them within a few dozen steps.
 */
export interface LabelledVolume {
  caseId: string;
  /** [channels, ...shape] float32. */
  image: Float32Array;
  /** [...shape] label values. */
  labels: Int32Array;
  shape: number[];
  channels: number;
}

const CONTRAST = 2;

export function syntheticVolume(shape: readonly number[], channels: number, classes: number, seed: number): LabelledVolume {
  const rand = seededRandom(seed);
  const voxels = product(shape);
  const labels = new Int32Array(voxels);
  const objects = 2 + Math.floor(rand() * 3);
  for (let o = 0; o < objects; o++) {
    const cls = 1 + (o % Math.max(1, classes - 1));
    const centre = shape.map((d) => d * (0.2 + 0.6 * rand()));
    const radius = shape.map((d) => Math.max(2, d * (0.08 + 0.12 * rand())));
    const box = cls % 2 === 0;
    forEachVoxel(shape, (index, coords) => {
      const inside = box
        ? coords.every((c, a) => Math.abs(c - centre[a]!) <= radius[a]!)
        : coords.reduce((s, c, a) => s + ((c - centre[a]!) / radius[a]!) ** 2, 0) <= 1;
      if (inside) labels[index] = cls;
    });
  }
  const image = fillNormal(new Float32Array(voxels * channels), 1, rand);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < voxels; i++) {
      const label = labels[i]!;
      if (label > 0) image[c * voxels + i]! += (label % 2 === 1 ? 1 : -1) * CONTRAST;
    }
  }
  return { caseId: `synthetic_${seed}`, image, labels, shape: [...shape], channels };
}

/** Calls `visit(flatIndex, coords)` for every voxel in C order. */
export function forEachVoxel(shape: readonly number[], visit: (index: number, coords: readonly number[]) => void): void {
  const coords = shape.map(() => 0);
  const voxels = product(shape);
  for (let index = 0; index < voxels; index++) {
    visit(index, coords);
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++coords[a]! < shape[a]!) break;
      coords[a] = 0;
    }
  }
}
