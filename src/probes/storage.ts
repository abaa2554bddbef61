import { realpath, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { withDeadline } from '../core/deadline.js';
import { defineProbe, failure, type Probed } from '../core/index.js';
import type { PathVariable } from '../env/nnunet-vars.js';
import { describeBlockDevice, type BlockDevice } from './linux/block-device.js';
import { classifyFilesystem, type FilesystemKind } from './linux/fs-kind.js';
import { mountFor, parseProcMounts, type MountEntry } from './linux/proc-mounts.js';
import { readTextOrNull } from './linux/read.js';
import type { PathVariableInfo } from './paths.js';

export interface FolderStorage {
  name: PathVariable;
  /** The folder whose file system was measured: the variable's folder, or its nearest existing parent. */
  probedPath: string;
  /** The folder does not exist yet; its parent says where nnU-Net would create it. */
  viaParent: boolean;
  freeBytes?: number;
  totalBytes?: number;
  /** Linux only: from /proc/self/mounts. */
  fsType?: string;
  mountPoint?: string;
  kind: FilesystemKind;
  /** Linux only, and only for file systems on a local block device. */
  device?: BlockDevice;
  error?: string;
}

declare module '../core/facts.js' {
  interface Facts {
    /** Free space, file-system type and disk kind under each nnU-Net folder. */
    storage: Probed<{ folders: FolderStorage[] }>;
  }
}

const PER_FOLDER_DEADLINE_MS = 5000;

/** The path storage should be measured at: the first of the raw or cleaned value that exists, or where it would go. */
export function storageTarget(info: PathVariableInfo): { path: string; exists: boolean } | undefined {
  const found = [info.asSet, info.asCleaned].find((s) => s?.exists);
  if (found) return { path: found.realPath ?? found.resolved, exists: true };
  const intended = info.asCleaned ?? info.asSet;
  return intended ? { path: intended.resolved, exists: false } : undefined;
}

async function nearestExisting(start: string): Promise<string> {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (await stat(dir).then(() => true, () => false)) return dir;
    if (path.dirname(dir) === dir) return dir;
  }
}

async function measure(name: PathVariable, target: { path: string; exists: boolean }, mounts: MountEntry[] | null): Promise<FolderStorage> {
  const probedPath = target.exists ? target.path : await realpath(await nearestExisting(target.path)).catch(() => target.path);
  const result: FolderStorage = { name, probedPath, viaParent: !target.exists, kind: 'unknown' };
  try {
    const fs = await statfs(probedPath);
    result.freeBytes = fs.bavail * fs.bsize;
    result.totalBytes = fs.blocks * fs.bsize;
  } catch (error) {
    result.error = (error as Error).message;
  }
  const mount = mounts ? mountFor(mounts, probedPath) : undefined;
  if (mount) {
    result.fsType = mount.fsType;
    result.mountPoint = mount.mountPoint;
    result.kind = classifyFilesystem(mount);
    const device = result.kind === 'local' ? await describeBlockDevice((await stat(probedPath)).dev, readTextOrNull).catch(() => null) : null;
    if (device) result.device = device;
  }
  return result;
}

export const storageProbe = defineProbe({
  fact: 'storage',
  async probe(ctx) {
    const paths = await ctx.fact('paths');
    if (!paths.ok) return failure(`the nnU-Net folders could not be read: ${paths.reason}`);
    const mountsText = ctx.platform === 'linux' ? await readTextOrNull('/proc/self/mounts') : null;
    const mounts = mountsText === null ? null : parseProcMounts(mountsText);
    const folders = await Promise.all(
      paths.folders.flatMap((info) => {
        const target = storageTarget(info);
        if (!target) return [];
        return [
          withDeadline(measure(info.name, target, mounts), PER_FOLDER_DEADLINE_MS).catch(
            (error: Error): FolderStorage => ({ name: info.name, probedPath: target.path, viaParent: !target.exists, kind: 'unknown', error: error.message }),
          ),
        ];
      }),
    );
    return { ok: true, folders };
  },
});
