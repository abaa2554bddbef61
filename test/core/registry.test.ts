import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/core/check.js';
import { pass } from '../../src/core/finding.js';
import { duplicateIds, findInstalledPlugins, loadBuiltinChecks, loadPlugin, selectChecks, sortChecks, unknownSelectors } from '../../src/core/registry.js';

const check = (id: string, category: string) => defineCheck({ id, title: id, category, needs: [], run: () => pass('') });

describe('registry', () => {
  it('loads every built-in check file with a unique dotted id', async () => {
    const checks = await loadBuiltinChecks();
    expect(checks.map((c) => c.id)).toContain('system.shm');
    expect(duplicateIds(checks)).toEqual([]);
    for (const c of checks) expect(c.id.startsWith(`${c.category}.`) || c.id.includes('.')).toBe(true);
  });

  it('selects by id, prefix and category, and names unknown selectors', () => {
    const all = [check('gpu.vram', 'gpu'), check('gpu.driver', 'gpu'), check('system.shm', 'system'), check('env.paths', 'env')];
    expect(selectChecks(all, ['gpu'], []).map((c) => c.id)).toEqual(['gpu.vram', 'gpu.driver']);
    expect(selectChecks(all, ['gpu.*', 'env.paths'], ['gpu.driver']).map((c) => c.id)).toEqual(['gpu.vram', 'env.paths']);
    expect(selectChecks(all, [], ['system']).map((c) => c.id)).toEqual(['gpu.vram', 'gpu.driver', 'env.paths']);
    expect(unknownSelectors(all, ['gpu', 'gpus', 'env.path'])).toEqual(['gpus', 'env.path']);
  });

  it('orders built-in categories first, plugin categories after', () => {
    const sorted = sortChecks([check('lab.x', 'lab'), check('gpu.b', 'gpu'), check('system.a', 'system'), check('gpu.a', 'gpu')]);
    expect(sorted.map((c) => c.id)).toEqual(['system.a', 'gpu.a', 'gpu.b', 'lab.x']);
  });

  it('orders inside a category by rank, then id', () => {
    const ranked = (id: string, rank?: number) => ({ ...check(id, 'gpu'), rank });
    expect(sortChecks([ranked('gpu.arch'), ranked('gpu.present', 10), ranked('gpu.speed', 90), ranked('gpu.driver')]).map((c) => c.id)).toEqual(['gpu.present', 'gpu.arch', 'gpu.driver', 'gpu.speed']);
  });

  it('loads the example plugin with its probe and check', async () => {
    const plugin = await loadPlugin('fixtures/plugins/example-plugin.mjs', 'file');
    expect(plugin.checks.map((c) => c.id)).toEqual(['lab.scratch']);
    expect(plugin.probes.map((p) => p.fact)).toEqual(['labScratch']);
  });

  it('rejects a plugin that throws at import or exports no check', async () => {
    await expect(loadPlugin('fixtures/plugins/fails-to-load.mjs', 'file')).rejects.toThrow(/broken at import time/);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'plugin-'));
    await writeFile(path.join(dir, 'empty.mjs'), 'export default 42;\n');
    await expect(loadPlugin(path.join(dir, 'empty.mjs'), 'file')).rejects.toThrow(/must default-export a check/);
  });

  it('finds installed nnunet-doctor-plugin-* packages, scoped ones too', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proj-'));
    for (const name of ['nnunet-doctor-plugin-lab', '@acme/nnunet-doctor-plugin-site', 'left-pad', 'nnunet-doctor']) {
      await mkdir(path.join(dir, 'node_modules', name), { recursive: true });
    }
    expect(await findInstalledPlugins(dir)).toEqual(['@acme/nnunet-doctor-plugin-site', 'nnunet-doctor-plugin-lab']);
    expect(await findInstalledPlugins(path.join(dir, 'nowhere'))).toEqual([]);
  });
});
