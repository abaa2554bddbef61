import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/core/exec.js';
import { datasetFindings } from '../../src/dataset/findings.js';
import { judgeScan } from '../../src/dataset/judge-scan.js';
import { DATASET_CHECKS } from '../../src/dataset/problems.js';
import { scanVolumeFile } from '../../src/dataset/read-volume.js';
import { scanDataset } from '../../src/dataset/scanner.js';

/**
 * TIFFs written by tifffile (Debian's python3-tifffile under /usr/bin/python3), the library nnU-Net's
 * Tiff3DIO reads and writes with (nnunetv2/imageio/tif_reader_writer.py): zlib stacks as its writer saves
 * them, plus the variants people bring. Python's numpy gives the expected values.
 */
const WRITE = String.raw`
import json, sys, os
import numpy as np, tifffile
out = sys.argv[1]
rng = np.random.RandomState(3)
files = {}
def save(name, data, **kw):
    tifffile.imwrite(os.path.join(out, name), data, **kw)
    d = data.astype(np.float64)
    files[name] = {"shape": list(data.shape), "min": float(np.nanmin(d)), "max": float(np.nanmax(d)), "nan": int(np.isnan(d).sum())}
stack = rng.randint(-2000, 3000, size=(7, 20, 24)).astype(np.int16)
save("int16_zlib.tif", stack, compression="zlib", rowsperstrip=3)
save("int16_big_endian.tiff", stack.astype(">i2"), byteorder=">")
f = stack.astype(np.float32) / 3; f[3, 4, 5] = np.nan
save("float32_nan_big_endian.tif", f.astype(">f4"), byteorder=">", compression="zlib")
save("int32_labels.tif", (stack % 5).astype(np.int32) + 70000)
save("int16_predictor.tif", stack, compression="zlib", predictor=True)
files["int16_predictor.tif"]["strip"] = int(tifffile.TiffFile(os.path.join(out, "int16_predictor.tif")).pages[3].dataoffsets[0])
save("uint16_tiled.tif", (stack + 2000).astype(np.uint16), tile=(16, 16))
save("grey_2d.tif", stack[0])
save("grey_2d.tiff", stack[0])
save("rgb_stack.tif", rng.randint(0, 255, size=(4, 20, 24, 3)).astype(np.uint8), photometric="rgb")

def case(root, cid, image, label, spacing=(2.0, 0.5, 0.5), image_json=True, label_json=None):
    # photometric: a last axis of 3 would otherwise be written as RGB pages (tifffile.imread returns the same array).
    tifffile.imwrite(os.path.join(root, "imagesTr", cid + "_0000.tif"), image, compression="zlib", photometric="minisblack")
    tifffile.imwrite(os.path.join(root, "labelsTr", cid + ".tif"), label, compression="zlib", photometric="minisblack")
    if image_json: json.dump({"spacing": list(spacing)}, open(os.path.join(root, "imagesTr", cid + ".json"), "w"))
    text = json.dumps({"spacing": list(spacing)}) if label_json is None else label_json
    if text: open(os.path.join(root, "labelsTr", cid + ".json"), "w").write(text)

def dataset(name, n):
    root = os.path.join(out, name)
    for d in ("imagesTr", "labelsTr"): os.makedirs(os.path.join(root, d))
    json.dump({"channel_names": {"0": "microscopy"}, "labels": {"background": 0, "cell": 1}, "numTraining": n, "file_ending": ".tif"},
              open(os.path.join(root, "dataset.json"), "w"))
    return root

def cell(shape, seed):
    r = np.random.RandomState(seed)
    image = r.randint(0, 4000, size=shape).astype(np.int16)
    label = np.zeros(shape, np.uint8); label[1:3, 4:9, 1:3] = 1
    return image, label

healthy = dataset("Dataset301_Cells", 5)
for i in range(5): case(healthy, "cell%d" % i, *cell((6, 16, 20), i))

bad = dataset("Dataset302_BadCells", 6)
case(bad, "ok", *cell((6, 16, 20), 10))
case(bad, "no_json", *cell((6, 16, 20), 11), image_json=False, label_json="")
case(bad, "short_json", *cell((6, 16, 20), 12), label_json='{"spacing": [0.5, 0.5]}')
case(bad, "other_spacing", *cell((6, 16, 20), 13), label_json='{"spacing": [1.0, 0.5, 0.5]}')
image, label = cell((6, 16, 20), 14)
nan = image.astype(np.float32); nan[2, 2, 2] = np.nan
case(bad, "nan", nan, label)
case(bad, "three_wide", *cell((6, 16, 3), 15))
print(json.dumps(files))
`;

