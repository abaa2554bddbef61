import { mkdtemp, rm, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageTarget } from '../../src/probes/storage.js';
import { storeWith } from './probe-context.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'doctor-storage-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const stat = (resolved: string, exists: boolean) => ({ path: resolved, absolute: true, resolved, exists, isDirectory: exists, readable: exists, writable: exists, ...(exists ? { realPath: `${resolved}-real` } : {}) });

describe('storageTarget', () => {
  it('prefers what exists, as set or without quotes', () => {
    expect(storageTarget({ name: 'nnUNet_raw', set: true, asSet: stat('/a', true) })).toEqual({ path: '/a-real', exists: true });
    expect(storageTarget({ name: 'nnUNet_raw', set: true, asSet: stat('/x "/a"', false), asCleaned: stat('/a', true) })).toEqual({ path: '/a-real', exists: true });
  });

  it('falls back to where the folder would be created, and to nothing for unset values', () => {
    expect(storageTarget({ name: 'nnUNet_results', set: true, asSet: stat('/x "/b"', false), asCleaned: stat('/b', false) })).toEqual({ path: '/b', exists: false });
    expect(storageTarget({ name: 'nnUNet_results', set: false })).toBeUndefined();
  });
});

describe('storageProbe on this machine', () => {
  it('measures an existing folder and the parent of a missing one', async () => {
    const storage = await storeWith({ nnUNet_raw: root, nnUNet_results: path.join(root, 'not', 'yet') }).get('storage');
    if (!storage.ok) throw new Error(storage.reason);
    const [raw, results] = storage.folders;
    const fs = await statfs(root);
    expect(raw).toMatchObject({ name: 'nnUNet_raw', viaParent: false, totalBytes: fs.blocks * fs.bsize });
    expect(results).toMatchObject({ name: 'nnUNet_results', viaParent: true, probedPath: root });
    expect(storage.folders).toHaveLength(2);
    if (process.platform === 'linux') {
      expect(raw!.fsType).toBeTruthy();
      expect(raw!.kind).not.toBe('unknown');
    }
  });
});
