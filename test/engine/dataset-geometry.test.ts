import { describe, expect, it } from 'vitest';
import { geometryFromCases } from '../../src/engine/dataset-geometry.js';

const counts = { numTraining: 3, inputChannels: 1, numClasses: 2 };

describe('target spacing and median shape (ExperimentPlanner)', () => {
  it('uses the median spacing and puts the coarsest axis first', () => {
    const g = geometryFromCases([[0.8, 0.8, 2], [0.7, 0.7, 2], [0.9, 0.9, 2]], [[300, 300, 100], [320, 320, 110], [280, 280, 90]], counts);
    // Not anisotropic enough (2 < 3 x 0.8): median spacing, axis 2 moved to the front.
    expect(g.spacing).toEqual([2, 0.8, 0.8]);
    expect(g.medianShape).toEqual([100, 300, 300]);
  });

  it('takes the 10th percentile of the coarse axis for anisotropic data', () => {
    const spacings = [[5, 0.6, 0.6], [4, 0.6, 0.6], [3.2, 0.6, 0.6], [4.5, 0.6, 0.6]];
    const shapes = [[20, 320, 320], [24, 320, 320], [30, 320, 320], [22, 320, 320]];
    const g = geometryFromCases(spacings, shapes, counts);
    // percentile([3.2, 4, 4.5, 5], 10) = 3.2 + 0.3 x 0.8 = 3.44
    expect(g.spacing[0]).toBeCloseTo(3.44, 6);
    expect(g.spacing.slice(1)).toEqual([0.6, 0.6]);
    // Resampled slice counts: round(5/3.44*20)=29, round(4/3.44*24)=28, round(3.2/3.44*30)=28, round(4.5/3.44*22)=29.
    expect(g.medianShape[0]).toBe(28.5);
  });
});

describe('a raw dataset without plans', () => {
  it('reads the NIfTI headers (gzip and plain) and orders axes as nnU-Net does', async () => {
    const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { writeNifti } = await import('../../fixtures/dataset/writers.js');
    const { datasetSource } = await import('../../src/engine/dataset-geometry.js');
    const root = await mkdtemp(path.join(tmpdir(), 'geom-'));
    try {
      await mkdir(path.join(root, 'imagesTr'));
      await writeFile(path.join(root, 'dataset.json'), JSON.stringify({ channel_names: { 0: 'CT' }, labels: { background: 0, a: 1, b: 2 }, numTraining: 3 }));
      const shapes = [[64, 48, 20], [60, 50, 22], [66, 46, 18]];
      for (const [i, shape] of shapes.entries()) {
        const values = new Array(shape.reduce((a, b) => a * b, 1)).fill(0);
        await writeNifti(path.join(root, 'imagesTr', `case_${i}_0000.nii${i === 1 ? '' : '.gz'}`), { shape, dtype: 'int16', values, spacing: [0.75, 0.75, 2] });
      }
      const source = await datasetSource(root, 'Dataset009_Test', {});
      if (source.kind !== 'geometry') throw new Error(source.kind);
      expect(source.from).toMatch(/headers of 3 raw images/);
      expect(source.geometry.spacing).toEqual([2, 0.75, 0.75]);
      expect(source.geometry.medianShape).toEqual([20, 48, 64]);
      expect(source.geometry).toMatchObject({ numTraining: 3, inputChannels: 1, numClasses: 3 });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
