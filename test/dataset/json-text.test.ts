import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../src/dataset/json-text.js';

const errorOf = (text: string) => {
  const r = parseJsonText(text);
  if (r.ok) throw new Error('expected a syntax error');
  return r.error;
};

describe('parseJsonText', () => {
  it('parses valid JSON', () => {
    expect(parseJsonText('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it.each([
    ['{\n  "a": 1,\n}', 3, 1, /trailing comma/],
    ['{\n  // labels\n  "a": 1\n}', 2, 3, /comment/],
    ["{'a': 1}", 1, 2, /single quotes/],
    ['{"a": True}', 1, 7, /Python literals/],
    ['{"a": NaN}', 1, 7, /NaN or Infinity/],
    ['{"a": 1\n "b": 2}', 2, 2, /missing comma/],
    ['{"a": [1, 2', 1, 12, /ends early/],
    ['', 1, 1, /empty/],
  ])('%j: line %i, column %i, with the usual cause', (text, line, column, hint) => {
    const e = errorOf(text);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.hint).toMatch(hint);
  });
});
