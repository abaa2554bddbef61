import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFECTS, writeDefectDataset, writeHealthyDataset, writeRgbPngDataset, type Format } from '../../fixtures/dataset/generate.js';
import { writePng } from '../../fixtures/dataset/writers.js';
import { datasetFindings } from '../../src/dataset/findings.js';
import { DATASET_CHECKS } from '../../src/dataset/problems.js';
import { scanDataset, type DatasetScan } from '../../src/dataset/scanner.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nnunet-doctor-scan-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function allFindings(scan: DatasetScan) {
  return DATASET_CHECKS.flatMap((check) => datasetFindings({ ok: true, scan }, check).map((f) => ({ check, ...f })));
}

/** sha256 of every regular file under a folder, by relative path; names kept as raw bytes (non-UTF-8 too). */
async function checksums(root: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const dir = Buffer.from(path.join(root, prefix), 'latin1');
  for (const entry of await readdir(dir, { withFileTypes: true, encoding: 'buffer' })) {
    const rel = path.join(prefix, entry.name.toString('latin1'));
    const full = Buffer.from(path.join(root, rel), 'latin1');
    if (entry.isDirectory()) Object.assign(out, await checksums(root, rel));
    else if (entry.isFile()) out[rel] = createHash('sha256').update(await readFile(full)).digest('hex');
  }
  return out;
}

describe('scanDataset on healthy datasets', () => {
  const formats: Format[] = ['nii.gz', 'nii', 'nrrd', 'mha', 'png'];
  it.each(formats)('a healthy %s dataset has no warnings or failures, and reads every voxel', async (format) => {
    const root = path.join(tmp, `Dataset00${formats.indexOf(format) + 1}_Healthy`);
    await writeHealthyDataset(root, { format, cases: 5 });
    const scan = await scanDataset(root, { workers: 2 });
    const bad = allFindings(scan).filter((f) => f.status !== 'pass' && f.status !== 'info');
    expect(bad).toEqual([]);
    expect(scan.cases).toHaveLength(5);
    const voxels = format === 'png' ? 24 * 20 : 20 * 18 * 8;
    for (const c of scan.cases) {
      expect(c.images[0]!.values!.voxels).toBe(voxels);
      expect(c.label!.values!.valueCounts!.map(([v]) => v)).toEqual([0, 1, 2]);
    }
  });

  it('a two-channel dataset pairs channels by suffix and leaves the tree byte-identical', async () => {
    const root = path.join(tmp, 'Dataset010_TwoChannels');
    await writeHealthyDataset(root, { channels: ['T1', 'T2'], cases: 6 });
    const before = await checksums(root);
    const scan = await scanDataset(root, { workers: 2 });
    expect(allFindings(scan).filter((f) => f.status === 'warn' || f.status === 'fail')).toEqual([]);
    expect(scan.cases.map((c) => c.images.map((i) => path.basename(i.path)))[0]).toEqual(['case_000_0000.nii.gz', 'case_000_0001.nii.gz']);
    expect(await checksums(root)).toEqual(before);
  });
});

describe('scanDataset on an RGB PNG dataset', () => {
  it('one file holding R, G and B scans clean (nnU-Net counts channels after reading); a grey file for three channels does not', async () => {
    const root = path.join(tmp, 'Dataset011_Rgb');
    await writeRgbPngDataset(root);
    const scan = await scanDataset(root, { workers: 2 });
    // Only the advice on R/G/B names (z-score, not rgb_to_0_1) remains: no file, channel or geometry problem.
    const bad = allFindings(scan).filter((f) => f.status === 'warn' || f.status === 'fail');
    expect(bad.map((f) => `${f.check}:${(f.evidence as { kind?: string }).kind}`)).toEqual(['json:rgb-zscore']);
    expect(scan.cases.map((c) => c.images.map((i) => i.header!.components))).toEqual([[3], [3], [3], [3], [3]]);

    await writePng(path.join(root, 'imagesTr', 'case_000_0000.png'), 24, 20, Array.from({ length: 24 * 20 }, (_, i) => i % 200));
    const missing = allFindings(await scanDataset(root, { workers: 1 })).filter((f) => (f.evidence as { kind?: string } | undefined)?.kind === 'missing-channels');
    expect(missing.map((f) => [f.status, (f.evidence as { cases: string[] }).cases])).toEqual([['fail', ['case_000']]]);
  });
});

describe('scanDataset finds every defect', () => {
  it.each(DEFECTS.map((d) => [d.name, d] as const))('%s', async (_name, defect) => {
    const root = path.join(tmp, `Dataset${String(DEFECTS.indexOf(defect) + 100).padStart(3, '0')}_Defect`);
    await writeDefectDataset(root, defect);
    const before = await checksums(root);
    const scan = await scanDataset(root, { workers: 1 });
    const findings = allFindings(scan).filter((f) => f.check === defect.expect.check && (f.evidence as { kind?: string } | undefined)?.kind === defect.expect.kind);
    expect(findings.map((f) => f.status)).toContain(defect.expect.status);
    const finding = findings.find((f) => f.status === defect.expect.status)!;
    expect(finding.summary.length).toBeGreaterThan(10);
    expect(finding.fix).toBeTruthy();
    if (defect.expect.caseId) expect((finding.evidence as { cases: string[] }).cases).toContain(defect.expect.caseId);
    // Bad input never changes the dataset.
    expect(await checksums(root)).toEqual(before);
  });
});
