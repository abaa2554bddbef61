import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPciDisplayDevices } from '../../src/probes/gpu.js';

function sysfs(devices: Record<string, [pciClass: string, vendor: string]>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pci-'));
  for (const [address, [pciClass, vendor]] of Object.entries(devices)) {
    mkdirSync(path.join(root, address));
    writeFileSync(path.join(root, address, 'class'), `${pciClass}\n`);
    writeFileSync(path.join(root, address, 'vendor'), `${vendor}\n`);
  }
  return root;
}

describe('listPciDisplayDevices', () => {
  it('lists display controllers by vendor and skips everything else', async () => {
    const root = sysfs({ '0000:01:00.0': ['0x030000', '0x10de'], '0000:02:00.0': ['0x030200', '0x1002'], '0000:00:1f.6': ['0x020000', '0x8086'] });
    expect(await listPciDisplayDevices(root)).toEqual([
      { index: 0, vendor: 'nvidia', name: 'NVIDIA GPU (PCI 0000:01:00.0)' },
      { index: 1, vendor: 'amd', name: 'AMD GPU (PCI 0000:02:00.0)' },
    ]);
  });

  it('finds nothing where there is no sysfs', async () => {
    expect(await listPciDisplayDevices(path.join(os.tmpdir(), 'no-such-sysfs'))).toEqual([]);
  });
});
