import { constants } from 'node:fs';
import { access, opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { withDeadline } from '../core/deadline.js';
import { defineProbe, type Probed } from '../core/index.js';
import { cleanPathValue, PATH_VARIABLES, type PathVariable } from '../env/nnunet-vars.js';

/** What the file system says about one path. Read-only: permissions come from access(2), nothing is written. */
export interface PathStat {
  /** The string that was looked up. */
  path: string;
  absolute: boolean;
  /** The path as a process resolves it; a relative value depends on the working directory. */
  resolved: string;
  exists: boolean;
  isDirectory: boolean;
  readable: boolean;
  writable: boolean;
  realPath?: string;
  /** Entries in the folder, counted up to ENTRY_COUNT_CAP. */
  entryCount?: number;
  entryCountCapped?: boolean;
  /** The errno code when the lookup failed for a reason other than absence (EACCES, ENOTDIR, a deadline). */
  error?: string;
}

export interface PathVariableInfo {
  name: PathVariable;
  set: boolean;
  /** The value exactly as set. */
  raw?: string;
  /** The value without surrounding whitespace and quotes; equal to raw when there was nothing to strip. */
  cleaned?: string;
  /** The raw value, as nnU-Net would use it. */
  asSet?: PathStat;
  /** The cleaned value, looked up only when it differs from the raw one. */
  asCleaned?: PathStat;
}

export interface NnunetPaths {
  cwd: string;
  folders: PathVariableInfo[];
}

declare module '../core/facts.js' {
  interface Facts {
    /** nnUNet_raw, nnUNet_preprocessed and nnUNet_results as set, and what is at each path. */
    paths: Probed<NnunetPaths>;
  }
}

const ENTRY_COUNT_CAP = 10_000;
const PER_PATH_DEADLINE_MS = 5000;

export async function statPath(value: string, cwd: string, entryCountCap = ENTRY_COUNT_CAP): Promise<PathStat> {
  const resolved = path.resolve(cwd, value);
  const base = { path: value, absolute: path.isAbsolute(value), resolved, exists: false, isDirectory: false, readable: false, writable: false };
  let info;
  try {
    info = await stat(resolved);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? base : { ...base, error: code ?? String(error) };
  }
  const can = (mode: number) => access(resolved, mode).then(() => true, () => false);
  const isDirectory = info.isDirectory();
  const [readable, writable, realPath] = await Promise.all([
    can(isDirectory ? constants.R_OK | constants.X_OK : constants.R_OK),
    can(constants.W_OK),
    realpath(resolved).catch(() => undefined),
  ]);
  const entries = isDirectory && readable ? await countEntries(resolved, entryCountCap) : undefined;
  return { ...base, exists: true, isDirectory, readable, writable, realPath, ...entries };
}

async function countEntries(dir: string, cap: number): Promise<{ entryCount: number; entryCountCapped: boolean } | undefined> {
  try {
    let entryCount = 0;
    for await (const _ of await opendir(dir, { bufferSize: 256 })) {
      if (entryCount === cap) return { entryCount, entryCountCapped: true };
      entryCount += 1;
    }
    return { entryCount, entryCountCapped: false };
  } catch {
    return undefined;
  }
}

/** A hung network mount must cost one path its answer, not the whole fact. */
async function statWithDeadline(value: string, cwd: string): Promise<PathStat> {
  try {
    return await withDeadline(statPath(value, cwd), PER_PATH_DEADLINE_MS);
  } catch (error) {
    const resolved = path.resolve(cwd, value);
    return { path: value, absolute: path.isAbsolute(value), resolved, exists: false, isDirectory: false, readable: false, writable: false, error: (error as Error).message };
  }
}

export async function describePathVariable(name: PathVariable, raw: string | undefined, cwd: string): Promise<PathVariableInfo> {
  if (raw === undefined) return { name, set: false };
  const cleaned = cleanPathValue(raw);
  // An empty value is "set" for nnU-Net and means the working directory; the check explains, nothing to look up.
  if (raw === '') return { name, set: true, raw, cleaned };
  const [asSet, asCleaned] = await Promise.all([
    statWithDeadline(raw, cwd),
    cleaned !== raw && cleaned !== '' ? statWithDeadline(cleaned, cwd) : undefined,
  ]);
  return { name, set: true, raw, cleaned, asSet, ...(asCleaned ? { asCleaned } : {}) };
}

export const pathsProbe = defineProbe({
  fact: 'paths',
  async probe({ env }) {
    const cwd = process.cwd();
    const folders = await Promise.all(PATH_VARIABLES.map((name) => describePathVariable(name, env[name], cwd)));
    return { ok: true, cwd, folders };
  },
});
