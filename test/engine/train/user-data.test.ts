import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeHealthyDataset, writeRgbPngDataset } from '../../../fixtures/dataset/generate.js';
import { niftiBytes } from '../../../fixtures/dataset/writers.js';
import { writeDataset } from '../../../fixtures/nan/datasets.js';
import { preset } from '../../../src/engine/presets.js';
import { loadUserData as load, networkForData, normalizationFor, UserDataError, type UserDataOptions } from '../../../src/engine/train/user-data.js';

/** Patches of 16 voxels per axis: the fixtures' cases are used as they are. */
const loadUserData = (target: string, options: Partial<UserDataOptions> = {}) => load(target, { patchFor: (dims) => Array(dims).fill(16), ...options });

const tmp = mkdtempSync(path.join(os.tmpdir(), 'nnd-user-data-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadUserData', () => {
  it('reads the first five complete cases in numpy axis order, with no problem in a healthy dataset', async () => {
    const root = writeDataset(tmp, 'Dataset601_Healthy');
    const user = await loadUserData(root);
    expect(user).toMatchObject({ name: 'Dataset601_Healthy', dims: 3, channelNames: ['MRI'], numClasses: 2, totalCases: 5 });
    expect(user.problem).toBeUndefined();
    expect(user.cases.map((c) => c.caseId)).toEqual(['case_000', 'case_001', 'case_002', 'case_003', 'case_004']);
    // 16×16×8 on disk (x fastest) is (z, y, x) = (8, 16, 16) for nnU-Net.
    expect(user.cases[0]).toMatchObject({ shape: [8, 16, 16], originalShape: [8, 16, 16], factor: [1, 1, 1], cropped: false, channels: 1 });
    expect(user.cases[0]!.files).toEqual(['imagesTr/case_000_0000.nii.gz', 'labelsTr/case_000.nii.gz']);
    expect(user.cases[0]!.labels.some((v) => v === 1)).toBe(true);
  });

  it('names the file, case and voxel of a NaN before training', async () => {
    const user = await loadUserData(writeDataset(tmp, 'Dataset602_NaN', 'nan-voxel'));
    expect(user.problem).toMatchObject({ kind: 'input', step: 0, tensor: 'data', caseIds: ['case_002'] });
    expect(user.problem!.detail).toMatch(/^imagesTr\/case_002_0000\.nii\.gz \(case case_002, channel 0 "MRI"\) holds 1 NaN\/Inf voxel\(s\), the first at voxel \(x, y, z\) = \(5, 5, 3\)/);
  });

  it('catches a label beyond the declared classes on the full volume', async () => {
    const user = await loadUserData(writeDataset(tmp, 'Dataset603_Labels', 'labels-0-255'));
    expect(user.problem).toMatchObject({ kind: 'label', step: 0, tensor: 'target', caseIds: ['case_000'] });
    expect(user.problem!.detail).toMatch(/labelsTr\/case_000\.nii\.gz \(case case_000\) has \d+ voxel\(s\) with label value 255, but dataset\.json declares 2 classes/);
  });

  it('skips an unreadable case with the reason and takes the next one', async () => {
    const root = writeDataset(tmp, 'Dataset604_Cut');
    const label = path.join(root, 'labelsTr', 'case_001.nii.gz');
    writeFileSync(label, niftiBytes({ shape: [16, 16, 8], dtype: 'uint8', values: new Uint8Array(16 * 16 * 8) }, { gzip: true, truncateBytes: 30 }));
    const user = await loadUserData(root, { cases: 3 });
    expect(user.cases.map((c) => c.caseId)).toEqual(['case_000', 'case_002', 'case_003']);
    expect(user.notes.join('\n')).toMatch(/case_001 skipped: labelsTr\/case_001\.nii\.gz: /);
  });

  it('maps the ignore label to background and says so', async () => {
    const root = writeDataset(tmp, 'Dataset605_Ignore');
    const json = { channel_names: { 0: 'MRI' }, labels: { background: 0, lesion: 1, ignore: 2 }, numTraining: 5, file_ending: '.nii.gz' };
    writeFileSync(path.join(root, 'dataset.json'), JSON.stringify(json));
    const values = new Uint8Array(16 * 16 * 8).map((_, i) => (i < 10 ? 2 : i < 20 ? 1 : 0));
    writeFileSync(path.join(root, 'labelsTr', 'case_000.nii.gz'), niftiBytes({ shape: [16, 16, 8], dtype: 'uint8', values }, { gzip: true }));
    const user = await loadUserData(root, { cases: 2 });
    expect(user.problem).toBeUndefined();
    expect(user.cases[0]!.labels.slice(0, 20)).toEqual(Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1)));
    expect(user.notes).toContain('case_000: 10 voxel(s) of the ignore label 2 trained as background (the sanity loss has no ignore mask)');
  });

  it('reads other formats: NRRD with a CT channel, and 2D PNG', async () => {
    await writeHealthyDataset(path.join(tmp, 'Dataset606_Nrrd'), { format: 'nrrd', cases: 3 });
    const nrrd = await loadUserData(path.join(tmp, 'Dataset606_Nrrd'));
    expect(nrrd).toMatchObject({ dims: 3, channelNames: ['CT'], numClasses: 3 });
    expect(nrrd.cases[0]!.shape).toEqual([8, 18, 20]);
    expect(nrrd.cases[0]!.spacingMm.map((s) => Number(s.toFixed(3)))).toEqual([2.5, 0.8, 0.8]);
    expect(Math.min(...nrrd.cases[0]!.image)).toBeLessThan(-1000);
    // CT channels keep the full volume's foreground intensities for the dataset-wide CT statistics.
    const c0 = nrrd.cases[0]!;
    expect(c0.foreground[0]).toEqual(c0.image.filter((_, i) => c0.labels[i]! > 0));
    await writeHealthyDataset(path.join(tmp, 'Dataset607_Png'), { format: 'png', cases: 2 });
    const png = await loadUserData(path.join(tmp, 'Dataset607_Png'));
    expect(png).toMatchObject({ dims: 2, channelNames: ['grey'] });
    expect(png.cases[0]!.shape).toEqual([20, 24]);
  });

  it('reads an RGB PNG (one file) as the three channels R, G, B that dataset.json declares', async () => {
    await writeRgbPngDataset(path.join(tmp, 'Dataset608_Rgb'), 3);
    const rgb = await loadUserData(path.join(tmp, 'Dataset608_Rgb'));
    expect(rgb).toMatchObject({ dims: 2, channelNames: ['R', 'G', 'B'], totalCases: 3 });
    expect(rgb.cases.map((c) => c.channels)).toEqual([3, 3, 3]);
  });

  it('shrinks a large case right after reading it, keeping whole-case statistics', async () => {
    const root = writeDataset(tmp, 'Dataset609_Shrink');
    const user = await loadUserData(root, { patchFor: () => [2, 2, 2], cases: 2 });
    // z: 8 voxels = 4 patches, kept; y, x: 16 = 8 patches -> every 2nd voxel (8), cropped to 2 patches (4).
    expect(user.cases[0]).toMatchObject({ originalShape: [8, 16, 16], factor: [1, 2, 2], cropped: true, shape: [4, 4, 4] });
    const full = await loadUserData(root, { cases: 2 });
    expect(user.cases[0]!.stats).toEqual(full.cases[0]!.stats);
    const image = full.cases[0]!.image;
    expect(user.cases[0]!.stats[0]!.mean).toBeCloseTo(image.reduce((a, b) => a + b, 0) / image.length, 3);
  });

  it('stacks one file per channel in channel order; only the CT channel keeps foreground intensities', async () => {
    await writeHealthyDataset(path.join(tmp, 'Dataset610_Two'), { cases: 2, channels: ['CT', 'T2'] });
    const user = await loadUserData(path.join(tmp, 'Dataset610_Two'));
    expect(user.channelNames).toEqual(['CT', 'T2']);
    const c0 = user.cases[0]!;
    expect(c0.channels).toBe(2);
    const voxels = c0.labels.length;
    // The CT phantom has air at -1024; the MR-like channel is positive.
    expect(Math.min(...c0.image.subarray(0, voxels))).toBeLessThan(-1000);
    expect(Math.min(...c0.image.subarray(voxels))).toBeGreaterThanOrEqual(0);
    expect(c0.foreground[0]!.length).toBe(c0.labels.filter((v) => v > 0).length);
    expect(c0.foreground[1]).toBeUndefined();
    expect(c0.stats.map((s) => s.min < -1000)).toEqual([true, false]);
  });

  it('refuses what it cannot train on, with the reason', async () => {
    await expect(loadUserData(path.join(tmp, 'nowhere'))).rejects.toThrow(/is not a folder/);
    const root = writeDataset(tmp, 'Dataset608_Regions');
    writeFileSync(path.join(root, 'dataset.json'), JSON.stringify({ channel_names: { 0: 'MRI' }, labels: { background: 0, whole: [1, 2], core: 2 }, regions_class_order: [1, 2], numTraining: 5, file_ending: '.nii.gz' }));
    await expect(loadUserData(root)).rejects.toThrow(UserDataError);
    await expect(loadUserData(root)).rejects.toThrow(/region-based labels/);
  });
});

describe('normalization and network for the data', () => {
  it("maps channel names as nnU-Net's map_channel_name_to_normalization does", () => {
    expect(['CT', 'ct', 'noNorm', 'zscore', 'rescale_to_0_1', 'RGB_to_0_1', 'T2'].map(normalizationFor)).toEqual([
      'CTNormalization', 'CTNormalization', 'NoNormalization', 'ZScoreNormalization', 'RescaleTo01Normalization', 'RGBTo01Normalization', 'ZScoreNormalization',
    ]);
  });

  it('trains 2D data with the 2D twin of a 3D preset, and refuses 3D data for a 2D network', () => {
    const tiny = preset('tiny');
    expect(networkForData(tiny, 3)).toBe(tiny);
    const flat = networkForData(tiny, 2);
    expect(flat).toMatchObject({ dims: 2, patchSize: [32, 32], featuresPerStage: tiny.featuresPerStage });
    expect(flat.kernelSizes.every((k) => k.length === 2) && flat.strides.every((s) => s.length === 2)).toBe(true);
    expect(() => networkForData(preset('2d'), 3)).toThrow(/is 2D and this dataset is 3D/);
  });
});
