import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ReadText } from './read.js';

export interface BlockDevice {
  /** The whole disk (sda, nvme0n1, dm-0), not the partition. */
  disk: string;
  rotational: boolean | null;
  removable: boolean | null;
  usb: boolean;
  /** A hypervisor's disk (virtio, Xen): its rotational flag says little about the storage behind it. */
  virtual: boolean;
}

/** Splits a Linux dev_t as the kernel encodes it (glibc's gnu_dev_major/minor). */
export function devNumbers(dev: number): { major: number; minor: number } {
  const high = Math.floor(dev / 2 ** 32);
  const low = dev % 2 ** 32;
  const major = ((low >>> 8) & 0xfff) | ((high & ~0xfff) >>> 0);
  const minor = (low & 0xff) | ((low >>> 12) & 0xfff00);
  return { major, minor };
}

/**
 * Describes the disk behind a device number through /sys/dev/block, or null for filesystems without one
 * (overlay, tmpfs, network mounts report anonymous device numbers that /sys does not list).
 */
export async function describeBlockDevice(dev: number, read: ReadText, resolve: (p: string) => Promise<string> = realpath): Promise<BlockDevice | null> {
  const { major, minor } = devNumbers(dev);
  const sysPath = await resolve(`/sys/dev/block/${major}:${minor}`).catch(() => null);
  if (!sysPath) return null;
  const isPartition = (await read(path.posix.join(sysPath, 'partition'))) !== null;
  const diskPath = isPartition ? path.posix.dirname(sysPath) : sysPath;
  const flag = async (file: string) => {
    const text = await read(path.posix.join(diskPath, file));
    return text === null ? null : text.trim() === '1';
  };
  const disk = path.posix.basename(diskPath);
  return {
    disk,
    rotational: await flag('queue/rotational'),
    removable: await flag('removable'),
    usb: /\/usb\d*\//.test(diskPath),
    virtual: /\/(virtio\d*|xen)\//.test(diskPath) || /^(vd|xvd)[a-z]/.test(disk),
  };
}
