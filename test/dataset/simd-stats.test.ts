import { describe, expect, it } from 'vitest';
import { addByteCounts, simdAvailable, stats16 } from '../../src/dataset/simd-stats.js';

/** The plain loop the kernel must agree with. */
function reference(values: ArrayLike<number>) {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
    sum += values[i]!;
  }
  return { min, max, sum };
}

const bytesOf = (values: Int16Array | Uint16Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

describe('WebAssembly SIMD statistics', () => {
  it('is available on this Node', () => {
    expect(simdAvailable()).toBe(true);
  });

  it.each([1, 7, 8, 9, 4095, 131_072, 300_001])('agrees with a plain loop on %i pseudo-random values, signed and unsigned', (count) => {
    let seed = count;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xffff;
    const unsigned = Uint16Array.from({ length: count }, random);
    expect(stats16(bytesOf(unsigned), false)).toEqual(reference(unsigned));
    const signed = new Int16Array(unsigned.buffer);
    expect(stats16(bytesOf(signed), true)).toEqual(reference(signed));
  });

  it('keeps sums exact at the extremes, across blocks (no lane overflow)', () => {
    const count = 3 * 131_072 + 5;
    for (const [values, signed] of [[new Int16Array(count).fill(-32768), true], [new Int16Array(count).fill(32767), true], [new Uint16Array(count).fill(65535), false]] as const) {
      expect(stats16(bytesOf(values), signed)).toEqual(reference(values));
    }
  });

  it('finds an extreme value in any lane and in the tail', () => {
    for (const at of [0, 3, 8, 15, 1000, 1001]) {
      const values = new Int16Array(1002).fill(5);
      values[at] = -32768;
      values[1001 - (at % 7)] = 32767;
      expect(stats16(bytesOf(values), true)).toEqual(reference(values));
    }
  });

  it.each([1, 15, 16, 17, 4099, 300_001])('counts %i label bytes like a plain loop: background runs, sparse classes, noise', (count) => {
    let seed = count;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const bytes = Uint8Array.from({ length: count }, (_, i) => (i % 5000 < 4000 ? 0 : i % 5000 < 4500 ? (i % 3) : random()));
    const expected = new Uint32Array(256);
    for (const b of bytes) expected[b]!++;
    const histogram = new Uint32Array(256).fill(7);
    addByteCounts(histogram, bytes);
    expect(histogram).toEqual(expected.map((n) => n + 7));
  });
});
