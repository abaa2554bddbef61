import { describe, expect, it } from 'vitest';
import { deepSupervisionWeights, polyLr } from '../../../src/engine/train/schedule.js';

describe('nnU-Net schedule', () => {
  it('poly LR from 1e-2 with exponent 0.9 over 1000 epochs', () => {
    expect(polyLr(0)).toBe(0.01);
    expect(polyLr(500)).toBeCloseTo(0.01 * 0.5 ** 0.9, 12);
    expect(polyLr(999)).toBeCloseTo(0.01 * 0.001 ** 0.9, 12);
  });

  it('deep-supervision weights 1/2^i, the lowest resolution 0, normalized (training-math §4 table)', () => {
    expect(deepSupervisionWeights(3).map((w) => +w.toFixed(3))).toEqual([0.667, 0.333, 0]);
    expect(deepSupervisionWeights(5).map((w) => +w.toFixed(3))).toEqual([0.533, 0.267, 0.133, 0.067, 0]);
    expect(deepSupervisionWeights(6).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(() => deepSupervisionWeights(1)).toThrow(/at least 2 outputs/);
  });
});
