import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './cli-helpers.js';

const small = 'fixtures/e2e/small-shm.facts.json';
const tight = 'fixtures/e2e/tight-shm.facts.json';

describe('built CLI, stdout piped', () => {
  it('prints plain text with no cursor tricks and exits by --fail-on', async () => {
    const run = await runCli(['--only', 'system.shm', '--facts', small]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('\nSystem\n  [x] Shared memory and open files for data-augmentation workers [system.shm]\n    [x] /dev/shm is only 64.0 MiB');
    expect(run.stdout).toMatch(/fix .*--ipc=host/);
    expect(run.stdout).toMatch(/Summary 1 passed · 1 failed — exit code 1/);
    expect(run.stdout).not.toMatch(/\x1b\[/);
  });

  it('exits 0 on a warning with --fail-on fail and 1 with --fail-on warn', async () => {
    expect((await runCli(['--only', 'system.shm', '--facts', tight])).code).toBe(0);
    const strict = await runCli(['--only', 'system.shm', '--facts', tight, '--fail-on', 'warn']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('    [!] /dev/shm is 1.0 GiB');
  });

  it('prints one JSON document with the findings', async () => {
    const run = await runCli(['--only', 'system.shm', '--facts', small, '--json']);
    const doc = JSON.parse(run.stdout);
    expect(doc.schema).toBe('nnunet-doctor/report@1');
    expect(doc.summary).toMatchObject({ exitCode: 1, failOn: 'fail', counts: { fail: 1 } });
    expect(doc.results[0]).toMatchObject({ id: 'system.shm', status: 'fail', findings: [{ status: 'fail', evidence: { bytes: 67108864 } }, { status: 'pass' }] });
    expect(run.code).toBe(1);
  });

  it("a replayed machine's report names that machine's platform, not this one's", async () => {
    const run = await runCli(['--only', 'system.os', '--facts', 'fixtures/facts/wsl2-drvfs.json', '--json']);
    expect(JSON.parse(run.stdout).platform).toEqual({ os: 'linux', release: '5.15.153.1-microsoft-standard-WSL2', arch: 'x64', node: process.version });
  });

  it('exits 2 on usage errors with a message', async () => {
    const bad = await runCli(['--only', 'no.such.check']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no check or category matches "no.such.check"');
    const badLevel = await runCli(['--fail-on', 'sometimes']);
    expect(badLevel.code).toBe(2);
    expect(badLevel.stderr).toMatch(/Allowed choices are warn, fail/);
  });

  it('reports a throwing plugin check and a plugin that fails to load, and still runs the rest', async () => {
    const run = await runCli(['--facts', small, '--only', 'system.shm,broken', '--plugin', 'fixtures/plugins/throwing-check.mjs', '--plugin', 'fixtures/plugins/fails-to-load.mjs']);
    expect(run.stdout).toContain('[E] A check that throws [broken.throws]: the check crashed: plugin bug');
    expect(run.stdout).toContain('could not load plugin fixtures/plugins/fails-to-load.mjs: this plugin is broken at import time');
    expect(run.stdout).toContain('[system.shm]');
    expect(run.code).toBe(1);
  });

  it('leaves out dataset, bench and sanity checks until their input is at hand or they are named', async () => {
    const run = await runCli(['--facts', small]);
    expect(run.stdout).toContain('[system.shm]');
    expect(run.stdout).not.toMatch(/\[(dataset|bench|sanity)\./);
    const named = await runCli(['--facts', small, '--only', 'bench']);
    expect(named.stdout).toMatch(/\[-\] .* \[bench\.speed\]: not measured in this run/);
  });

  it('keeps a built-in check when a plugin reuses its id, and says so', async () => {
    const run = await runCli(['--facts', small, '--only', 'system.shm', '--plugin', 'fixtures/plugins/duplicate-id.mjs']);
    expect(run.stdout).toContain('/dev/shm is only 64.0 MiB');
    expect(run.stdout).not.toContain('impostor ran');
    expect(run.stdout).toContain('a plugin defines the check id "system.shm" again; only the first one runs');
  });

  it("judges a replayed machine by its own OS's rules", async () => {
    const mac = JSON.parse(readFileSync(path.join(ROOT, small), 'utf8'));
    mac.os = { ...mac.os, platform: 'darwin' };
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'facts-')), 'mac.json');
    writeFileSync(file, JSON.stringify(mac));
    const run = await runCli(['--facts', file, '--only', 'system.shm']);
    expect(run.stdout).toContain('[system.shm]: does not apply on darwin');
  });

  it('lists the checks and prints help with examples', async () => {
    const list = await runCli(['--list']);
    expect(list.stdout).toMatch(/^system\.shm\s+system\s+Shared memory/m);
    expect(list.stdout).toMatch(/^gpu\.vram\s+gpu\s+/m);
    expect(list.stdout).toMatch(/^dataset\.values\s+dataset\s+/m);
    const help = await runCli(['check', '--help']);
    expect(help.stdout).toContain('Exit codes: 0 nothing at or above --fail-on');
    expect(help.stdout).toContain('$ nnunet-doctor --json > doctor.json');
  });
});
