import { describe, expect, it } from 'vitest';
import { parseRocmSmiJson } from '../../src/gpu/rocm-smi.js';

describe('parseRocmSmiJson', () => {
  it('reads product names and VRAM of each card', () => {
    const json = JSON.stringify({
      card0: { 'Card series': 'AMD Instinct MI210', 'VRAM Total Memory (B)': '68702699520', 'VRAM Total Used Memory (B)': '10960896' },
      card1: { 'Card model': 'Radeon RX 7900 XTX', 'VRAM Total Memory (B)': '25753026560' },
      system: { 'Driver version': '6.7.0' },
    });
    expect(parseRocmSmiJson(json)).toEqual([
      { index: 0, name: 'AMD Instinct MI210', memoryTotalBytes: 68702699520, memoryUsedBytes: 10960896 },
      { index: 1, name: 'Radeon RX 7900 XTX', memoryTotalBytes: 25753026560, memoryUsedBytes: undefined },
    ]);
  });

  it('returns nothing for output that is not JSON', () => {
    expect(parseRocmSmiJson('ERROR: GPU[0] : Unable to read')).toEqual([]);
  });
});
