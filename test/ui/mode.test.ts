import { describe, expect, it } from 'vitest';
import { chooseOutputMode, colorLevel } from '../../src/ui/mode.js';

describe('output mode', () => {
  it.each([
    [{ json: true, isTTY: true, env: {} }, 'json'],
    [{ isTTY: true, env: {} }, 'ink'],
    [{ isTTY: false, env: {} }, 'plain'],
    [{ isTTY: true, env: { CI: 'true' } }, 'plain'],
    [{ isTTY: true, env: { CI: 'false' } }, 'ink'],
    [{ isTTY: true, env: { TERM: 'dumb' } }, 'plain'],
    [{ plain: true, isTTY: true, env: {} }, 'plain'],
  ] as const)('%j -> %s', (input, mode) => {
    expect(chooseOutputMode(input)).toBe(mode);
  });

  it('respects NO_COLOR over FORCE_COLOR, and FORCE_COLOR for pipes', () => {
    expect(colorLevel({ NO_COLOR: '1', FORCE_COLOR: '3' }, true)).toBe(0);
    expect(colorLevel({ FORCE_COLOR: '1' }, false)).toBe(1);
    expect(colorLevel({ FORCE_COLOR: '0' }, true)).toBe(0);
    expect(colorLevel({}, false)).toBe(0);
    expect(colorLevel({ COLORTERM: 'truecolor' }, true)).toBe(3);
  });
});
