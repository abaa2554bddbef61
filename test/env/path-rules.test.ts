import { describe, expect, it } from 'vitest';
import { judgePaths } from '../../src/env/path-rules.js';
import type { PathVariable } from '../../src/env/nnunet-vars.js';
import type { PathStat, PathVariableInfo } from '../../src/probes/paths.js';

const dir = (p: string, change: Partial<PathStat> = {}): PathStat => ({
  path: p, absolute: p.startsWith('/'), resolved: p.startsWith('/') ? p : `/home/alice/${p}`,
  exists: true, isDirectory: true, readable: true, writable: true, realPath: p.startsWith('/') ? p : `/home/alice/${p}`, entryCount: 2, entryCountCapped: false, ...change,
});
const folder = (name: PathVariable, raw: string | undefined, stat?: Partial<PathStat>, cleaned?: PathStat): PathVariableInfo =>
  raw === undefined
    ? { name, set: false }
    : { name, set: true, raw, cleaned: raw.trim().replace(/^["']|["']$/g, ''), ...(raw === '' ? {} : { asSet: dir(raw, stat) }), ...(cleaned ? { asCleaned: cleaned } : {}) };
const good = () => [
  folder('nnUNet_raw', '/data/nnUNet_raw'),
  folder('nnUNet_preprocessed', '/data/nnUNet_preprocessed'),
  folder('nnUNet_results', '/data/nnUNet_results'),
];
const run = (folders: PathVariableInfo[], vars: Record<string, string> = {}, platform: NodeJS.Platform = 'linux') =>
  judgePaths({ paths: { cwd: '/home/alice', folders }, env: { vars, present: [] }, platform });

describe('judgePaths', () => {
  it('passes three separate, writable, absolute folders', () => {
    const findings = run(good());
    expect(findings.map((f) => f.status)).toEqual(['pass', 'pass', 'pass']);
    expect(findings[0]!.summary).toBe('nnUNet_raw = /data/nnUNet_raw (2 entries)');
  });

  it('fails unset variables (raw only warns) and names v1 and wrongly-capitalised near-misses', () => {
    const findings = run(
      [folder('nnUNet_raw', undefined), folder('nnUNet_preprocessed', '/data/pp'), folder('nnUNet_results', undefined)],
      { nnUNet_raw_data_base: '/v1/base', RESULTS_FOLDER: '/v1/results', NNUNET_RESULTS: '/data/res' },
    );
    expect(findings.map((f) => f.status)).toEqual(['warn', 'pass', 'fail', 'info', 'info']);
    expect(findings[0]!.details).toMatch(/nnUNet_raw_data_base is set, but that is nnU-Net v1's name/);
    expect(findings[2]!.details).toMatch(/RESULTS_FOLDER is set.*NNUNET_RESULTS is set, but names are case-sensitive/);
    expect(findings[3]!.summary).toBe("nnUNet_raw_data_base is set: nnU-Net v1's variable, ignored by v2");
  });

  it('ignores capitalisation on Windows, where names are case-insensitive', () => {
    const [results] = run([folder('nnUNet_results', undefined)], { NNUNET_RESULTS: 'C:\\res' }, 'win32');
    expect(results!.details).not.toMatch(/case-sensitive/);
    expect(results!.fix).toMatchObject({ win32: expect.stringMatching(/^setx nnUNet_results/) });
  });

  it('fails an empty value, which nnU-Net treats as the working directory', () => {
    const [raw] = run([folder('nnUNet_raw', '')]);
    expect(raw).toMatchObject({ status: 'fail', summary: 'nnUNet_raw is set but empty' });
    expect(raw!.details).toMatch(/\/home\/alice/);
  });

  it("fails the documentation's example paths", () => {
    const findings = run([folder('nnUNet_raw', '/media/fabian/nnUNet_raw', { exists: false }), folder('nnUNet_results', 'C:/Users/fabian/nnUNet_results')]);
    expect(findings.map((f) => f.status)).toEqual(['fail', 'fail']);
    expect(findings[0]!.ref).toMatch(/#964/);
    expect(run([folder('nnUNet_raw', '/media/fabianne/raw')])[0]!.status).toBe('pass');
  });

  it('fails stray quotes and spaces, and says when the cleaned path exists', () => {
    const [quoted] = run([folder('nnUNet_raw', '"/data/raw"', { exists: false, absolute: false }, dir('/data/raw'))]);
    expect(quoted!.status).toBe('fail');
    expect(quoted!.summary).toBe('nnUNet_raw has stray quotes or spaces: "\\"/data/raw\\""');
    expect(quoted!.details).toMatch(/Without them it names an existing folder, \/data\/raw/);
    expect(quoted!.fix).toMatchObject({ default: expect.stringContaining('export nnUNet_raw="/data/raw"') });
    const [trailing] = run([folder('nnUNet_results', '/data/res ', { exists: false })]);
    expect(trailing!.status).toBe('fail');
    expect(trailing!.details).not.toMatch(/Without them/);
  });

  it('judges existence by who creates the folder', () => {
    const findings = run([
      folder('nnUNet_raw', '/data/none', { exists: false }),
      folder('nnUNet_preprocessed', '/data/pp', { exists: false }),
      folder('nnUNet_results', '/data/file', { isDirectory: false }),
    ]);
    expect(findings.map((f) => f.status)).toEqual(['fail', 'warn', 'fail']);
    expect(findings[2]!.summary).toMatch(/is a file, not a folder/);
  });

  it('requires write access where nnU-Net writes, and read access everywhere', () => {
    const findings = run([
      folder('nnUNet_raw', '/data/raw', { writable: false }),
      folder('nnUNet_preprocessed', '/data/pp', { writable: false }),
      folder('nnUNet_results', '/data/res', { readable: false }),
    ]);
    expect(findings.map((f) => f.status)).toEqual(['pass', 'fail', 'fail']);
    expect(findings[1]!.summary).toBe('nnUNet_preprocessed (/data/pp) is not writable by this user');
  });

  it('reports lookup errors such as a hung mount', () => {
    const [raw] = run([folder('nnUNet_raw', '/nfs/raw', { exists: false, error: 'did not finish within 5.0 s' })]);
    expect(raw).toMatchObject({ status: 'fail', summary: 'nnUNet_raw (/nfs/raw) could not be read: did not finish within 5.0 s' });
  });

  it('warns about relative paths', () => {
    const [raw] = run([folder('nnUNet_raw', 'nnUNet_raw')]);
    expect(raw).toMatchObject({ status: 'warn', summary: 'nnUNet_raw is a relative path (nnUNet_raw), here /home/alice/nnUNet_raw' });
  });

  it('fails two variables on one folder and warns about nesting', () => {
    const same = run([folder('nnUNet_raw', '/data/nn'), folder('nnUNet_preprocessed', '/data/nn'), folder('nnUNet_results', '/data/nn/results')]);
    expect(same.slice(3).map((f) => [f.status, f.summary])).toEqual([
      ['fail', 'nnUNet_raw and nnUNet_preprocessed are the same folder (/data/nn)'],
      ['warn', 'nnUNet_results is inside nnUNet_raw'],
      ['warn', 'nnUNet_results is inside nnUNet_preprocessed'],
    ]);
    // Siblings that share a name prefix are not nested.
    expect(run([folder('nnUNet_raw', '/data/nn'), folder('nnUNet_results', '/data/nn2')]).length).toBe(2);
  });

  it('compares real paths, so a symlink to the same folder is caught', () => {
    const findings = run([folder('nnUNet_raw', '/data/raw'), folder('nnUNet_results', '/link/raw', { realPath: '/data/raw' })]);
    expect(findings[2]!.summary).toBe('nnUNet_raw and nnUNet_results are the same folder (/data/raw)');
  });
});
