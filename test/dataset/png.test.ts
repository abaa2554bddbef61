import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePng } from '../../fixtures/dataset/writers.js';
import { scanVolumeFile } from '../../src/dataset/read-volume.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nnunet-doctor-png-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const pixels = Array.from({ length: 13 * 7 * 3 }, (_, i) => (i * 37) % 256);
const scan = (name: string, role: 'image' | 'label' = 'image') => scanVolumeFile({ absolutePath: path.join(tmp, name), path: name, role });

describe('PNG reading', () => {
  it.each([0, 1, 2, 3, 4])('reverses row filter %i exactly (RGB: 3 components)', async (filter) => {
    await writePng(path.join(tmp, `f${filter}.png`), 13, 7, pixels, { channels: 3, filter });
    const r = await scan(`f${filter}.png`);
    expect(r.error).toBeUndefined();
    expect(r.header).toMatchObject({ format: 'png', components: 3, geometry: { shape: [13, 7] } });
    expect(r.values).toMatchObject({ voxels: pixels.length, min: 0, max: 255 });
    expect(r.values!.mean).toBeCloseTo(pixels.reduce((a, b) => a + b, 0) / pixels.length, 9);
  });

  it('counts a grey 0/255 mask per value', async () => {
    await writePng(path.join(tmp, 'mask.png'), 10, 10, Array.from({ length: 100 }, (_, i) => (i < 30 ? 255 : 0)));
    expect((await scan('mask.png', 'label')).values!.valueCounts).toEqual([[0, 70], [255, 30]]);
  });

  it('reports corrupt and cut image data instead of hanging or crashing', async () => {
    const good = await readFile(path.join(tmp, 'f0.png'));
    const corrupt = Buffer.from(good);
    corrupt[60] = corrupt[60]! ^ 0xff;
    await writeFile(path.join(tmp, 'corrupt.png'), corrupt);
    expect((await scan('corrupt.png')).error).toMatchObject({ kind: 'not-gzip' });
    await writeFile(path.join(tmp, 'cut.png'), good.subarray(0, 50));
    expect((await scan('cut.png')).error).toMatchObject({ kind: 'truncated' });
    await writeFile(path.join(tmp, 'huge.png'), Buffer.concat([good.subarray(0, 16), Buffer.from([0x7f, 0, 0, 0, 0x7f, 0, 0, 0]), good.subarray(24)]));
    expect((await scan('huge.png')).error).toMatchObject({ kind: 'size-mismatch' });
  });
});
