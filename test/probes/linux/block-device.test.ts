import { describe, expect, it } from 'vitest';
import { describeBlockDevice, devNumbers } from '../../../src/probes/linux/block-device.js';
import { fakeRead } from './fixture.js';

describe('devNumbers', () => {
  it('splits dev_t the way glibc does', () => {
    expect(devNumbers(0xfe00)).toEqual({ major: 254, minor: 0 });
    expect(devNumbers(0x0801)).toEqual({ major: 8, minor: 1 });
    // nvme0n1p2 is 259:2; large minors spill into bits 20..31.
    expect(devNumbers(0x10302)).toEqual({ major: 259, minor: 2 });
    expect(devNumbers((0x12 << 20) | (0x3 << 8) | 0x45)).toEqual({ major: 3, minor: 0x1245 });
  });
});

describe('describeBlockDevice', () => {
  const sys = (links: Record<string, string>) => async (p: string) => {
    const target = links[p];
    if (!target) throw new Error('ENOENT');
    return target;
  };

  it('goes from a partition to its disk and reads its flags', async () => {
    const read = fakeRead({
      '/sys/devices/pci0000:00/0000:00:1d.0/nvme/nvme0/nvme0n1/nvme0n1p2/partition': '2\n',
      '/sys/devices/pci0000:00/0000:00:1d.0/nvme/nvme0/nvme0n1/queue/rotational': '0\n',
      '/sys/devices/pci0000:00/0000:00:1d.0/nvme/nvme0/nvme0n1/removable': '0\n',
    });
    const device = await describeBlockDevice(0x10302, read, sys({ '/sys/dev/block/259:2': '/sys/devices/pci0000:00/0000:00:1d.0/nvme/nvme0/nvme0n1/nvme0n1p2' }));
    expect(device).toEqual({ disk: 'nvme0n1', rotational: false, removable: false, usb: false, virtual: false });
  });

  it('recognises a USB disk and a virtio disk', async () => {
    const usbPath = '/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host4/target4:0:0/4:0:0:0/block/sdb';
    const usb = await describeBlockDevice(0x0811, fakeRead({ [`${usbPath}/sdb1/partition`]: '1', [`${usbPath}/queue/rotational`]: '1', [`${usbPath}/removable`]: '0' }), sys({ '/sys/dev/block/8:17': `${usbPath}/sdb1` }));
    expect(usb).toEqual({ disk: 'sdb', rotational: true, removable: false, usb: true, virtual: false });
    const vdaPath = '/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda';
    const vda = await describeBlockDevice(0xfe00, fakeRead({ [`${vdaPath}/queue/rotational`]: '1\n' }), sys({ '/sys/dev/block/254:0': vdaPath }));
    expect(vda).toEqual({ disk: 'vda', rotational: true, removable: null, usb: false, virtual: true });
  });

  it('returns null for a device /sys does not know (overlay, tmpfs, network)', async () => {
    expect(await describeBlockDevice(0x2d, fakeRead({}), sys({}))).toBeNull();
  });
});
