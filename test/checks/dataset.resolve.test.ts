import { describe, expect, it } from 'vitest';
import check from '../../checks/dataset.resolve.js';
import { datasetFact, NO_DATASET } from './dataset-facts.js';

const run = (dataset: Parameters<typeof datasetFact>[0]) => check.run({ dataset: datasetFact(dataset) });

describe('dataset.resolve', () => {
  it('skips when no dataset was named', async () => {
    expect(await check.run({ dataset: NO_DATASET })).toMatchObject([{ status: 'skip' }]);
  });

  it('passes with the folder it found', async () => {
    expect(await run({})).toMatchObject([{ status: 'pass', summary: '/data/Dataset001_Test' }]);
  });

  it('fails when one id names different folders across the nnU-Net roots, like nnU-Net does', async () => {
    const sameIdFolders = [
      { variable: 'nnUNet_raw' as const, folder: 'Dataset001_Test' },
      { variable: 'nnUNet_results' as const, folder: 'Dataset001_Old' },
    ];
    const [finding] = (await run({ resolution: { found: true, root: '/r/Dataset001_Test', folderName: 'Dataset001_Test', via: 'id', sameIdFolders } })) as { status: string; summary: string; evidence: { kind: string } }[];
    expect(finding).toMatchObject({ status: 'fail', evidence: { kind: 'duplicate-id' } });
    expect(finding!.summary).toMatch(/Dataset001_Test, Dataset001_Old/);
  });

  it('warns about a folder name nnU-Net cannot resolve by id, and fails when nothing was found', async () => {
    expect(await run({ resolution: { found: true, root: '/r/liver', folderName: 'liver', via: 'path', sameIdFolders: [] } })).toMatchObject([{ status: 'warn', evidence: { kind: 'folder-name' } }]);
    expect(await run({ resolution: { found: false, message: 'no dataset with the id 9', sameIdFolders: [] } })).toMatchObject([{ status: 'fail', summary: 'no dataset with the id 9' }]);
  });
});
