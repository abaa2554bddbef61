import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOSITE_PYTHON, storeWithStubs } from './python-fixture.js';

let bin: string;

async function script(name: string, head: string): Promise<void> {
  const file = path.join(bin, name);
  await writeFile(file, `${head}\nimport sys\nsys.exit(0)\n`);
  await chmod(file, 0o755);
}

beforeAll(async () => {
  bin = await mkdtemp(path.join(os.tmpdir(), 'nnunet-doctor-entry-'));
});
afterAll(() => rm(bin, { recursive: true, force: true }));

describe('nnUNetv2_* console scripts on PATH', () => {
  it('finds them and, when nnUNetv2_train names the probed interpreter, launches nothing more', async () => {
    await script('nnUNetv2_train', `#!${NOSITE_PYTHON}`);
    await script('nnUNetv2_predict', `#!${NOSITE_PYTHON}`);
    const store = storeWithStubs(['nnunetv2-2.6.4'], {}, { PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    const entry = await store.get('nnunetEntrypoints');
    if (!entry.ok) throw new Error(entry.reason);
    expect(entry.commands.map((c) => c.name)).toEqual(['nnUNetv2_predict', 'nnUNetv2_train']);
    expect(entry.train).toEqual({ path: path.join(bin, 'nnUNetv2_train'), interpreter: NOSITE_PYTHON });
    expect(entry.trainInterpreterReport).toBeUndefined();
  });

  it('probes a different shebang interpreter with metadata only (no torch import)', async () => {
    await script('nnUNetv2_train', '#!/usr/bin/python3');
    const store = storeWithStubs(['nnunetv2-2.6.4'], {}, { PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    const entry = await store.get('nnunetEntrypoints');
    if (!entry.ok) throw new Error(entry.reason);
    const other = entry.trainInterpreterReport;
    if (!other?.ok) throw new Error(`no report: ${JSON.stringify(other)}`);
    expect(other.mode).toBe('metadata');
    expect(other.torch.import).toBeNull();
    expect(other.interpreter.executable).toBe('/usr/bin/python3');
  });

  it('reports a shebang interpreter that no longer exists', async () => {
    await script('nnUNetv2_train', '#!/nonexistent/env/bin/python');
    const entry = await storeWithStubs([], {}, { PATH: `${bin}${path.delimiter}${process.env.PATH}` }).get('nnunetEntrypoints');
    if (!entry.ok) throw new Error(entry.reason);
    expect(entry.trainInterpreterReport).toMatchObject({ ok: false, reason: expect.stringMatching(/\/nonexistent\/env\/bin\/python could not run the Python probe/) });
  });
});
