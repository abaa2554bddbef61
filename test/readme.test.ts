import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadBuiltinChecks } from '../src/core/registry.js';

describe('README', () => {
  it('opens with exactly the two set-up commands, and .ci/run runs the same test command', async () => {
    const readme = await readFile('README.md', 'utf8');
    const firstBlock = readme.match(/```sh\n([\s\S]*?)```/)?.[1];
    expect(firstBlock?.trim().split('\n')).toEqual(['npm install && npm run doctor', 'npm test']);
    expect(await readFile('.ci/run', 'utf8')).toMatch(/^npm test$/m);
  });

  it('lists every built-in check in the catalogue', async () => {
    const readme = await readFile('README.md', 'utf8');
    const missing = (await loadBuiltinChecks()).map((c) => c.id).filter((id) => !readme.includes(`| \`${id}\` |`));
    expect(missing).toEqual([]);
  });
});
