import type { DatasetSpec } from './judge-json.js';
import type { DatasetLayout, MisnamedReason } from './layout.js';
import { problemsOf, type Problem } from './problems.js';
import type { CaseScan } from './types.js';

const MISNAMED: Record<MisnamedReason, { status: Problem['status']; message: string }> = {
  'dot-suffix': { status: 'fail', message: 'the channel suffix is written with a dot; nnU-Net needs an underscore (case_0000)' },
  'no-suffix': { status: 'fail', message: 'no _XXXX channel suffix; nnU-Net turns it into a junk case id with no images' },
  hidden: { status: 'warn', message: 'a hidden file (macOS ._ files); nnU-Net lists hidden files too' },
  'other-ending': { status: 'warn', message: 'a stray file that does not end with file_ending' },
  'ending-case': { status: 'fail', message: "the ending differs from file_ending only in upper/lower case; nnU-Net's file listing is case-sensitive" },
  'not-a-file': { status: 'warn', message: 'a folder inside an image/label folder' },
  'non-utf8': { status: 'fail', message: 'the file name is not valid UTF-8' },
};

/**
 * Names, channel suffixes, pairing and counts (check dataset.files). `scanned` (the read cases) tells
 * which files hold several channels: nnU-Net counts channels after reading, so one RGB PNG is channels
 * R, G and B (natural_image_reader_writer.py stacks its colours; verify_dataset_integrity.py check_cases
 * compares that count with channel_names). Those cases are judged by the loaded count (judge-case.ts,
 * channel-count), not by one file per channel.
 */
export function judgeFiles(layout: DatasetLayout, spec: DatasetSpec, scanned: readonly CaseScan[] = []): Problem[] {
  const { list, add } = problemsOf('files');
  if (!layout.usesFileMap) {
    for (const folder of ['imagesTr', 'labelsTr'] as const) {
      if (!layout.folders[folder]) add('missing-folder', 'fail', `there is no ${folder} folder`, { path: folder });
    }
  }
  for (const m of layout.misnamed) {
    const rule = MISNAMED[m.reason];
    // A hidden file ending in file_ending becomes a junk case in nnU-Net's listing: worse than stray.
    const status = m.reason === 'hidden' && m.path.endsWith(layout.fileEnding) && m.path.startsWith('imagesTr/') ? 'fail' : rule.status;
    add(m.reason, status, rule.message, { path: m.path });
  }
  for (const file of layout.missingFiles) add('map-missing', 'fail', `the dataset.json file map names ${file}, which does not exist`, { path: file });
  const n = spec.channelNames.length;
  const multiChannelFiles = new Set(scanned.filter((c) => c.images.some((f) => (f.header?.components ?? 1) > 1)).map((c) => c.id));
  for (const c of layout.cases) {
    const oneFilePerChannel = n > 0 && !multiChannelFiles.has(c.id);
    const channels = c.images.map((i) => i.channel);
    const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !channels.includes(i));
    const extra = channels.filter((ch) => ch >= n);
    if (oneFilePerChannel && !layout.usesFileMap && missing.length > 0) {
      add('missing-channels', 'fail', `channel${missing.length > 1 ? 's' : ''} ${missing.map(suffix).join(', ')} missing`, { caseId: c.id, evidence: { found: channels.map(suffix) } });
    }
    if (oneFilePerChannel && !layout.usesFileMap && extra.length > 0) {
      add('extra-channels', 'fail', `channel${extra.length > 1 ? 's' : ''} ${extra.map(suffix).join(', ')} beyond the ${n} in channel_names`, { caseId: c.id });
    }
    if (oneFilePerChannel && layout.usesFileMap && c.images.length !== n) add('channel-count', 'fail', `${c.images.length} images for ${n} channels`, { caseId: c.id });
    if (!c.label && !layout.usesFileMap) add('missing-label', 'fail', `no labelsTr/${c.id}${layout.fileEnding}`, { caseId: c.id });
  }
  for (const p of layout.labelsWithoutImages) add('label-without-image', 'warn', 'a label with no images (nnU-Net ignores it silently)', { path: p });
  for (const p of layout.labelsWithChannelSuffix) add('label-channel-suffix', 'fail', 'a label file named with a channel suffix; labels are named <case><file_ending>', { path: p });
  if (layout.cases.length === 0 && (layout.usesFileMap || layout.folders.imagesTr)) add('no-cases', 'fail', `no training cases: no file in imagesTr matches <case>_XXXX${layout.fileEnding}`);
  if (spec.numTraining !== undefined && spec.numTraining !== layout.cases.length) {
    add('num-training', 'fail', `numTraining is ${spec.numTraining} but there are ${layout.cases.length} cases`, { path: 'dataset.json', evidence: { numTraining: spec.numTraining, cases: layout.cases.length } });
  }
  if (layout.cases.length > 0 && layout.cases.length < 5) {
    add('few-cases', 'warn', `${layout.cases.length} training cases; nnU-Net's 5-fold cross-validation needs at least 5 (or a splits_final.json / fold "all")`);
  }
  // Test cases need the files the training cases have: one per channel, or fewer where files hold several.
  const expected = layout.cases.find((c) => multiChannelFiles.has(c.id))?.images.map((i) => i.channel) ?? Array.from({ length: n }, (_, i) => i);
  for (const t of layout.testCases) {
    if (n > 0 && t.channels.join() !== expected.join()) {
      add('test-channels', 'warn', `imagesTs case has channels ${t.channels.map(suffix).join(', ')}, not ${expected.map(suffix).join(', ')}`, { caseId: t.id, path: 'imagesTs' });
    }
  }
  return list;
}

const suffix = (channel: number) => `_${String(channel).padStart(4, '0')}`;
