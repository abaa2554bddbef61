import { describe, expect, it } from 'vitest';
import check from '../../checks/dataset.geometry.js';
import { datasetFact, healthyCase, NO_DATASET } from './dataset-facts.js';

const judge = async (label: Parameters<typeof healthyCase>[1]) =>
  (await check.run({ dataset: datasetFact({ cases: [healthyCase('case_a', label), healthyCase('case_b')] }) })) as { status: string; summary: string; evidence?: { kind: string } }[];

describe('dataset.geometry', () => {
  it('skips without a dataset and passes matching geometry', async () => {
    expect(await check.run({ dataset: NO_DATASET })).toMatchObject([{ status: 'skip' }]);
    expect(await judge({})).toMatchObject([{ status: 'pass' }]);
  });

  it('fails on a spacing mismatch beyond numpy.allclose and accepts float noise within it', async () => {
    expect(await judge({ label: { geometry: { spacingMm: [0.8, 0.8, 2.5] } } })).toMatchObject([{ status: 'fail', evidence: { kind: 'spacing' } }]);
    expect(await judge({ label: { geometry: { spacingMm: [0.8000001, 0.8, 2] } } })).toMatchObject([{ status: 'pass' }]);
  });

  it('judges origin offsets in millimetres: under half a voxel warns, more fails', async () => {
    const small = await judge({ label: { geometry: { originMm: [10.01, 20, 30] } } });
    expect(small).toMatchObject([{ status: 'warn', evidence: { kind: 'origin' } }]);
    expect(small[0]!.summary).toMatch(/0\.01 mm/);
    expect(await judge({ label: { geometry: { originMm: [15, 20, 30] } } })).toMatchObject([{ status: 'fail', evidence: { kind: 'origin' } }]);
  });

  it('reports turned axes in degrees, a 4D file and 2D data stored as 3D', async () => {
    const turned = await judge({ label: { geometry: { direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] } } });
    expect(turned[0]!.summary).toMatch(/180\.0°/);
    expect(await judge({ image: { geometry: { shape: [10, 5, 2, 3] } } })).toMatchObject([{ status: 'fail', evidence: { kind: '4d' } }, { status: 'fail', evidence: { kind: 'channel-count' } }]);
    const flat = { geometry: { shape: [10, 5, 1] } };
    expect(await judge({ image: flat, label: flat })).toMatchObject([{ status: 'warn', evidence: { kind: '2d-as-3d' } }]);
  });
});
