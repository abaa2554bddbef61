import type { JsonSyntaxError } from './json-text.js';
import { problemsOf, type Problem } from './problems.js';

export type DatasetJsonRead =
  | { state: 'missing' }
  | { state: 'invalid'; error: JsonSyntaxError }
  | { state: 'ok'; value: unknown };

/** What the rest of the judges need from dataset.json, with safe defaults when it is broken. */
export interface DatasetSpec {
  channelNames: string[];
  fileEnding?: string;
  numTraining?: number;
  /** Every label value a label map may hold (regions flattened, the ignore label included); undefined if unknown. */
  allowedLabels?: number[];
  /** Label values with their names (plain labels only, not regions). */
  labelNames: Map<number, string>;
  ignoreLabel?: number;
  regionMode: boolean;
  /** overwrite_image_reader_writer, when dataset.json names a class (nnU-Net then skips choosing by ending). */
  readerWriter?: string;
}

const REQUIRED_KEYS = ['labels', 'channel_names', 'numTraining', 'file_ending'];
const SIMPLEITK_ENDINGS = ['.nii.gz', '.nrrd', '.mha', '.gipl'];
const NIBABEL_ENDINGS = ['.nii', '.nii.gz'];
/** Reader/writer classes in nnunetv2.imageio and their `supported_file_endings` (nnunetv2/imageio/*_reader_writer.py). */
const READER_ENDINGS: Record<string, readonly string[]> = {
  NaturalImage2DIO: ['.png', '.bmp', '.tif'],
  SimpleITKIO: SIMPLEITK_ENDINGS,
  SimpleITKIOWithReorient: SIMPLEITK_ENDINGS,
  Tiff3DIO: ['.tif', '.tiff'],
  NibabelIO: NIBABEL_ENDINGS,
  NibabelIOWithReorient: NIBABEL_ENDINGS,
};
const READABLE_ENDINGS = new Set(Object.values(READER_ENDINGS).flat());

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** dataset.json's syntax and keys (check dataset.json). */
export function judgeDatasetJson(read: DatasetJsonRead): Problem[] {
  const { list, add } = problemsOf('json');
  if (read.state === 'missing') {
    add('missing', 'fail', 'there is no dataset.json');
    return list;
  }
  if (read.state === 'invalid') {
    const e = read.error;
    add('syntax', 'fail', `dataset.json is not valid JSON: ${e.message} at line ${e.line}, column ${e.column}${e.hint ? ` (${e.hint})` : ''}`, { path: 'dataset.json', evidence: { ...e } });
    return list;
  }
  if (!isRecord(read.value)) {
    add('not-object', 'fail', 'dataset.json must hold one JSON object', { path: 'dataset.json' });
    return list;
  }
  const json = read.value;
  const missing = REQUIRED_KEYS.filter((k) => !(k in json));
  if ('modality' in json || 'training' in json) {
    add('v1-format', 'fail', `dataset.json is in the nnU-Net v1 format (${['modality', 'training', 'numTest', 'test'].filter((k) => k in json).join(', ')})`, {
      path: 'dataset.json',
      evidence: { v1Keys: Object.keys(json).filter((k) => ['modality', 'training', 'test', 'numTest', 'tensorImageSize'].includes(k)) },
    });
  }
  if (missing.length > 0) add('missing-keys', 'fail', `dataset.json lacks ${missing.join(', ')}`, { path: 'dataset.json', evidence: { missing, present: Object.keys(json) } });
  const channels = json.channel_names;
  if ('channel_names' in json) {
    if (!isRecord(channels) || Object.keys(channels).length === 0) {
      add('channel-names', 'fail', 'channel_names must map "0", "1", ... to channel names', { path: 'dataset.json' });
    } else {
      const keys = Object.keys(channels);
      const expected = keys.map((_, i) => String(i));
      if (keys.some((k, i) => k !== expected[i])) {
        add('channel-keys', 'warn', `channel_names keys are ${keys.map((k) => `"${k}"`).join(', ')}, not ${expected.map((k) => `"${k}"`).join(', ')}`, { path: 'dataset.json', evidence: { keys } });
      }
      const rgb = Object.values(channels).filter((n) => typeof n === 'string' && /^(r|g|b|red|green|blue)$/i.test(n));
      if (rgb.length > 0) add('rgb-zscore', 'warn', `channels named ${rgb.join(', ')} get z-score normalization; natural RGB images want "rgb_to_0_1"`, { path: 'dataset.json' });
    }
  }
  const ending = json.file_ending;
  if ('file_ending' in json) {
    if (typeof ending !== 'string' || !ending.startsWith('.')) add('file-ending', 'fail', `file_ending ${JSON.stringify(ending)} must be a string starting with "."`, { path: 'dataset.json' });
    else if (/^\.jpe?g$/i.test(ending)) add('lossy-ending', 'warn', `file_ending "${ending}" is lossy: JPEG compression invents label values`, { path: 'dataset.json' });
    else if (!READABLE_ENDINGS.has(ending.toLowerCase())) add('file-ending', 'fail', `no nnU-Net reader handles file_ending "${ending}"`, { path: 'dataset.json' });
  }
  if ('numTraining' in json && !(Number.isInteger(json.numTraining) && (json.numTraining as number) >= 0)) {
    add('num-training', 'fail', `numTraining must be a whole number, not ${JSON.stringify(json.numTraining)}`, { path: 'dataset.json' });
  }
  const reader = json.overwrite_image_reader_writer;
  if (reader !== undefined && reader !== 'None') {
    const endings = typeof reader === 'string' ? READER_ENDINGS[reader] : undefined;
    if (!endings) {
      add('reader-writer', 'warn', `overwrite_image_reader_writer ${JSON.stringify(reader)} is not a reader/writer in nnunetv2.imageio; nnU-Net prints a warning and picks one by file ending`, { path: 'dataset.json' });
    } else if (typeof ending === 'string' && !endings.includes(ending.toLowerCase())) {
      // A named class is used as is (reader_writer_registry.py checks endings only when it picks one itself).
      add('reader-writer', 'warn', `overwrite_image_reader_writer ${reader} does not list file_ending "${ending}" (it reads ${endings.join(', ')}); nnU-Net uses it anyway, and reading may fail`, { path: 'dataset.json' });
    } else {
      add('reader-writer', 'info', `dataset.json asks for the ${reader} reader/writer`, { path: 'dataset.json' });
    }
  }
  return list;
}

