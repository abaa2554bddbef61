import { describe, expect, it } from 'vitest';
import { normalizeLog, stripAnsi } from '../../src/logs/normalize.js';

describe('normalizeLog', () => {
  it('strips colour, cursor and hyperlink escapes', () => {
    expect(stripAnsi('\x1b[1;31mRuntimeError\x1b[0m: \x1b]8;;https://x\x07link\x1b]8;;\x07 \x1b[2K\x1b[1Gdone')).toBe('RuntimeError: link done');
  });

  it('turns CRLF into lines and keeps only what a \\r-redrawn progress bar left on screen', () => {
    const lines = normalizeLog('a\r\n  0%|   | 0/9\r 50%|#  | 4/9\r100%|###| 9/9\r\nb\r\n');
    expect(lines).toEqual([
      { no: 1, text: 'a' },
      { no: 2, text: '100%|###| 9/9' },
      { no: 3, text: 'b' },
    ]);
  });

  it('keeps line numbers of the input and trims trailing blanks nnU-Net adds', () => {
    expect(normalizeLog('x \n\ny')).toEqual([
      { no: 1, text: 'x' },
      { no: 2, text: '' },
      { no: 3, text: 'y' },
    ]);
  });
});
