import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export const ROOT_VARIABLES = ['nnUNet_preprocessed', 'nnUNet_raw', 'nnUNet_results'] as const;

export interface DatasetCandidate {
  variable: (typeof ROOT_VARIABLES)[number];
  folder: string;
}

export type DatasetResolution =
  | {
      found: true;
      /** Absolute path of the raw dataset folder. */
      root: string;
      folderName: string;
      via: 'path' | 'id' | 'name';
      /** Every folder across the three roots sharing the dataset's 3-digit id prefix. */
      sameIdFolders: DatasetCandidate[];
    }
  | { found: false; message: string; sameIdFolders: DatasetCandidate[] };

const isDirectory = (p: string) => stat(p).then((s) => s.isDirectory(), () => false);

/**
 * Finds a dataset the way nnU-Net does (nnunetv2/utilities/dataset_name_id_conversion.py): an id becomes
 * the prefix `Dataset%03d`, matched against folder names under nnUNet_preprocessed, nnUNet_raw and
 * nnUNet_results; a `DatasetXXX_Name` is looked up under nnUNet_raw. A path to a folder is taken as is.
 */
export async function resolveDataset(target: string, env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<DatasetResolution> {
  const asPath = path.resolve(cwd, target);
  const looksLikePath = /[\\/]/.test(target) || target.startsWith('.');
  if (looksLikePath || (await isDirectory(asPath))) {
    if (!(await isDirectory(asPath))) return { found: false, message: `${asPath} is not a folder`, sameIdFolders: [] };
    const folderName = path.basename(asPath);
    return { found: true, root: asPath, folderName, via: 'path', sameIdFolders: await sameIdFolders(idOf(folderName), env) };
  }
  if (target.startsWith('Dataset')) {
    const raw = env.nnUNet_raw;
    const others = await sameIdFolders(idOf(target), env);
    if (!raw) return { found: false, message: `nnUNet_raw is not set, so ${target} cannot be found; pass the dataset's path instead`, sameIdFolders: others };
    const root = path.join(raw, target);
    if (!(await isDirectory(root))) return { found: false, message: `${root} does not exist`, sameIdFolders: others };
    return { found: true, root, folderName: target, via: 'name', sameIdFolders: others };
  }
  if (!/^\d+$/.test(target)) {
    return { found: false, message: `"${target}" is neither a folder, a dataset id (like 4) nor a name like Dataset004_Hippocampus`, sameIdFolders: [] };
  }
  const candidates = await sameIdFolders(Number(target), env);
  const names = [...new Set(candidates.map((c) => c.folder))];
  const roots = ROOT_VARIABLES.map((v) => `${v}=${env[v] || 'None'}`).join(', ');
  if (names.length === 0) return { found: false, message: `no dataset with the id ${Number(target)} under ${roots}`, sameIdFolders: [] };
  const inRaw = candidates.filter((c) => c.variable === 'nnUNet_raw');
  if (inRaw.length !== 1) {
    const message = inRaw.length === 0 ? `dataset id ${Number(target)} exists (${names.join(', ')}) but not under nnUNet_raw=${env.nnUNet_raw || 'None'}` : `more than one raw dataset has the id ${Number(target)}: ${names.join(', ')}`;
    return { found: false, message, sameIdFolders: candidates };
  }
  return { found: true, root: path.join(env.nnUNet_raw!, inRaw[0]!.folder), folderName: inRaw[0]!.folder, via: 'id', sameIdFolders: candidates };
}

/** The id nnU-Net reads from a name: `int(name[7:10])`. */
export function idOf(folderName: string): number | undefined {
  const match = /^Dataset(\d{3})/.exec(folderName);
  return match ? Number(match[1]) : undefined;
}

async function sameIdFolders(id: number | undefined, env: NodeJS.ProcessEnv): Promise<DatasetCandidate[]> {
  if (id === undefined) return [];
  // "Dataset%03.0d": the prefix is matched by startsWith, so Dataset0012_x is a candidate for id 1.
  const prefix = `Dataset${String(id).padStart(3, '0')}`;
  const found: DatasetCandidate[] = [];
  for (const variable of ROOT_VARIABLES) {
    const root = env[variable];
    if (!root) continue;
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isDirectory() && e.name.startsWith(prefix)) found.push({ variable, folder: e.name });
  }
  return found;
}
