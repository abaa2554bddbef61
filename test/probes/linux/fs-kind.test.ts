import { describe, expect, it } from 'vitest';
import { classifyFilesystem } from '../../../src/probes/linux/fs-kind.js';
import { mountFor, parseProcMounts } from '../../../src/probes/linux/proc-mounts.js';
import { procFixture } from './fixture.js';

const kindAt = (fixture: string, at: string) => classifyFilesystem(mountFor(parseProcMounts(procFixture(fixture)), at)!);

describe('classifyFilesystem', () => {
  it('tells WSL Windows drives from the Linux disk and from WSL’s own 9p mounts', () => {
    expect(kindAt('mounts-wsl2.txt', '/mnt/c/Users/alice')).toBe('windows-drive');
    expect(kindAt('mounts-wsl2.txt', '/home/alice')).toBe('local');
    expect(kindAt('mounts-wsl2.txt', '/usr/lib/wsl/drivers/x')).toBe('network');
    expect(classifyFilesystem({ fsType: 'drvfs', options: ['rw'] })).toBe('windows-drive');
  });

  it('recognises cluster, FUSE and removable mounts', () => {
    expect(kindAt('mounts-hpc.txt', '/scratch/a')).toBe('network');
    expect(kindAt('mounts-hpc.txt', '/projects/a')).toBe('network');
    expect(kindAt('mounts-hpc.txt', '/home/alice/remote data/a')).toBe('network');
    expect(kindAt('mounts-hpc.txt', '/local_scratch/a')).toBe('local');
    expect(kindAt('mounts-hpc.txt', '/media/alice/USB DISK/a')).toBe('local');
    expect(classifyFilesystem({ fsType: 'fuse.someclient', options: [] })).toBe('fuse');
    expect(classifyFilesystem({ fsType: 'fuseblk', options: [] })).toBe('fuse');
  });

  it('flags memory, container layers and unknown types', () => {
    expect(kindAt('mounts-docker-v1.txt', '/dev/shm/x')).toBe('memory');
    expect(classifyFilesystem({ fsType: 'overlay', options: [] })).toBe('overlay');
    expect(classifyFilesystem({ fsType: 'weirdfs', options: [] })).toBe('unknown');
  });
});
