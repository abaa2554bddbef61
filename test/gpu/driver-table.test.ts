import { describe, expect, it } from 'vitest';
import { compareDotted, DRIVER_TABLE, driverRequirementFor, wheelIndexFor } from '../../src/gpu/driver-table.js';

describe('driver table', () => {
  it('is ordered by CUDA version with rising drivers', () => {
    for (let i = 1; i < DRIVER_TABLE.length; i++) {
      expect(compareDotted(DRIVER_TABLE[i]!.cuda, DRIVER_TABLE[i - 1]!.cuda)).toBe(1);
      expect(compareDotted(DRIVER_TABLE[i]!.linux, DRIVER_TABLE[i - 1]!.linux)).toBe(1);
    }
  });

  it('gives the build driver and the minor-version floor', () => {
    expect(driverRequirementFor('12.8', 'linux')).toEqual({ full: '570.26', floor: '525.60.13' });
    expect(driverRequirementFor('12.7', 'linux').full).toBe('560.28.03');
    expect(driverRequirementFor('11.8', 'windows')).toEqual({ full: '520.06', floor: '452.39' });
    expect(driverRequirementFor('10.2', 'linux')).toEqual({ full: undefined, floor: undefined });
  });

  it('compares driver versions numerically', () => {
    expect(compareDotted('535.54.03', '535.104.05')).toBe(-1);
    expect(compareDotted('570.26', '570.26.0')).toBe(0);
  });

  it("picks the newest wheel the driver's CUDA version covers", () => {
    expect(wheelIndexFor('13.0')).toMatch(/cu128$/);
    expect(wheelIndexFor('12.6')).toMatch(/cu126$/);
    expect(wheelIndexFor('12.2')).toMatch(/cu118$/);
    expect(wheelIndexFor(undefined)).toMatch(/cu128$/);
  });
});
