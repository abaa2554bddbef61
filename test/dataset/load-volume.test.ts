import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { niftiBytes, writeMha, writeNifti, writeNrrd, writePng, type VolumeSpec } from '../../fixtures/dataset/writers.js';
import { runCommand } from '../../src/core/exec.js';
import { loadVolume, VolumeLoadError } from '../../src/dataset/load-volume.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nnunet-doctor-load-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const shape = [5, 4, 3];
const ramp = Array.from({ length: 60 }, (_, i) => i * 3 - 70);
const spec = (values: ArrayLike<number>, dtype: VolumeSpec['dtype'] = 'int16'): VolumeSpec => ({ shape, dtype, values, spacing: [0.5, 0.75, 2], originRas: [10, 20, 30] });
const file = (name: string) => path.join(tmp, name);

async function loadError(promise: Promise<unknown>): Promise<VolumeLoadError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(VolumeLoadError);
  return error as VolumeLoadError;
}

describe('loadVolume', () => {
  it.each([
    ['NIfTI-1 .nii.gz', 'a.nii.gz', {}],
    ['NIfTI-1 big-endian .nii', 'b.nii', { bigEndian: true }],
    ['NIfTI-2 .nii.gz', 'c.nii.gz', { version: 2 as const }],
  ])('reads every voxel of a %s with its geometry (LPS)', async (_, name, options) => {
    await writeNifti(file(name), spec(ramp), options);
    const image = await loadVolume(file(name), 'image');
    expect(Array.from(image.data)).toEqual(ramp);
    expect(image).toMatchObject({ shape, components: 1, nonFinite: 0 });
    expect(image.spacingMm.map((s) => Number(s.toFixed(4)))).toEqual([0.5, 0.75, 2]);
    expect(image.originMm).toEqual([-10, -20, 30]);
  });

  it('applies NIfTI scl_slope/scl_inter to images, as readers do', async () => {
    await writeNifti(file('scaled.nii.gz'), spec(ramp), { scale: { slope: 2, inter: -1 } });
    expect(Array.from((await loadVolume(file('scaled.nii.gz'), 'image')).data)).toEqual(ramp.map((v) => v * 2 - 1));
  });

  it('reads NRRD and MetaImage (compressed) the same, and makes multi-component data planar', async () => {
    await writeNrrd(file('a.nrrd'), spec(ramp), { gzip: true });
    await writeMha(file('a.mha'), spec(ramp), { compressed: true });
    for (const name of ['a.nrrd', 'a.mha']) expect(Array.from((await loadVolume(file(name), 'image')).data)).toEqual(ramp);
    // Two components per voxel, stored interleaved: (v, -v) for each voxel.
    const interleaved = ramp.flatMap((v) => [v, -v]);
    await writeNrrd(file('vector.nrrd'), { ...spec(interleaved), shape }, { components: 2 });
    const vector = await loadVolume(file('vector.nrrd'), 'image');
    expect(vector.components).toBe(2);
    expect(Array.from(vector.data)).toEqual([...ramp, ...ramp.map((v) => -v)]);
  });

  it('reads an RGB PNG as three planar channels and a grey PNG mask as a compact label', async () => {
    const rgb = Array.from({ length: 6 * 4 * 3 }, (_, i) => (i * 11) % 256);
    await writePng(file('rgb.png'), 6, 4, rgb, { channels: 3, filter: 4 });
    const image = await loadVolume(file('rgb.png'), 'image');
    expect(image).toMatchObject({ shape: [6, 4], components: 3 });
    expect(Array.from(image.data.subarray(0, 24))).toEqual(rgb.filter((_, i) => i % 3 === 0));
    expect(Array.from(image.data.subarray(48))).toEqual(rgb.filter((_, i) => i % 3 === 2));
    await writePng(file('mask.png'), 6, 4, Array.from({ length: 24 }, (_, i) => (i < 5 ? 1 : 0)));
    const mask = await loadVolume(file('mask.png'), 'label');
    expect(mask.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(mask.data).filter((v) => v === 1)).toHaveLength(5);
  });

  it('keeps 8-bit labels in a Uint8Array and wider ones in an Int32Array', async () => {
    const labels = ramp.map((_, i) => i % 3);
    await writeNifti(file('l8.nii.gz'), spec(labels, 'uint8'));
    await writeNifti(file('l16.nii.gz'), spec(labels.map((v) => v * 300), 'int16'));
    const l8 = await loadVolume(file('l8.nii.gz'), 'label');
    const l16 = await loadVolume(file('l16.nii.gz'), 'label');
    expect(l8.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(l8.data)).toEqual(labels);
    expect(l16.data).toBeInstanceOf(Int32Array);
    expect(Array.from(l16.data)).toEqual(labels.map((v) => v * 300));
  });

  it('counts NaN/Inf image voxels and names the first by its coordinates', async () => {
    const values = ramp.map((v, i) => (i === 1 + 5 * (2 + 4 * 1) ? Number.NaN : i === 59 ? Infinity : v));
    await writeNifti(file('nan.nii.gz'), spec(values, 'float32'));
    const image = await loadVolume(file('nan.nii.gz'), 'image');
    expect(image.nonFinite).toBe(2);
    expect(image.firstNonFinite).toEqual([1, 2, 1]);
  });

  it('refuses an interpolated (non-integer) label map with the voxel named', async () => {
    await writeNifti(file('soft.nii.gz'), spec(ramp.map((v, i) => (i === 7 ? 0.5 : 0)), 'float32'));
    const error = await loadError(loadVolume(file('soft.nii.gz'), 'label'));
    expect(error.reason.kind).toBe('bad-label');
    expect(error.message).toMatch(/soft\.nii\.gz: label voxel \(2, 1, 0\) holds 0\.5/);
  });

  it('refuses a header that promises more voxels than the file holds, before allocating for it', async () => {
    // 30000^3 int16 voxels would be 54 TB: refused by the size check, not by a failed allocation.
    await writeFile(file('liar.nii'), niftiBytes(spec(ramp), { dims: [30000, 30000, 30000] }));
    const error = await loadError(loadVolume(file('liar.nii'), 'image'));
    expect(error.reason.kind).toBe('size-mismatch');
    expect(error.message).toMatch(/the header promises 30000×30000×30000 int16 voxels/);
  });

  it('refuses a truncated compressed file and a .gz that is not gzip', async () => {
    await writeFile(file('cut.nii.gz'), niftiBytes(spec(ramp), { gzip: true, truncateBytes: 20 }));
    expect((await loadError(loadVolume(file('cut.nii.gz'), 'image'))).reason.kind).toMatch(/truncated|size-mismatch/);
    await writeFile(file('plain.nii.gz'), niftiBytes(spec(ramp)));
    expect((await loadError(loadVolume(file('plain.nii.gz'), 'image'))).reason.kind).toBe('not-gzip');
  });

  it('caps what it loads, with the size in the message', async () => {
    await writeNifti(file('big.nii.gz'), spec(ramp));
    const error = await loadError(loadVolume(file('big.nii.gz'), 'image', { maxVoxels: 59 }));
    expect(error.reason.kind).toBe('too-large');
    expect(error.message).toMatch(/5×4×3 voxels is more than the 59 a sanity run loads per file/);
  });

  it('reads a file written by nibabel voxel for voxel (value = x + 10y + 100z)', async () => {
    const script = [
      'import sys, numpy as np, nibabel as nib',
      'x, y, z = np.meshgrid(np.arange(6), np.arange(5), np.arange(4), indexing="ij")',
      'data = (x + 10 * y + 100 * z).astype(np.float32)',
      'nib.save(nib.Nifti1Image(data, np.diag([0.7, 0.8, 3.0, 1.0])), sys.argv[1])',
    ].join('\n');
    const r = await runCommand('/usr/bin/python3', ['-c', script, file('nib.nii.gz')], { timeoutMs: 60_000 });
    expect(r.ok, r.ok ? '' : r.reason).toBe(true);
    const image = await loadVolume(file('nib.nii.gz'), 'image');
    expect(image.shape).toEqual([6, 5, 4]);
    image.data.forEach((v, i) => expect(v).toBe((i % 6) + 10 * (Math.floor(i / 6) % 5) + 100 * Math.floor(i / 30)));
    expect(image.spacingMm.map((s) => Number(s.toFixed(3)))).toEqual([0.7, 0.8, 3]);
  });
});

describe('uncompressed NRRD and MetaImage (the scanner shares this reader)', () => {
  it('are read, and a cut one is refused with the byte counts', async () => {
    await writeNrrd(file('raw.nrrd'), spec(ramp));
    await writeMha(file('raw.mha'), spec(ramp));
    for (const name of ['raw.nrrd', 'raw.mha']) expect(Array.from((await loadVolume(file(name), 'image')).data)).toEqual(ramp);
    const { scanVolumeFile } = await import('../../src/dataset/read-volume.js');
    const scan = await scanVolumeFile({ absolutePath: file('raw.mha'), path: 'raw.mha', role: 'image' });
    expect(scan.error).toBeUndefined();
    expect(scan.values).toMatchObject({ voxels: 60, min: -70, max: 107 });
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(file('raw.mha'));
    await writeFile(file('cut.mha'), bytes.subarray(0, bytes.length - 10));
    const error = await loadError(loadVolume(file('cut.mha'), 'image'));
    expect(error.message).toMatch(/the header promises 5×4×3 int16 voxels \(120 bytes\) from byte \d+, but the file has only \d+ bytes/);
  });
});
