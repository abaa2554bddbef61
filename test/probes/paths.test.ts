import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePathVariable, statPath } from '../../src/probes/paths.js';
import { storeWith } from './probe-context.js';

let root: string;

/** Names, sizes and modification times of everything under a folder: any write changes it. */
async function fingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const entry of (await readdir(dir, { recursive: true })).sort()) {
    const s = await stat(path.join(dir, entry));
    hash.update(`${entry}:${s.size}:${s.mtimeMs}\n`);
  }
  hash.update(String((await stat(dir)).mtimeMs));
  return hash.digest('hex');
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'doctor-paths-'));
  await mkdir(path.join(root, 'raw', 'Dataset001_Heart'), { recursive: true });
  await mkdir(path.join(root, 'preprocessed'));
  await mkdir(path.join(root, 'locked'));
  await writeFile(path.join(root, 'a-file'), 'x');
});

afterAll(async () => {
  await chmod(path.join(root, 'locked'), 0o755).catch(() => {});
  await rm(root, { recursive: true, force: true });
});

describe('statPath', () => {
  it('describes an existing folder', async () => {
    const s = await statPath(path.join(root, 'raw'), '/');
    expect(s).toMatchObject({ absolute: true, exists: true, isDirectory: true, readable: true, writable: true, entryCount: 1, entryCountCapped: false });
    expect(s.realPath).toBe(path.join(root, 'raw'));
  });

  it('resolves a relative path against the working directory it is given', async () => {
    const s = await statPath('raw', root);
    expect(s).toMatchObject({ absolute: false, resolved: path.join(root, 'raw'), exists: true });
  });

  it('reports a missing path and a file', async () => {
    expect(await statPath(path.join(root, 'nope'), '/')).toMatchObject({ exists: false, isDirectory: false });
    expect(await statPath(path.join(root, 'a-file'), '/')).toMatchObject({ exists: true, isDirectory: false });
  });

  it('stops counting entries at the cap', async () => {
    const many = await mkdtemp(path.join(os.tmpdir(), 'doctor-many-'));
    try {
      await Promise.all(Array.from({ length: 12 }, (_, i) => writeFile(path.join(many, `f${i}`), '')));
      expect(await statPath(many, '/', 5)).toMatchObject({ entryCount: 5, entryCountCapped: true });
      expect(await statPath(many, '/', 11)).toMatchObject({ entryCount: 11, entryCountCapped: true });
      expect(await statPath(many, '/', 12)).toMatchObject({ entryCount: 12, entryCountCapped: false });
      expect(await statPath(many, '/')).toMatchObject({ entryCount: 12, entryCountCapped: false });
    } finally {
      await rm(many, { recursive: true, force: true });
    }
  });

  it.runIf(process.platform !== 'win32' && process.getuid?.() !== 0)('sees a folder it may not write to', async () => {
    await chmod(path.join(root, 'locked'), 0o555);
    expect(await statPath(path.join(root, 'locked'), '/')).toMatchObject({ exists: true, readable: true, writable: false });
  });
});

describe('describePathVariable', () => {
  it('looks up the literal value and, separately, the value without quotes and spaces', async () => {
    const info = await describePathVariable('nnUNet_raw', ` "${path.join(root, 'raw')}" `, root);
    expect(info.cleaned).toBe(path.join(root, 'raw'));
    expect(info.asSet).toMatchObject({ exists: false, absolute: false });
    expect(info.asCleaned).toMatchObject({ exists: true, isDirectory: true });
  });

  it('does not look anything up for unset or empty values', async () => {
    expect(await describePathVariable('nnUNet_results', undefined, root)).toEqual({ name: 'nnUNet_results', set: false });
    expect(await describePathVariable('nnUNet_results', '', root)).toEqual({ name: 'nnUNet_results', set: true, raw: '', cleaned: '' });
  });
});

describe('pathsProbe on this machine', () => {
  it('reads the three variables and writes nothing into the folders', async () => {
    const before = await fingerprint(root);
    const env = { nnUNet_raw: path.join(root, 'raw'), nnUNet_preprocessed: path.join(root, 'preprocessed'), nnUNet_results: path.join(root, 'results') };
    const store = storeWith(env);
    const paths = await store.get('paths');
    const storage = await store.get('storage');
    if (!paths.ok || !storage.ok) throw new Error('probe failed');
    expect(paths.folders.map((f) => [f.name, f.asSet?.exists])).toEqual([
      ['nnUNet_raw', true],
      ['nnUNet_preprocessed', true],
      ['nnUNet_results', false],
    ]);
    expect(await fingerprint(root)).toBe(before);
  });
});
