import { describe, expect, it } from 'vitest';
import { encodeValues, type Dtype } from '../../fixtures/dataset/writers.js';
import type { FileRole } from '../../src/dataset/types.js';
import { ValueAccumulator, type ValueLayout } from '../../src/dataset/values.js';

/** Feeds `bytes` in awkward pieces (1, 3, 7... bytes, unaligned) as an inflater might. */
function statsOf(layout: ValueLayout, bytes: Buffer, pieces = [1, 3, 7, 4096, 5, 65537]) {
  const acc = new ValueAccumulator(layout);
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = pieces[i % pieces.length]!;
    // Copy into a fresh odd-offset buffer so typed views are misaligned on purpose.
    const piece = Buffer.alloc(n + 1).subarray(1);
    bytes.copy(piece, 0, at, at + n);
    acc.push(piece.subarray(0, Math.min(n, bytes.length - at)));
    at += n;
  }
  return acc.finish();
}

function layout(elementType: Dtype, role: FileRole, littleEndian = true, scale?: ValueLayout['scale']): ValueLayout {
  return { elementType, role, littleEndian, scale };
}

describe('ValueAccumulator', () => {
  const values = Array.from({ length: 50_000 }, (_, i) => ((i * 7919) % 3001) - 1024);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;

  it.each([true, false])('int16 images give exact min, max and mean in either byte order (little endian: %s)', (le) => {
    const s = statsOf(layout('int16', 'image', le), encodeValues('int16', values, !le));
    expect(s).toMatchObject({ voxels: values.length, min, max, nan: 0, trailingBytes: 0 });
    expect(s.mean).toBeCloseTo(mean, 6);
  });

  it.each([true, false])('int16 labels count every value, negatives included (little endian: %s)', (le) => {
    const labels = Array.from({ length: 9000 }, (_, i) => [0, 0, 0, 1, 2, -1][i % 6]!);
    const s = statsOf(layout('int16', 'label', le), encodeValues('int16', labels, !le));
    expect(s.valueCounts).toEqual([[-1, 1500], [0, 4500], [1, 1500], [2, 1500]]);
    expect(s.distinctValues).toBe(4);
  });

  it('mostly-zero uint8 labels (zero blocks) are counted exactly', () => {
    const labels = new Uint8Array(100_000);
    labels.fill(3, 40_000, 40_010);
    labels[99_999] = 255;
    const s = statsOf(layout('uint8', 'label'), Buffer.from(labels), [100_000]);
    expect(s.valueCounts).toEqual([[0, 99_989], [3, 10], [255, 1]]);
  });

  it('float32 images count NaN and Inf apart and keep min/max/mean finite', () => {
    const floats = [1.5, NaN, -2, Infinity, 4, -Infinity, NaN, 0.5];
    const s = statsOf(layout('float32', 'image'), encodeValues('float32', floats));
    expect(s).toMatchObject({ nan: 2, posInf: 1, negInf: 1, min: -2, max: 4, mean: 1 });
  });

  it('float64 big-endian labels report non-integer values (an interpolated mask)', () => {
    const labels = [0, 1, 0.5, 2, 0, 1.25];
    const s = statsOf(layout('float64', 'label', false), encodeValues('float64', labels, true));
    expect(s.valueCounts).toEqual([[0, 2], [1, 1], [2, 1]]);
    expect(s.nonInteger).toBe(2);
    expect(s.nonIntegerExamples).toEqual([0.5, 1.25]);
  });

  it('applies scl_slope and scl_inter to images and labels', () => {
    const image = statsOf(layout('int16', 'image', true, { slope: 0.5, inter: -10 }), encodeValues('int16', [2, 4, 6]));
    expect(image).toMatchObject({ min: -9, max: -7, mean: -8 });
    const label = statsOf(layout('uint8', 'label', true, { slope: 0.5, inter: 0 }), encodeValues('uint8', [0, 2, 3]));
    expect(label.valueCounts).toEqual([[0, 1], [1, 1]]);
    expect(label.nonInteger).toBe(1);
  });

  it('reports bytes that do not make a whole element', () => {
    const s = statsOf(layout('int32', 'image'), Buffer.concat([encodeValues('int32', [5, 6]), Buffer.from([1, 2])]));
    expect(s).toMatchObject({ voxels: 2, min: 5, max: 6, trailingBytes: 2 });
  });
});
