import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/runner.js';
import { buildReport } from '../../src/report/document.js';
import { renderPlain } from '../../src/ui/plain.js';

const results: CheckResult[] = [
  { id: 'system.shm', title: 'Shared memory', category: 'system', durationMs: 3, findings: [{ status: 'fail', summary: '/dev/shm is only 64 MiB', details: 'workers die', fix: { default: 'remount', linux: 'docker run --ipc=host' }, evidence: { bytes: 67108864 } }] },
  { id: 'env.paths', title: 'nnU-Net folders', category: 'env', durationMs: 1, findings: [{ status: 'pass', summary: 'all set', details: 'hidden unless verbose' }, { status: 'warn', summary: 'nnUNet_results is on NFS' }] },
];
const doc = buildReport({ command: 'check', results, failOn: 'fail', facts: {}, probeDurationsMs: new Map(), durationMs: 42 });

describe('renderPlain', () => {
  it('groups by category, shows fixes of problems for this platform, and a summary', () => {
    const text = renderPlain(doc, { verbose: false, colorLevel: 0, fixPlatform: 'linux' });
    expect(text).toContain('\nSystem\n  [x] Shared memory [system.shm]: /dev/shm is only 64 MiB\n      why workers die\n      fix docker run --ipc=host\n');
    expect(text).toContain('\nEnvironment\n  [!] nnU-Net folders [env.paths]\n    [ok] all set\n    [!] nnUNet_results is on NFS\n');
    expect(text).not.toContain('hidden unless verbose');
    expect(text).not.toContain('evidence');
    expect(text).toMatch(/Summary 1 passed · 1 warning · 1 failed — exit code 1 \(findings at or above --fail-on fail\) in 42 ms\n$/);
    expect(text).not.toMatch(/\x1b\[/);
  });

  it('adds details, evidence and timings with -v, and the default fix elsewhere', () => {
    const text = renderPlain(doc, { verbose: true, colorLevel: 0, fixPlatform: 'darwin' });
    expect(text).toContain('why hidden unless verbose');
    expect(text).toContain('evidence {"bytes":67108864}');
    expect(text).toContain('fix remount');
    expect(text).toContain('(3 ms)');
  });

  it('colours only when asked', () => {
    expect(renderPlain(doc, { verbose: false, colorLevel: 1, fixPlatform: 'linux' })).toMatch(/\x1b\[31m✖/);
  });
});