interface Expected {
  shape: number[];
  /** Where one deflate strip starts (int16_predictor.tif, read through the tiff package). */
  strip?: number;
  min: number;
  max: number;
  nan: number;
}

let tmp: string;
let files: Record<string, Expected>;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nnunet-doctor-tiff-'));
  const r = await runCommand('/usr/bin/python3', ['-c', WRITE, tmp], { timeoutMs: 60_000 });
  if (!r.ok) throw new Error(`tifffile could not write the test files: ${r.reason}\n${r.stderr}`);
  files = JSON.parse(r.stdout) as Record<string, Expected>;
}, 90_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

// The `cases` part of `nnunet-doctor dataset --json` (schemas/dataset.schema.json), where TIFF headers land.
const schema = JSON.parse(await readFile(new URL('../../schemas/dataset.schema.json', import.meta.url), 'utf8'));
const validateCases = new Ajv({ allErrors: true }).compile({ ...schema, required: ['cases'], properties: { cases: schema.properties.cases } });

const scan = (name: string, role: 'image' | 'label' = 'image') => scanVolumeFile({ absolutePath: path.join(tmp, name), path: name, role });

describe('TIFF files written by tifffile', () => {
  const stacks = ['int16_zlib.tif', 'int16_big_endian.tiff', 'float32_nan_big_endian.tif', 'int32_labels.tif', 'int16_predictor.tif', 'uint16_tiled.tif'];
  it.each(stacks)('%s: pages × rows × columns and every value as numpy sees them', async (name) => {
    const expected = files[name]!;
    const r = await scan(name, name.includes('labels') ? 'label' : 'image');
    expect(r.error).toBeUndefined();
    expect(r.header).toMatchObject({ format: 'tiff', components: 1, geometry: { shape: [...expected.shape].reverse(), originMm: [0, 0, 0] } });
    expect(r.values).toMatchObject({ voxels: expected.shape.reduce((a, b) => a * b, 1), nan: expected.nan });
    expect(r.values!.min).toBeCloseTo(expected.min, 3);
    expect(r.values!.max).toBeCloseTo(expected.max, 3);
  });

  it('counts the values of 32-bit integer labels, which the tiff package cannot decode', async () => {
    const r = await scan('int32_labels.tif', 'label');
    expect(r.values!.valueCounts!.map(([v]) => v)).toEqual([70000, 70001, 70002, 70003, 70004]);
  });

  it('reads a single .tif page as a 2D natural image, and refuses it as .tiff like Tiff3DIO', async () => {
    expect((await scan('grey_2d.tif')).header).toMatchObject({ format: 'tiff', geometry: { shape: [24, 20], spacingMm: [1, 1] } });
    expect((await scan('grey_2d.tiff')).error).toMatchObject({ kind: 'unsupported', message: expect.stringContaining('Only 3D images are supported') });
    expect((await scan('rgb_stack.tif')).error).toMatchObject({ kind: 'unsupported', message: expect.stringContaining('4D') });
  });

  it('reports cut, corrupt and foreign files instead of crashing', async () => {
    const good = await readFile(path.join(tmp, 'int16_zlib.tif'));
    await writeFile(path.join(tmp, 'cut.tif'), good.subarray(0, Math.floor(good.length * 0.6)));
    expect((await scan('cut.tif')).error).toMatchObject({ kind: 'truncated', message: expect.stringContaining('cut download') });
    const corrupt = Buffer.from(good);
    for (let i = good.length - 200; i < good.length - 150; i++) corrupt[i] = 0xa5; // inside the deflate strips
    await writeFile(path.join(tmp, 'corrupt.tif'), corrupt);
    expect((await scan('corrupt.tif')).error).toMatchObject({ kind: 'not-gzip', message: expect.stringContaining('corrupt') });
    const predicted = await readFile(path.join(tmp, 'int16_predictor.tif'));
    predicted.fill(0xa5, files['int16_predictor.tif']!.strip! + 10, files['int16_predictor.tif']!.strip! + 40);
    await writeFile(path.join(tmp, 'corrupt_predictor.tif'), predicted);
    expect((await scan('corrupt_predictor.tif')).error).toMatchObject({ kind: 'not-gzip', message: expect.stringContaining('corrupt') });
    await writeFile(path.join(tmp, 'text.tif'), 'not an image at all');
    expect((await scan('text.tif')).error).toMatchObject({ kind: 'bad-header', message: expect.stringContaining('not a TIFF') });
    const lying = Buffer.from(good);
    lying.writeUInt32LE(0xfffffff0, 4); // first IFD offset far past the end
    await writeFile(path.join(tmp, 'lying.tif'), lying);
    expect((await scan('lying.tif')).error).toMatchObject({ kind: 'truncated' });
  });
});

