import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/core/exec.js';
import { datasetFindings } from '../../src/dataset/findings.js';
import { DATASET_CHECKS } from '../../src/dataset/problems.js';
import { scanVolumeFile } from '../../src/dataset/read-volume.js';
import { scanDataset } from '../../src/dataset/scanner.js';

/**
 * Files written by nibabel (Debian's python3-nibabel under /usr/bin/python3), a writer nobody here wrote:
 * the scanner must read them clean and agree with nibabel on geometry (converted to ITK's LPS) and values.
 */
const WRITE = String.raw`
import json, sys, os
import numpy as np, nibabel as nib
out = sys.argv[1]
rng = np.random.RandomState(7)
def rot_z(deg):
    t = np.deg2rad(deg); c, s = np.cos(t), np.sin(t)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1.0]])
def affine(rotation, zooms, origin):
    a = np.eye(4); a[:3, :3] = rotation @ np.diag(zooms); a[:3, 3] = origin; return a
phantom = rng.randint(-1024, 1500, size=(24, 20, 9)).astype(np.int16)
cases = {}
def save(name, img, scaled=False):
    path = os.path.join(out, name); nib.save(img, path)
    back = nib.load(path); data = np.asanyarray(back.dataobj)
    cases[name] = {"affine": back.affine.tolist(), "zooms": [float(z) for z in back.header.get_zooms()[:3]],
                   "shape": list(back.shape), "min": float(np.nanmin(data)), "max": float(np.nanmax(data))}
save("oblique_int16.nii.gz", nib.Nifti1Image(phantom, affine(rot_z(30), [0.7, 0.7, 3.0], [-120.5, 80.25, 33.0])))
scaled = nib.Nifti1Image(phantom, affine(np.eye(3), [1.0, 1.0, 2.0], [0, 0, 0])); scaled.header.set_slope_inter(0.5, -1024)
save("scaled_int16.nii.gz", scaled)
save("nifti2_float.nii", nib.Nifti2Image(phantom.astype(np.float32) / 7, affine(np.diag([-1.0, 1, 1]), [0.9, 0.8, 1.5], [10, -20, 30])))
save("nifti2_int16.nii.gz", nib.Nifti2Image(phantom, affine(rot_z(-12), [0.5, 0.6, 0.7], [1, 2, 3])))
big = nib.Nifti1Image(phantom.astype(">i2"), affine(np.eye(3), [1.2, 1.2, 1.2], [5, 5, 5]), header=nib.Nifti1Header(endianness=">"))
save("big_endian.nii.gz", big)
qonly = nib.Nifti1Image(phantom, None); qonly.set_qform(affine(rot_z(45), [0.8, 0.8, 2.5], [-3, 4, -5]), code=1); qonly.set_sform(None, code=0)
save("qform_only.nii.gz", qonly)
# A small nibabel-written dataset for the whole scanner.
ds = os.path.join(out, "Dataset201_Nibabel")
for d in ("imagesTr", "labelsTr"): os.makedirs(os.path.join(ds, d))
for i in range(5):
    img = rng.randint(-1000, 1000, size=(16, 14, 6)).astype(np.int16); img[0, 0, 0] = -1024
    lab = np.zeros((16, 14, 6), np.uint8); lab[4:9, 3:8, 1:4] = 1; lab[10:12, 9:11, 2:4] = 2
    aff = affine(rot_z(5 * i), [0.8, 0.8, 2.0], [-50 + i, 20, 10])
    nib.save(nib.Nifti1Image(img, aff), os.path.join(ds, "imagesTr", "case_%03d_0000.nii.gz" % i))
    nib.save(nib.Nifti1Image(lab, aff), os.path.join(ds, "labelsTr", "case_%03d.nii.gz" % i))
json.dump({"channel_names": {"0": "CT"}, "labels": {"background": 0, "a": 1, "b": 2}, "numTraining": 5, "file_ending": ".nii.gz"},
          open(os.path.join(ds, "dataset.json"), "w"))
print(json.dumps(cases))
`;

interface NibabelCase {
  affine: number[][];
  zooms: number[];
  shape: number[];
  min: number;
  max: number;
}

let tmp: string;
let cases: Record<string, NibabelCase>;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nnunet-doctor-nibabel-'));
  const r = await runCommand('/usr/bin/python3', ['-c', WRITE, tmp], { timeoutMs: 60_000 });
  if (!r.ok) throw new Error(`nibabel could not write the test files: ${r.reason}\n${r.stderr}`);
  cases = JSON.parse(r.stdout) as Record<string, NibabelCase>;
}, 90_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** nibabel's RAS affine -> ITK's LPS origin and direction (x and y negated), as SimpleITK reports them. */
function lpsOf(c: NibabelCase) {
  const flip = [-1, -1, 1];
  return {
    origin: [0, 1, 2].map((r) => flip[r]! * c.affine[r]![3]!),
    direction: [0, 1, 2].flatMap((r) => [0, 1, 2].map((col) => (flip[r]! * c.affine[r]![col]!) / c.zooms[col]!)),
  };
}

describe('files written by nibabel', () => {
  const names = ['oblique_int16.nii.gz', 'scaled_int16.nii.gz', 'nifti2_float.nii', 'nifti2_int16.nii.gz', 'big_endian.nii.gz', 'qform_only.nii.gz'];
  it.each(names)('%s: geometry in LPS and value range agree with nibabel', async (name) => {
    const expected = cases[name]!;
    const scan = await scanVolumeFile({ absolutePath: path.join(tmp, name), path: name, role: 'image' });
    expect(scan.error).toBeUndefined();
    const g = scan.header!.geometry;
    expect(g.shape).toEqual(expected.shape);
    g.spacingMm.forEach((s, i) => expect(s).toBeCloseTo(expected.zooms[i]!, 5));
    const lps = lpsOf(expected);
    g.originMm.forEach((o, i) => expect(o).toBeCloseTo(lps.origin[i]!, 4));
    g.direction.forEach((d, i) => expect(d).toBeCloseTo(lps.direction[i]!, 5));
    expect(scan.values!.min).toBeCloseTo(expected.min, 4);
    expect(scan.values!.max).toBeCloseTo(expected.max, 4);
    expect(scan.values!.voxels).toBe(expected.shape.reduce((a, b) => a * b, 1));
  });

  it('reads NIfTI-2 as NIfTI-2 and applies scl_slope/scl_inter', async () => {
    const n2 = await scanVolumeFile({ absolutePath: path.join(tmp, 'nifti2_int16.nii.gz'), path: 'x', role: 'image' });
    expect(n2.header!.format).toBe('nifti2');
    const scaled = await scanVolumeFile({ absolutePath: path.join(tmp, 'scaled_int16.nii.gz'), path: 'x', role: 'image' });
    expect(scaled.header!.scale).toEqual({ slope: 0.5, inter: -1024 });
  });

  it('a dataset written with nibabel scans clean', async () => {
    const scan = await scanDataset(path.join(tmp, 'Dataset201_Nibabel'), { workers: 2 });
    const findings = DATASET_CHECKS.flatMap((check) => datasetFindings({ ok: true, scan }, check));
    expect(findings.filter((f) => f.status === 'warn' || f.status === 'fail')).toEqual([]);
    expect(scan.cases).toHaveLength(5);
    expect(scan.cases.every((c) => c.label!.values!.valueCounts!.map(([v]) => v).join() === '0,1,2')).toBe(true);
  });
});
