import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/core/exec.js';
import { estimateEpoch, estimateInference, fmtDuration, roundHalfEven, slidingWindowSteps } from '../../src/engine/estimates.js';

/** The same tile placement computed with numpy (Debian's python3-numpy), whose np.round rounds halves to even. */
const NUMPY_STEPS = `
import json, sys
import numpy as np
out = {}
for size in range(1, 130):
    for tile in (5, 8, 13, 16, 24, 32):
        if size < tile:
            continue
        n = int(np.ceil((size - tile) / (tile * 0.5))) + 1
        actual = (size - tile) / (n - 1) if n > 1 else 99999999999
        out[f"{size},{tile}"] = [int(np.round(actual * i)) for i in range(n)]
json.dump(out, sys.stdout)
`;

describe('sliding-window and epoch estimates', () => {
  it('places tiles as compute_steps_for_sliding_window does (step 0.5)', () => {
    expect(slidingWindowSteps([512], [128])).toEqual([[0, 64, 128, 192, 256, 320, 384]]);
    // 200 with tile 128: ceil(72 / 64) + 1 = 3 steps, spread evenly over 72 voxels.
    expect(slidingWindowSteps([200], [128])).toEqual([[0, 36, 72]]);
    expect(slidingWindowSteps([100], [128])).toEqual([[0]]);
  });

  it('rounds a half step to even as np.round does: size 13, tile 8 gives [0, 2, 5], not [0, 3, 5]', () => {
    expect(slidingWindowSteps([13], [8])).toEqual([[0, 2, 5]]);
    expect([0.5, 1.5, 2.5, 3.5, -2.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, -2, 2, 3]);
  });

  it('agrees with numpy on every image size up to 129 for six tile sizes', async () => {
    const r = await runCommand('/usr/bin/python3', ['-c', NUMPY_STEPS], { timeoutMs: 60_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const expected = JSON.parse(r.stdout) as Record<string, number[]>;
    expect(Object.keys(expected).length).toBeGreaterThan(600);
    for (const [key, steps] of Object.entries(expected)) {
      const [size, tile] = key.split(',').map(Number) as [number, number];
      expect(slidingWindowSteps([size], [tile])[0], key).toEqual(steps);
    }
  });

  it('counts tiles and mirrored passes; 2D predicts every slice', () => {
    const e3 = estimateInference([512, 512, 512], [128, 128, 128], 0.1);
    expect(e3.tiles).toBe(343);
    expect(e3.forwardPassesMirrored).toBe(343 * 8);
    expect(e3.secondsNoMirroring).toBeCloseTo(34.3);
    const e2 = estimateInference([36, 50, 35], [56, 40], 0.01);
    expect(e2.tiles).toBe(36);
    expect(e2.forwardPassesMirrored).toBe(36 * 4);
  });

  it('puts 250 training steps and 50 validation passes in an epoch', () => {
    const e = estimateEpoch(2, 3);
    expect(e.secondsPerIteration).toBe(6);
    expect(e.secondsPerEpoch).toBe(250 * 6 + 50 * 2);
    expect(e.hoursFor1000Epochs).toBeCloseTo((1600 * 1000) / 3600);
    expect(fmtDuration(e.secondsPerEpoch)).toBe('27 min');
    expect(fmtDuration(e.hoursFor1000Epochs * 3600)).toBe('18.5 days');
  });
});

describe('published reference epochs', () => {
  it('apply to a configuration of the same kind only', async () => {
    const { referencesFor } = await import('../../src/engine/references.js');
    expect(referencesFor(3, 128 ** 3, 2)?.references[0]).toMatchObject({ label: 'A100 40GB PCIe', secondsPerEpoch: 41.49 });
    expect(referencesFor(3, 40 * 56 * 40, 9)?.references[0]?.secondsPerEpoch).toBe(7.5);
    expect(referencesFor(2, 512 ** 2, 12)?.what).toMatch(/Liver 2d/);
    expect(referencesFor(3, 32 ** 3, 2)).toBeUndefined();
  });
});
