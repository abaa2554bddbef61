import { describe, expect, it } from 'vitest';
import check from '../../checks/dataset.json.js';
import { DATASET_JSON, datasetFact, NO_DATASET } from './dataset-facts.js';

const withJson = (datasetJson: Parameters<typeof datasetFact>[0] extends infer C ? C extends { datasetJson?: infer J } ? J : never : never) => check.run({ dataset: datasetFact({ datasetJson }) });
const kinds = async (value: unknown) => ((await withJson({ state: 'ok', value })) as { status: string; evidence?: { kind: string } }[]).map((f) => `${f.status}:${f.evidence?.kind}`);

describe('dataset.json', () => {
  it('skips without a dataset and passes a v2 dataset.json', async () => {
    expect(await check.run({ dataset: NO_DATASET })).toMatchObject([{ status: 'skip' }]);
    expect(await kinds(DATASET_JSON)).toEqual(['pass:undefined']);
  });

  it('places a syntax error by line and column and names the usual cause', async () => {
    const [f] = (await withJson({ state: 'invalid', error: { message: 'Unexpected token }', line: 4, column: 1, hint: 'a trailing comma before a closing bracket; JSON allows none' } })) as { status: string; summary: string }[];
    expect(f).toMatchObject({ status: 'fail' });
    expect(f!.summary).toMatch(/line 4, column 1 \(a trailing comma/);
  });

  it('explains a v1 dataset.json and lists the missing v2 keys', async () => {
    expect(await kinds({ modality: { 0: 'CT' }, labels: { 0: 'background' }, numTraining: 3, training: [] })).toEqual(['fail:v1-format', 'fail:missing-keys']);
  });

  it('flags odd channel keys, a lossy ending and an unknown reader/writer', async () => {
    expect(await kinds({ ...DATASET_JSON, channel_names: { 1: 'T1', 2: 'T2' } })).toEqual(['warn:channel-keys']);
    expect(await kinds({ ...DATASET_JSON, file_ending: '.jpg' })).toEqual(['warn:lossy-ending']);
    expect(await kinds({ ...DATASET_JSON, file_ending: 'nii.gz' })).toEqual(['fail:file-ending']);
    expect(await kinds({ ...DATASET_JSON, overwrite_image_reader_writer: 'SimpleITKReader' })).toEqual(['warn:reader-writer']);
    expect(await kinds({ ...DATASET_JSON, overwrite_image_reader_writer: 'SimpleITKIOWithReorient' })).toEqual(['info:reader-writer']);
  });

  it('warns when the named reader/writer does not list the file ending', async () => {
    const [f] = (await withJson({ state: 'ok', value: { ...DATASET_JSON, file_ending: '.nrrd', overwrite_image_reader_writer: 'NibabelIO' } })) as { status: string; summary: string }[];
    expect(f).toMatchObject({ status: 'warn', summary: 'dataset.json: overwrite_image_reader_writer NibabelIO does not list file_ending ".nrrd" (it reads .nii, .nii.gz); nnU-Net uses it anyway, and reading may fail' });
    expect(await kinds({ ...DATASET_JSON, file_ending: '.tif', overwrite_image_reader_writer: 'Tiff3DIO' })).toEqual(['info:reader-writer']);
  });

  it('fails when there is no dataset.json', async () => {
    expect(await withJson({ state: 'missing' })).toMatchObject([{ status: 'fail', evidence: { kind: 'missing' } }]);
  });
});
