import { describe, expect, it } from 'vitest';
import { mountFor, parseProcMounts } from '../../../src/probes/linux/proc-mounts.js';
import { procFixture } from './fixture.js';

describe('parseProcMounts', () => {
  it('reads every line of a recorded container mount table', () => {
    const mounts = parseProcMounts(procFixture('mounts-docker-v1.txt'));
    expect(mounts).toHaveLength(20);
    expect(mounts.find((m) => m.mountPoint === '/')).toEqual({ source: '/dev/vda', mountPoint: '/', fsType: 'ext4', options: ['rw', 'relatime', 'discard', 'resv_strict', 'resuid=65534', 'resgid=65534'] });
  });

  it('decodes the octal escapes the kernel writes for spaces and backslashes', () => {
    const hpc = parseProcMounts(procFixture('mounts-hpc.txt'));
    expect(hpc.map((m) => m.mountPoint)).toContain('/home/alice/remote data');
    expect(hpc.map((m) => m.mountPoint)).toContain('/media/alice/USB DISK');
    const wsl = parseProcMounts(procFixture('mounts-wsl2.txt'));
    expect(wsl.find((m) => m.mountPoint === '/mnt/c')?.source).toBe('C:\\');
  });

  it('skips blank and truncated lines', () => {
    expect(parseProcMounts('\n/dev/sda1 /boot\n  \n/dev/sda2 / ext4 rw 0 0\n')).toHaveLength(1);
  });
});

describe('mountFor', () => {
  const hpc = parseProcMounts(procFixture('mounts-hpc.txt'));

  it('picks the longest mount point that is a path prefix', () => {
    expect(mountFor(hpc, '/scratch/shared/alice')?.source).toBe('nfs01:/export/scratch/shared');
    expect(mountFor(hpc, '/scratch/alice/nnUNet_preprocessed')?.fsType).toBe('nfs4');
    expect(mountFor(hpc, '/projects/lab/nnUNet_raw')?.fsType).toBe('lustre');
    expect(mountFor(hpc, '/home/alice/remote data/x')?.fsType).toBe('fuse.sshfs');
  });

  it('does not match a mount point that is only a string prefix', () => {
    expect(mountFor(hpc, '/scratchpad/x')?.mountPoint).toBe('/');
    expect(mountFor(hpc, '/projects')?.mountPoint).toBe('/projects');
  });

  it('lets the last of several mounts on one point win, as the kernel shows it', () => {
    const stacked = parseProcMounts('/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /data ext4 rw 0 0\nserver:/d /data nfs4 rw 0 0\n');
    expect(mountFor(stacked, '/data/x')?.fsType).toBe('nfs4');
  });

  it('finds WSL drive mounts', () => {
    const wsl = parseProcMounts(procFixture('mounts-wsl2.txt'));
    expect(mountFor(wsl, '/mnt/c/Users/alice/nnunet')?.fsType).toBe('9p');
    expect(mountFor(wsl, '/home/alice/nnUNet_data')?.fsType).toBe('ext4');
  });
});
