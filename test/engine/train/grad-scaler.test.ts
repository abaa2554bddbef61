import { describe, expect, it } from 'vitest';
import { initialScalerState, updateScaler } from '../../../src/engine/train/grad-scaler.js';

describe('GradScaler update', () => {
  it('starts at 2^16, halves and resets on a skipped step, doubles after 2000 clean steps', () => {
    let s = initialScalerState();
    expect(s).toEqual({ scale: 65536, growthTracker: 0 });
    s = updateScaler(s, true);
    expect(s).toEqual({ scale: 32768, growthTracker: 0 });
    for (let i = 0; i < 1999; i++) s = updateScaler(s, false);
    expect(s).toEqual({ scale: 32768, growthTracker: 1999 });
    s = updateScaler(s, false);
    expect(s).toEqual({ scale: 65536, growthTracker: 0 });
  });

  it('never grows the scale to a value fp32 cannot hold', () => {
    const s = updateScaler({ scale: 2 ** 127, growthTracker: 1999 }, false);
    expect(s).toEqual({ scale: 2 ** 127, growthTracker: 0 });
  });
});
