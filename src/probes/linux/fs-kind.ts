import type { MountEntry } from './proc-mounts.js';

/**
 * What a filesystem means for nnU-Net's I/O: `local` disks are fine; `network` and `fuse` add latency to
 * every one of the many small reads training makes; `windows-drive` is WSL's 9p/drvfs bridge to C:\ (slow,
 * #2085); `memory` is lost at reboot; `overlay` is a container's writable layer, lost with the container.
 */
export type FilesystemKind = 'local' | 'network' | 'fuse' | 'windows-drive' | 'memory' | 'overlay' | 'unknown';

const LOCAL = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'zfs', 'f2fs', 'jfs', 'reiserfs', 'bcachefs', 'ntfs', 'ntfs3', 'vfat', 'exfat', 'apfs', 'hfs', 'hfsplus']);
// Cluster and host-share filesystems, including FUSE clients that talk to a remote store.
const NETWORK = new Set([
  'nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ceph', 'glusterfs', 'lustre', 'gpfs', 'beegfs', 'afs', 'ncpfs', 'panfs', 'wekafs',
  'vboxsf', 'vmhgfs', '9p', 'virtiofs',
  'fuse.sshfs', 'fuse.s3fs', 'fuse.gcsfuse', 'fuse.rclone', 'fuse.glusterfs', 'fuse.ceph-fuse', 'fuse.juicefs', 'fuse.goofys',
  'fuse.vmhgfs-fuse', 'fuse.davfs', 'fuse.blobfuse', 'fuse.blobfuse2', 'fuse.mountpoint-s3',
]);
const MEMORY = new Set(['tmpfs', 'ramfs']);

export function classifyFilesystem(mount: Pick<MountEntry, 'fsType' | 'options'>): FilesystemKind {
  const type = mount.fsType;
  if (type === 'drvfs' || mount.options.some((o) => o.startsWith('aname=drvfs'))) return 'windows-drive';
  if (LOCAL.has(type)) return 'local';
  if (NETWORK.has(type) || type.startsWith('nfs')) return 'network';
  if (type === 'fuse' || type === 'fuseblk' || type.startsWith('fuse.')) return 'fuse';
  if (MEMORY.has(type)) return 'memory';
  if (type === 'overlay' || type === 'aufs') return 'overlay';
  return 'unknown';
}
