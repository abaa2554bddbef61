import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/util/which.js';

let a: string;
let b: string;

beforeAll(async () => {
  a = await mkdtemp(path.join(os.tmpdir(), 'which-a-'));
  b = await mkdtemp(path.join(os.tmpdir(), 'which-b-'));
  await writeFile(path.join(a, 'tool'), 'not executable');
  await writeFile(path.join(b, 'tool'), '#!/bin/sh\n');
  await chmod(path.join(b, 'tool'), 0o755);
  await writeFile(path.join(a, 'tool.EXE'), '');
});
afterAll(async () => {
  await rm(a, { recursive: true, force: true });
  await rm(b, { recursive: true, force: true });
});

describe('findOnPath', () => {
  it('skips files that are not executable and takes the first executable one', async () => {
    expect(await findOnPath('tool', { PATH: `${a}:${b}` }, 'linux')).toBe(path.join(b, 'tool'));
  });

  it('returns undefined when nothing matches', async () => {
    expect(await findOnPath('nope', { PATH: `${a}:${b}` }, 'linux')).toBeUndefined();
  });

  it('tries PATHEXT extensions on Windows', async () => {
    expect(await findOnPath('tool', { Path: a, PATHEXT: '.EXE;.CMD' }, 'win32')).toBe(path.join(a, 'tool'));
  });
});