/** The `labels` map, by nnU-Net's LabelManager rules (check dataset.labels). */
export function judgeLabelMap(read: DatasetJsonRead): Problem[] {
  const { list, add } = problemsOf('labels');
  if (read.state !== 'ok' || !isRecord(read.value)) return list;
  const labels = read.value.labels;
  if (labels === undefined) return list;
  if (!isRecord(labels)) {
    add('not-a-map', 'fail', 'labels must map label names to values', { path: 'dataset.json' });
    return list;
  }
  const where = { path: 'dataset.json', evidence: { labels } };
  const names = Object.keys(labels);
  if (names.length > 0 && names.every((n) => /^\d+$/.test(n)) && Object.values(labels).every((v) => typeof v === 'string')) {
    add('v1-labels', 'fail', 'labels map values to names ({"0": "background"}), the v1 way round; v2 maps names to values ({"background": 0})', where);
    return list;
  }
  if (!('background' in labels)) add('no-background', 'fail', 'no "background" label (it must be 0)', where);
  else if (Array.isArray(labels.background) || labels.background !== 0) add('background-not-zero', 'fail', `background is ${JSON.stringify(labels.background)}, it must be 0`, where);
  const regionMode = Object.values(labels).some((v) => Array.isArray(v) && v.length > 1);
  const values: number[] = [];
  for (const [name, value] of Object.entries(labels)) {
    if (name === 'ignore') continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== 'number' || !Number.isInteger(v)) add('not-integer', 'fail', `label "${name}" has the value ${JSON.stringify(v)}; label values are integers`, where);
      else values.push(v);
    }
  }
  const unique = [...new Set(values)].sort((a, b) => a - b);
  if (!regionMode && unique.length < values.length) {
    add('duplicate-values', 'warn', 'two label names share one value; nnU-Net accepts it silently, but one of the names will never be predicted', where);
  }
  const ignore = labels.ignore;
  if (ignore !== undefined) {
    if (typeof ignore !== 'number' || !Number.isInteger(ignore) || Array.isArray(ignore)) {
      add('ignore-not-integer', 'fail', `the ignore label is ${JSON.stringify(ignore)}; it must be a plain integer`, where);
    } else if (unique.length > 0 && ignore !== unique[unique.length - 1]! + 1) {
      add('ignore-not-highest', 'fail', `the ignore label is ${ignore}; it must be the highest label + 1 (${unique[unique.length - 1]! + 1})`, where);
    }
  }
  const expected = [...unique, ...(typeof ignore === 'number' && Number.isInteger(ignore) ? [ignore] : [])].sort((a, b) => a - b);
  const gaps = expected.filter((v, i) => i > 0 && v - expected[i - 1]! !== 1);
  if (gaps.length > 0) add('not-consecutive', 'fail', `label values ${expected.join(', ')} are not consecutive from 0 (${gaps.join(', ')} ${gaps.length === 1 ? 'breaks' : 'break'} the run)`, where);
  if (regionMode) {
    const order = read.value.regions_class_order;
    const regions = names.filter((n) => n !== 'background' && n !== 'ignore').length;
    if (!Array.isArray(order)) add('regions-no-order', 'fail', 'region labels need "regions_class_order"', where);
    else if (order.length !== regions) add('regions-order-length', 'fail', `regions_class_order has ${order.length} entries for ${regions} regions`, where);
  }
  return list;
}

/** The parts of dataset.json the file and value judges rely on. */
export function datasetSpecOf(read: DatasetJsonRead): DatasetSpec {
  const json = read.state === 'ok' && isRecord(read.value) ? read.value : {};
  const channels = isRecord(json.channel_names) ? json.channel_names : isRecord(json.modality) ? json.modality : {};
  const labels = isRecord(json.labels) ? json.labels : undefined;
  const labelNames = new Map<number, string>();
  let allowed: number[] | undefined;
  let ignoreLabel: number | undefined;
  let regionMode = false;
  if (labels && !Object.values(labels).every((v) => typeof v === 'string')) {
    const values = new Set<number>();
    for (const [name, value] of Object.entries(labels)) {
      if (Array.isArray(value)) {
        regionMode ||= value.length > 1;
        for (const v of value) if (typeof v === 'number') values.add(v);
      } else if (typeof value === 'number') {
        values.add(value);
        if (name === 'ignore') ignoreLabel = value;
        else labelNames.set(value, name);
      }
    }
    allowed = [...values].sort((a, b) => a - b);
  }
  return {
    channelNames: Object.values(channels).map(String),
    fileEnding: typeof json.file_ending === 'string' ? json.file_ending : undefined,
    numTraining: typeof json.numTraining === 'number' ? json.numTraining : undefined,
    allowedLabels: allowed,
    labelNames,
    ignoreLabel,
    regionMode,
    readerWriter: typeof json.overwrite_image_reader_writer === 'string' && json.overwrite_image_reader_writer !== 'None' ? json.overwrite_image_reader_writer : undefined,
  };
}
