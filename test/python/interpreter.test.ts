import { describe, expect, it } from 'vitest';
import { chooseInterpreter, interpreterFromHead } from '../../src/python/interpreter.js';

const which = async (name: string) => `/found/${name}`;

describe('interpreterFromHead', () => {
  it('reads a plain shebang', async () => {
    expect(await interpreterFromHead('#!/home/u/venv/bin/python3\n# -*- coding: utf-8 -*-', which)).toBe('/home/u/venv/bin/python3');
  });

  it('resolves /usr/bin/env through PATH', async () => {
    expect(await interpreterFromHead('#!/usr/bin/env python3\n', which)).toBe('/found/python3');
    expect(await interpreterFromHead('#!/usr/bin/env -S python3 -u\n', which)).toBe('/found/python3');
  });

  it("reads pip's /bin/sh trampoline for long or spaced paths", async () => {
    const head = `#!/bin/sh\n'''exec' "/opt/my envs/nnunet/bin/python" "$0" "$@"\n' '''\n`;
    expect(await interpreterFromHead(head, which)).toBe('/opt/my envs/nnunet/bin/python');
  });

  it('returns nothing for binaries', async () => {
    expect(await interpreterFromHead('MZ\u0090\u0000', which)).toBeUndefined();
  });
});

describe('chooseInterpreter', () => {
  it('prefers --python, resolving a path', async () => {
    expect(await chooseInterpreter('./venv/bin/python', { PATH: '' }, 'linux')).toMatchObject({ chosenBy: 'option', command: expect.stringMatching(/venv\/bin\/python$/) });
  });

  it('falls back to nothing when PATH has no Python', async () => {
    expect(await chooseInterpreter(undefined, { PATH: '/nonexistent' }, 'linux')).toBeUndefined();
  });

  it('takes python3 from PATH', async () => {
    expect(await chooseInterpreter(undefined, { PATH: '/usr/bin' }, 'linux')).toEqual({ command: '/usr/bin/python3', chosenBy: 'path' });
  });
});
