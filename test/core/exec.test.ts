import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/core/exec.js';

describe('runCommand', () => {
  it('returns output of a program that succeeds', async () => {
    const r = await runCommand(process.execPath, ['-e', 'process.stdout.write("hi")'], { timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: true, stdout: 'hi', exitCode: 0 });
  });

  it('kills a program past its deadline and says so', async () => {
    const started = performance.now();
    const r = await runCommand(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(r).toMatchObject({ ok: false, timedOut: true });
    expect(r.ok || r.reason).toMatch(/did not finish within 0.3 s/);
  });

  it('reports a missing program without throwing', async () => {
    const r = await runCommand('nnunet-doctor-no-such-tool', [], { timeoutMs: 1000 });
    expect(r).toMatchObject({ ok: false, notFound: true, reason: 'nnunet-doctor-no-such-tool was not found' });
  });

  it('reports a non-zero exit with the first stderr line, or accepts it when told', async () => {
    const script = 'console.error("driver mismatch\\nmore"); process.exit(9)';
    const r = await runCommand(process.execPath, ['-e', script], { timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: false, exitCode: 9, timedOut: false });
    expect(r.ok || r.reason).toMatch(/exited with code 9: driver mismatch$/);
    expect(await runCommand(process.execPath, ['-e', script], { timeoutMs: 5000, okExitCodes: [0, 9] })).toMatchObject({ ok: true, exitCode: 9 });
  });

  it('reports a program killed by a signal (a segfaulting Python looks like this)', async () => {
    const r = await runCommand(process.execPath, ['-e', 'process.kill(process.pid, "SIGSEGV")'], { timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: false, signal: 'SIGSEGV' });
    expect(r.ok || r.reason).toMatch(/killed by SIGSEGV/);
  });
});

describe('runCommand deadline and process trees', () => {
  it.runIf(process.platform !== 'win32')('kills what a wrapper script started, so a hung grandchild cannot hold the run', async () => {
    // A shell around a long sleep: killing only the shell would leave `sleep` holding stdout open.
    const started = performance.now();
    const r = await runCommand('/bin/sh', ['-c', 'sleep 30; echo done'], { timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r).toMatchObject({ ok: false, timedOut: true });
  });
});
