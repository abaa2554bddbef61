import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTorchOnnx, startTorchForward } from '../../../bench/peers/torch-forward.js';
import { preset } from '../../../src/engine/presets.js';

let dir: string;
let specFile: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'torch-forward-'));
  specFile = path.join(dir, 'spec.json');
  await writeFile(specFile, JSON.stringify(preset('tiny')));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the live PyTorch forward peer', () => {
  it('answers one timed forward pass per request, with the thread count it was given', async () => {
    const peer = await startTorchForward(specFile, 1, 120_000);
    try {
      expect(peer.torch).toMatch(/^\d+\.\d+/);
      expect(peer.threads).toBe(1);
      const times = [await peer.run(), await peer.run()];
      for (const ms of times) expect(ms).toBeGreaterThan(0);
    } finally {
      peer.close();
    }
  }, 120_000);

  it('rejects and kills the peer when an answer misses its deadline', async () => {
    // Importing torch alone takes far longer than 50 ms, so the ready line cannot make it.
    await expect(startTorchForward(specFile, 1, 50)).rejects.toThrow(/no answer within 50 ms/);
  });

  it('says why when the peer cannot start', async () => {
    await expect(startTorchForward(path.join(dir, 'missing.json'), 1, 120_000)).rejects.toThrow(/exited[\s\S]*missing\.json/);
  }, 120_000);

  it('reports a failed export with the exporter\'s error', async () => {
    await expect(exportTorchOnnx(path.join(dir, 'missing.json'), path.join(dir, 'out.onnx'), 120_000)).rejects.toThrow(/torch.onnx.export failed[\s\S]*missing\.json/);
  }, 120_000);
});
