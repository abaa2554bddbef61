import { describe, expect, it } from 'vitest';
import type { FolderStorage } from '../../src/probes/storage.js';
import { judgeStorage } from '../../src/system/storage-rules.js';
import { GiB } from '../../src/util/format.js';

const ssd = { disk: 'nvme0n1', rotational: false, removable: false, usb: false, virtual: false };
const local = (name: FolderStorage['name'], change: Partial<FolderStorage> = {}): FolderStorage => ({
  name, probedPath: `/data/${name}`, viaParent: false, freeBytes: 500 * GiB, totalBytes: 1000 * GiB, fsType: 'ext4', mountPoint: '/data', kind: 'local', device: ssd, ...change,
});
const one = (folder: FolderStorage) => judgeStorage([folder])[0]!;

describe('judgeStorage', () => {
  it('passes a local SSD with room', () => {
    expect(one(local('nnUNet_preprocessed'))).toMatchObject({ status: 'pass', summary: 'nnUNet_preprocessed: 500 GiB free of 1000 GiB on ext4 (/data), disk nvme0n1, SSD' });
  });

  it('sets free-space floors by what nnU-Net writes where', () => {
    expect(one(local('nnUNet_preprocessed', { freeBytes: 1 * GiB }))).toMatchObject({ status: 'fail', summary: 'nnUNet_preprocessed has only 1.0 GiB free' });
    expect(one(local('nnUNet_preprocessed', { freeBytes: 20 * GiB })).status).toBe('warn');
    expect(one(local('nnUNet_results', { freeBytes: 20 * GiB })).status).toBe('pass');
    expect(one(local('nnUNet_results', { freeBytes: 5 * GiB })).status).toBe('warn');
    expect(one(local('nnUNet_raw', { freeBytes: 0 })).status).toBe('pass');
  });

  it('warns about slow places for preprocessed data and only notes them for the others', () => {
    const nfs = { kind: 'network' as const, fsType: 'nfs4', device: undefined };
    expect(one(local('nnUNet_preprocessed', nfs))).toMatchObject({ status: 'warn', summary: 'nnUNet_preprocessed is on a network file system (nfs4); training reads it on every iteration' });
    expect(one(local('nnUNet_raw', nfs))).toMatchObject({ status: 'info', details: 'It is on a network file system (nfs4).' });
    expect(one(local('nnUNet_preprocessed', { kind: 'fuse', fsType: 'fuse.sshfs', device: undefined })).status).toBe('warn');
    const hdd = { ...ssd, disk: 'sda', rotational: true };
    expect(one(local('nnUNet_preprocessed', { device: hdd }))).toMatchObject({ status: 'warn', summary: "nnUNet_preprocessed is on a spinning disk (sda); nnU-Net asks for an SSD" });
    expect(one(local('nnUNet_results', { device: hdd })).status).toBe('info');
    expect(one(local('nnUNet_preprocessed', { device: { ...ssd, disk: 'sdc', usb: true } })).summary).toBe('nnUNet_preprocessed is on a USB drive (sdc)');
  });

  it('warns about WSL Windows drives, RAM disks and container layers for every folder that is written', () => {
    expect(one(local('nnUNet_raw', { kind: 'windows-drive', fsType: '9p', device: undefined })).status).toBe('warn');
    expect(one(local('nnUNet_results', { kind: 'memory', fsType: 'tmpfs', device: undefined })).status).toBe('warn');
    expect(one(local('nnUNet_results', { kind: 'overlay', fsType: 'overlay', device: undefined })).fix).toMatch(/docker run -v/);
    expect(one(local('nnUNet_raw', { kind: 'overlay', fsType: 'overlay', device: undefined })).status).toBe('info');
  });

  it("does not blame a virtual disk's rotational flag", () => {
    const vda = one(local('nnUNet_preprocessed', { device: { ...ssd, disk: 'vda', rotational: true, virtual: true } }));
    expect(vda.status).toBe('info');
    expect(vda.summary).toMatch(/disk vda, virtual/);
  });

  it('puts the worst problem first and keeps the others in the explanation and fix', () => {
    const finding = one(local('nnUNet_preprocessed', { freeBytes: 1 * GiB, kind: 'network', fsType: 'nfs4', device: undefined, viaParent: true, probedPath: '/scratch' }));
    expect(finding.status).toBe('fail');
    expect(finding.details).toMatch(/measured at \/scratch.*It is on a network file system/);
    expect(finding.fix).toMatch(/free disk space.*; copy nnUNet_preprocessed to node-local SSD/);
  });

  it('warns when a folder could not be measured', () => {
    expect(one({ name: 'nnUNet_results', probedPath: '/nfs/res', viaParent: false, kind: 'unknown', error: 'did not finish within 5.0 s' })).toMatchObject({
      status: 'warn',
      summary: 'nnUNet_results could not be measured: did not finish within 5.0 s',
    });
  });
});
