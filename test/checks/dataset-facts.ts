import type { Facts } from '../../src/core/facts.js';
import type { DatasetScan } from '../../src/dataset/scanner.js';
import type { CaseScan, FileScan, Geometry, ValueStats } from '../../src/dataset/types.js';

/** A readable 3D NIfTI file as the scanner reports it; override geometry or values per test. */
export interface FileChange {
  geometry?: Partial<Geometry>;
  values?: Partial<ValueStats>;
  error?: FileScan['error'];
}

export function file(path: string, role: FileScan['role'], change: FileChange = {}): FileScan {
  const values = role === 'label'
    ? { voxels: 100, nan: 0, posInf: 0, negInf: 0, min: 0, max: 2, mean: 0.3, valueCounts: [[0, 80], [1, 15], [2, 5]] as [number, number][], distinctValues: 3, nonInteger: 0, nonIntegerExamples: [] }
    : { voxels: 100, nan: 0, posInf: 0, negInf: 0, min: -1024, max: 300, mean: -500, nonInteger: 0, nonIntegerExamples: [] };
  return {
    path,
    role,
    fileBytes: 1000,
    dataBytes: 100,
    header: {
      format: 'nifti1',
      elementType: role === 'label' ? 'uint8' : 'int16',
      components: 1,
      geometry: { shape: [10, 5, 2], spacingMm: [0.8, 0.8, 2], originMm: [10, 20, 30], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], ...change.geometry },
      notes: [],
    },
    values: { ...values, ...change.values },
    ...(change.error ? { error: change.error } : {}),
  };
}

export function healthyCase(id: string, change: { image?: FileChange; label?: FileChange } = {}): CaseScan {
  return { id, images: [file(`imagesTr/${id}_0000.nii.gz`, 'image', change.image)], label: file(`labelsTr/${id}.nii.gz`, 'label', change.label) };
}

export const DATASET_JSON = { channel_names: { 0: 'CT' }, labels: { background: 0, organ: 1, lesion: 2 }, numTraining: 5, file_ending: '.nii.gz' };

/** The `dataset` fact of a 5-case CT dataset; `change` breaks one part of it. */
export function datasetFact(change: Partial<DatasetScan> = {}): Facts['dataset'] {
  const cases = ['a', 'b', 'c', 'd', 'e'].map((x) => healthyCase(`case_${x}`));
  const scan: DatasetScan = {
    target: '/data/Dataset001_Test',
    resolution: { found: true, root: '/data/Dataset001_Test', folderName: 'Dataset001_Test', via: 'path', sameIdFolders: [] },
    datasetJson: { state: 'ok', value: DATASET_JSON },
    layout: {
      fileEnding: '.nii.gz',
      usesFileMap: false,
      folders: { imagesTr: true, labelsTr: true, imagesTs: false },
      cases: cases.map((c) => ({ id: c.id, images: [{ path: c.images[0]!.path, absolutePath: `/data/${c.images[0]!.path}`, bytes: 1000, channel: 0 }], label: { path: c.label!.path, absolutePath: `/data/${c.label!.path}`, bytes: 1000 } })),
      misnamed: [],
      labelsWithoutImages: [],
      labelsWithChannelSuffix: [],
      missingFiles: [],
      testCases: [],
    },
    cases,
    stats: { workers: 2, files: 10, fileBytes: 10_000, dataBytes: 1000, durationMs: 5 },
    ...change,
  };
  return { ok: true, scan };
}

export const NO_DATASET: Facts['dataset'] = { ok: false, reason: 'no dataset named (pass --dataset <id | DatasetXXX_Name | path>)' };
