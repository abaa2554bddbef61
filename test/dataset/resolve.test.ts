import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOf, resolveDataset } from '../../src/dataset/resolve.js';

let tmp: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nnunet-doctor-resolve-'));
  env = { nnUNet_raw: path.join(tmp, 'raw'), nnUNet_preprocessed: path.join(tmp, 'pre'), nnUNet_results: path.join(tmp, 'res') };
  for (const dir of ['raw/Dataset004_Hippocampus', 'pre/Dataset004_Hippocampus', 'raw/Dataset012_Liver', 'res/Dataset012_OldLiver', 'raw/Dataset0015_Odd', 'pre/Dataset020_OnlyPre']) {
    await mkdir(path.join(tmp, dir), { recursive: true });
  }
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('resolveDataset', () => {
  it('finds an id under nnUNet_raw by its Dataset%03d prefix, like nnU-Net', async () => {
    expect(await resolveDataset('4', env)).toMatchObject({ found: true, via: 'id', folderName: 'Dataset004_Hippocampus', root: path.join(tmp, 'raw/Dataset004_Hippocampus') });
  });

  it('lists every folder sharing the id across the three roots (a stale results folder)', async () => {
    const r = await resolveDataset('12', env);
    expect(r).toMatchObject({ found: true, folderName: 'Dataset012_Liver' });
    expect(r.sameIdFolders.map((c) => `${c.variable}/${c.folder}`).sort()).toEqual(['nnUNet_raw/Dataset012_Liver', 'nnUNet_results/Dataset012_OldLiver']);
  });

  it('matches by prefix, as nnU-Net does: Dataset0015_Odd is a candidate for id 1', async () => {
    const r = await resolveDataset('1', env);
    expect(r.sameIdFolders.map((c) => c.folder)).toEqual(['Dataset0015_Odd']);
  });

  it('resolves names under nnUNet_raw and paths as given', async () => {
    expect(await resolveDataset('Dataset012_Liver', env)).toMatchObject({ found: true, via: 'name' });
    expect(await resolveDataset(path.join(tmp, 'raw/Dataset004_Hippocampus'), {})).toMatchObject({ found: true, via: 'path', folderName: 'Dataset004_Hippocampus' });
  });

  it('explains what is missing', async () => {
    expect(await resolveDataset('99', env)).toMatchObject({ found: false, message: expect.stringMatching(/no dataset with the id 99 under nnUNet_preprocessed=/) });
    expect(await resolveDataset('20', env)).toMatchObject({ found: false, message: expect.stringMatching(/exists \(Dataset020_OnlyPre\) but not under nnUNet_raw/) });
    expect(await resolveDataset('Dataset004_Hippocampus', {})).toMatchObject({ found: false, message: expect.stringMatching(/nnUNet_raw is not set/) });
    expect(await resolveDataset('liver', env)).toMatchObject({ found: false });
  });

  it('reads the id from the three digits after "Dataset"', () => {
    expect(idOf('Dataset042_X')).toBe(42);
    expect(idOf('Task042_X')).toBeUndefined();
  });
});