describe('TIFF datasets', () => {
  it('a dataset written like nnU-Net writes TIFFs (zlib + <case>.json) scans clean, sidecars included', async () => {
    const root = path.join(tmp, 'Dataset301_Cells');
    const before = await checksums(root);
    const result = await scanDataset(root, { workers: 2 });
    const findings = DATASET_CHECKS.flatMap((check) => datasetFindings({ ok: true, scan: result }, check));
    expect(findings.filter((f) => f.status === 'warn' || f.status === 'fail')).toEqual([]);
    expect(result.cases).toHaveLength(5);
    expect(validateCases({ cases: result.cases }), JSON.stringify(validateCases.errors)).toBe(true);
    // Sidecar [z, y, x] = [2, 0.5, 0.5] in array order; geometry is fastest axis first.
    expect(result.cases[0]!.label!.header!.geometry).toMatchObject({ shape: [20, 16, 6], spacingMm: [0.5, 0.5, 2] });
    expect(await checksums(root)).toEqual(before);
  });

  it('each defect gives its finding on its case', async () => {
    const root = path.join(tmp, 'Dataset302_BadCells');
    await writeFile(path.join(root, 'imagesTr', 'notes.txt'), 'a real stray file');
    const result = await scanDataset(root, { workers: 2 });
    expect(validateCases({ cases: result.cases }), JSON.stringify(validateCases.errors)).toBe(true);
    const problems = judgeScan(result);
    const found = problems.filter((p) => p.status !== 'info').map((p) => `${p.status} ${p.check}:${p.kind} ${p.caseId ?? p.path}`);
    expect(found.sort()).toEqual(
      [
        'warn geometry:tiff-no-spacing no_json',
        'warn geometry:tiff-no-spacing no_json',
        'fail geometry:tiff-spacing-file short_json',
        'fail geometry:spacing other_spacing',
        'fail values:nan nan',
        'fail geometry:tif-rgb three_wide',
        'fail geometry:tif-rgb three_wide',
        'warn files:other-ending imagesTr/notes.txt',
      ].sort(),
    );
    const missing = problems.find((p) => p.kind === 'tiff-no-spacing')!;
    expect(missing).toMatchObject({ path: 'imagesTr/no_json.json', message: expect.stringContaining('1 × 1 × 1') });
    // dataset.json naming Tiff3DIO: nnU-Net never tries NaturalImage2DIO, so the narrow stack is a stack.
    const json = result.datasetJson.state === 'ok' ? (result.datasetJson.value as Record<string, unknown>) : {};
    const forced = judgeScan({ ...result, datasetJson: { state: 'ok', value: { ...json, overwrite_image_reader_writer: 'Tiff3DIO' } } });
    expect(forced.filter((p) => p.kind === 'tif-rgb')).toEqual([]);
    expect(forced.filter((p) => p.kind === 'tiff-no-spacing')).toHaveLength(2);
  });
});

async function checksums(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(root, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
  }
  return out;
}
