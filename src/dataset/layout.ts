import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isTiffSidecar } from './tiff-sidecar.js';

export interface PlannedFile {
  /** Relative to the dataset folder, forward slashes (what findings show). */
  path: string;
  absolutePath: string;
  bytes: number;
}

export interface PlannedCase {
  id: string;
  /** Sorted by channel; `channel` is the 4-digit suffix's value, or the position in a file map. */
  images: (PlannedFile & { channel: number })[];
  label?: PlannedFile;
}

export type MisnamedReason = 'dot-suffix' | 'no-suffix' | 'hidden' | 'other-ending' | 'ending-case' | 'not-a-file' | 'non-utf8';

export interface MisnamedFile {
  path: string;
  reason: MisnamedReason;
}

export interface DatasetLayout {
  fileEnding: string;
  /** dataset.json's `dataset` key lists the files instead of the folders. */
  usesFileMap: boolean;
  folders: { imagesTr: boolean; labelsTr: boolean; imagesTs: boolean };
  cases: PlannedCase[];
  misnamed: MisnamedFile[];
  labelsWithoutImages: string[];
  /** Label files named like images (`case_0000.nii.gz` in labelsTr). */
  labelsWithChannelSuffix: string[];
  /** File-map entries that do not exist. */
  missingFiles: string[];
  testCases: { id: string; channels: number[] }[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Lists the cases as nnU-Net would (nnunetv2/utilities/utils.py, get_filenames_of_train_images_and_targets)
 * and, unlike nnU-Net, keeps every file that does not fit so it can be reported.
 */
export async function planLayout(root: string, datasetJson: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<DatasetLayout> {
  const fileEnding = typeof datasetJson.file_ending === 'string' ? datasetJson.file_ending : '.nii.gz';
  const [imagesTr, labelsTr, imagesTs] = await Promise.all(['imagesTr', 'labelsTr', 'imagesTs'].map((f) => isDirectory(path.join(root, f))));
  const folders = { imagesTr: imagesTr!, labelsTr: labelsTr!, imagesTs: imagesTs! };
  const layout: DatasetLayout = { fileEnding, usesFileMap: false, folders, cases: [], misnamed: [], labelsWithoutImages: [], labelsWithChannelSuffix: [], missingFiles: [], testCases: [] };
  const fileMap = datasetJson.dataset;
  if (fileMap && typeof fileMap === 'object' && !Array.isArray(fileMap)) {
    layout.usesFileMap = true;
    layout.cases = await casesFromFileMap(root, fileMap as Record<string, unknown>, env, layout.missingFiles);
  } else {
    const images = await listFolder(root, 'imagesTr', layout.misnamed);
    const byId = new Map<string, PlannedCase>();
    // Files are stat'ed all at once: one at a time, each waits a thread-pool round trip.
    const sized: Promise<void>[] = [];
    for (const file of images) {
      const channel = channelOf(file.name, fileEnding, layout.misnamed, `imagesTr/${file.name}`);
      if (!channel) continue;
      const entry = byId.get(channel.id) ?? { id: channel.id, images: [] };
      sized.push(planned(root, `imagesTr/${file.name}`).then((p) => void entry.images.push({ ...p, channel: channel.channel })));
      byId.set(channel.id, entry);
    }
    for (const file of await listFolder(root, 'labelsTr', layout.misnamed)) {
      const rel = `labelsTr/${file.name}`;
      if (file.name.startsWith('.')) {
        layout.misnamed.push({ path: rel, reason: 'hidden' });
        continue;
      }
      if (!file.name.endsWith(fileEnding)) {
        if (!isTiffSidecar(file.name, fileEnding)) layout.misnamed.push({ path: rel, reason: file.name.toLowerCase().endsWith(fileEnding.toLowerCase()) ? 'ending-case' : 'other-ending' });
        continue;
      }
      const id = file.name.slice(0, -fileEnding.length);
      const owner = byId.get(id);
      if (owner) sized.push(planned(root, rel).then((p) => void (owner.label = p)));
      else if (/_\d{4}$/.test(id) && byId.has(id.slice(0, -5))) layout.labelsWithChannelSuffix.push(rel);
      else layout.labelsWithoutImages.push(rel);
    }
    await Promise.all(sized);
    layout.cases = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
    for (const c of layout.cases) c.images.sort((a, b) => a.channel - b.channel);
  }
  if (folders.imagesTs) {
    const tests = new Map<string, number[]>();
    for (const file of await listFolder(root, 'imagesTs', layout.misnamed)) {
      const channel = channelOf(file.name, fileEnding, layout.misnamed, `imagesTs/${file.name}`);
      if (channel) tests.set(channel.id, [...(tests.get(channel.id) ?? []), channel.channel].sort((a, b) => a - b));
    }
    layout.testCases = [...tests].map(([id, channels]) => ({ id, channels })).sort((a, b) => a.id.localeCompare(b.id));
  }
  return layout;
}

/** `<id>_<4 digits><ending>`, or the reason the name does not fit (recorded in `misnamed`). */
function channelOf(name: string, ending: string, misnamed: MisnamedFile[], rel: string): { id: string; channel: number } | undefined {
  const match = new RegExp(`^(.+)_(\\d{4})${escape(ending)}$`).exec(name);
  if (name.startsWith('.')) misnamed.push({ path: rel, reason: 'hidden' });
  else if (match) return { id: match[1]!, channel: Number(match[2]) };
  else if (new RegExp(`^(.+)\\.(\\d{4})${escape(ending)}$`).test(name)) misnamed.push({ path: rel, reason: 'dot-suffix' });
  else if (name.endsWith(ending)) misnamed.push({ path: rel, reason: 'no-suffix' });
  else if (name.toLowerCase().endsWith(ending.toLowerCase())) misnamed.push({ path: rel, reason: 'ending-case' });
  else if (!isTiffSidecar(name, ending)) misnamed.push({ path: rel, reason: 'other-ending' });
  return undefined;
}

/** Regular files of a folder; names that are not UTF-8 and non-files are recorded as misnamed. */
async function listFolder(root: string, folder: string, misnamed: MisnamedFile[]): Promise<{ name: string }[]> {
  const entries = await readdir(path.join(root, folder), { withFileTypes: true, encoding: 'buffer' }).catch(() => []);
  const files: { name: string }[] = [];
  for (const entry of entries) {
    const raw = entry.name as unknown as Buffer;
    const name = raw.toString('utf8');
    if (!Buffer.from(name, 'utf8').equals(raw)) {
      misnamed.push({ path: `${folder}/${raw.toString('latin1')}`, reason: 'non-utf8' });
    } else if (entry.isDirectory()) {
      misnamed.push({ path: `${folder}/${name}`, reason: 'not-a-file' });
    } else {
      files.push({ name });
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function casesFromFileMap(root: string, map: Record<string, unknown>, env: NodeJS.ProcessEnv, missing: string[]): Promise<PlannedCase[]> {
  const cases: PlannedCase[] = [];
  for (const [id, entry] of Object.entries(map)) {
    const { images, label } = (entry ?? {}) as { images?: unknown; label?: unknown };
    const c: PlannedCase = { id, images: [] };
    const imageList = Array.isArray(images) ? images.filter((p): p is string => typeof p === 'string') : [];
    for (const [channel, file] of imageList.entries()) {
      const p = await plannedFromMap(root, file, env, missing);
      if (p) c.images.push({ ...p, channel });
    }
    if (typeof label === 'string') c.label = await plannedFromMap(root, label, env, missing);
    cases.push(c);
  }
  return cases;
}

/** nnU-Net applies os.path.expandvars and joins relative paths to the raw dataset folder. */
async function plannedFromMap(root: string, file: string, env: NodeJS.ProcessEnv, missing: string[]): Promise<PlannedFile | undefined> {
  const expanded = file.replace(/\$(\w+)|\$\{([^}]+)\}/g, (whole, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? whole);
  const absolutePath = path.resolve(root, expanded);
  const info = await stat(absolutePath).catch(() => undefined);
  if (!info?.isFile()) {
    missing.push(file);
    return undefined;
  }
  return { path: path.relative(root, absolutePath).split(path.sep).join('/'), absolutePath, bytes: info.size };
}

async function planned(root: string, rel: string): Promise<PlannedFile> {
  const absolutePath = path.join(root, ...rel.split('/'));
  const info = await stat(absolutePath).catch(() => undefined);
  return { path: rel, absolutePath, bytes: info?.size ?? 0 };
}

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}
