import { describe, expect, it } from 'vitest';
import { archSupported, smName } from '../../src/gpu/arch.js';

const CU126 = ['sm_50', 'sm_60', 'sm_70', 'sm_75', 'sm_80', 'sm_86', 'sm_90'];

describe('archSupported', () => {
  it('accepts an exact or lower same-major sm entry', () => {
    expect(archSupported('8.6', CU126)).toBe(true);
    expect(archSupported('8.9', CU126)).toBe(true); // sm_86 cubins run on 8.9
  });

  it('rejects an RTX 50-series card on a build without sm_120', () => {
    expect(archSupported('12.0', CU126)).toBe(false);
    expect(archSupported('12.0', [...CU126, 'sm_100', 'sm_120'])).toBe(true);
  });

  it('accepts newer GPUs through a PTX (compute_) entry', () => {
    expect(archSupported('12.0', ['sm_80', 'compute_90'])).toBe(true);
    expect(archSupported('7.5', ['compute_80'])).toBe(false);
  });

  it('names capabilities as sm_XY', () => {
    expect(smName('12.0')).toBe('sm_120');
  });
});
