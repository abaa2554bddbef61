import { fail, info, pass, warn, type Finding, type Status } from '../core/finding.js';
import type { PathVariable } from '../env/nnunet-vars.js';
import type { FolderStorage } from '../probes/storage.js';
import { fmtBytes, GiB } from '../util/format.js';

const REF = 'nnU-Net documentation/setting_up_paths.md (nnUNet_preprocessed on a low-latency SSD); documentation/benchmarking.md';

/** Free space below which writing fails soon, and below which it is tight. Raw data is only read. */
const FREE_SPACE: Record<PathVariable, { failBelow: number; warnBelow: number }> = {
  nnUNet_raw: { failBelow: 0, warnBelow: 0 },
  // Preprocessed arrays are float32, about the size of the resampled images: tens of GB for a CT dataset.
  nnUNet_preprocessed: { failBelow: 2 * GiB, warnBelow: 50 * GiB },
  // Checkpoints and validation exports: a few hundred MB per fold and configuration.
  nnUNet_results: { failBelow: 1 * GiB, warnBelow: 10 * GiB },
};

interface Issue {
  status: Status;
  text: string;
  fix?: string;
}

/** One finding per nnU-Net folder: free space, then the kind of file system and disk under it. */
export function judgeStorage(folders: readonly FolderStorage[]): Finding[] {
  return folders.map(judgeFolder);
}

function judgeFolder(folder: FolderStorage): Finding {
  const issues = [...spaceIssues(folder), ...fileSystemIssues(folder), ...deviceIssues(folder)];
  const order: Status[] = ['fail', 'warn', 'info'];
  issues.sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  const evidence = { ...folder };
  const worst = issues.find((i) => i.status === 'fail' || i.status === 'warn');
  const description = describe(folder);
  const sentences = (list: Issue[]) => list.map((i) => `It ${i.text}.`).join(' ');
  if (!worst) {
    return (issues.length > 0 ? info : pass)(`${folder.name}: ${description}`, { details: sentences(issues) || undefined, ref: REF, evidence });
  }
  const rest = issues.filter((i) => i !== worst);
  const make = worst.status === 'fail' ? fail : warn;
  return make(`${folder.name} ${worst.text}`, {
    why: `${description}. ${sentences(rest)}`.trim(),
    fix: [worst, ...rest].map((i) => i.fix).filter(Boolean).join('; ') || undefined,
    ref: REF,
    evidence,
  });
}

function describe(folder: FolderStorage): string {
  const free = folder.freeBytes === undefined ? 'free space unknown' : `${fmtBytes(folder.freeBytes)} free of ${fmtBytes(folder.totalBytes ?? 0)}`;
  const fs = folder.fsType ? ` on ${folder.fsType}${folder.mountPoint ? ` (${folder.mountPoint})` : ''}` : '';
  const disk = folder.device ? `, disk ${folder.device.disk}${diskKind(folder)}` : '';
  const where = folder.viaParent ? ` (measured at ${folder.probedPath}, the folder does not exist yet)` : '';
  return `${free}${fs}${disk}${where}`;
}

function diskKind(folder: FolderStorage): string {
  const d = folder.device!;
  if (d.usb) return ', USB';
  if (d.virtual) return ', virtual';
  return d.rotational === true ? ', HDD' : d.rotational === false ? ', SSD' : '';
}

function spaceIssues(folder: FolderStorage): Issue[] {
  if (folder.error) return [{ status: 'warn', text: `could not be measured: ${folder.error}`, fix: 'check that the file system is mounted and reachable' }];
  const limits = FREE_SPACE[folder.name];
  const free = folder.freeBytes;
  if (free === undefined) return [];
  if (free < limits.failBelow) {
    return [{ status: 'fail', text: `has only ${fmtBytes(free)} free`, fix: 'free disk space or move the folder to a larger disk; a full disk leaves truncated files ("mmap length is greater than file size")' }];
  }
  if (free < limits.warnBelow) {
    return [{ status: 'warn', text: `has ${fmtBytes(free)} free; large datasets need more`, fix: `keep at least ${fmtBytes(limits.warnBelow)} free for ${folder.name}` }];
  }
  return [];
}

function fileSystemIssues(folder: FolderStorage): Issue[] {
  const hot = folder.name === 'nnUNet_preprocessed';
  const moveFix = `move ${folder.name} to a local SSD (for example under $HOME) and update the variable`;
  switch (folder.kind) {
    case 'windows-drive':
      return [{ status: 'warn', text: `is on a Windows drive seen through WSL (${folder.fsType}), which is many times slower than the Linux file system (#2085)`, fix: 'keep nnU-Net folders inside WSL, e.g. ~/nnUNet_data, not under /mnt/c' }];
    case 'network':
      return [{ status: hot ? 'warn' : 'info', text: `is on a network file system (${folder.fsType})${hot ? '; training reads it on every iteration' : ''}`, fix: hot ? 'copy nnUNet_preprocessed to node-local SSD scratch (e.g. $TMPDIR) for training' : undefined }];
    case 'fuse':
      return [{ status: hot ? 'warn' : 'info', text: `is on a FUSE file system (${folder.fsType}), where every read goes through a user-space process`, fix: hot ? moveFix : undefined }];
    case 'memory':
      return [{ status: folder.name === 'nnUNet_raw' ? 'info' : 'warn', text: `is on ${folder.fsType}, in RAM: lost at reboot, and it takes memory from training`, fix: moveFix }];
    case 'overlay':
      return [{ status: folder.name === 'nnUNet_raw' ? 'info' : 'warn', text: "is in the container's writable layer: lost when the container is removed, and slow", fix: 'mount a volume from the host (docker run -v /data/nnUNet:/data/nnUNet) and point the variable into it' }];
    default:
      return [];
  }
}

function deviceIssues(folder: FolderStorage): Issue[] {
  const d = folder.device;
  if (!d) return [];
  const hot = folder.name === 'nnUNet_preprocessed';
  const moveFix = 'move nnUNet_preprocessed to an NVMe SSD (the docs: PCIe gen 3 is enough)';
  if (d.usb || d.removable) return [{ status: hot ? 'warn' : 'info', text: `is on a ${d.usb ? 'USB' : 'removable'} drive (${d.disk})`, fix: hot ? moveFix : undefined }];
  if (d.rotational && d.virtual) return [{ status: 'info', text: `is on a virtual disk (${d.disk}); the kernel calls it rotational, which says little about the storage behind it` }];
  if (d.rotational) return [{ status: hot ? 'warn' : 'info', text: `is on a spinning disk (${d.disk})${hot ? '; nnU-Net asks for an SSD' : ''}`, fix: hot ? moveFix : undefined }];
  return [];
}
