import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/core/check.js';
import type { CheckResult } from '../../src/core/runner.js';
import { buildReport } from '../../src/report/document.js';
import { CheckApp } from '../../src/ui/check-app.js';
import { RunState } from '../../src/ui/run-state.js';

const tick = () => new Promise((r) => setTimeout(r, 30));
const gpuCheck = defineCheck({ id: 'gpu.vram', title: 'GPU memory', category: 'gpu', needs: [], run: () => [] });
const shmCheck = defineCheck({ id: 'system.shm', title: 'Shared memory', category: 'system', needs: [], run: () => [] });
const gpuResult: CheckResult = { id: 'gpu.vram', title: 'GPU memory', category: 'gpu', durationMs: 9, findings: [{ status: 'pass', summary: '24 GiB' }] };
const shmResult: CheckResult = { id: 'system.shm', title: 'Shared memory', category: 'system', durationMs: 2, findings: [{ status: 'fail', summary: '/dev/shm is only 64 MiB', fix: 'docker run --ipc=host' }] };

describe('CheckApp', () => {
  it('shows running checks with a spinner, fixes finished rows, then the summary', async () => {
    const state = new RunState();
    const app = render(<CheckApp state={state} verbose={false} fixPlatform="linux" />);
    state.planned([shmCheck, gpuCheck]);
    state.probeSlow('gpu', 3200);
    await tick();
    expect(app.lastFrame()).toContain('GPU memory');
    expect(app.lastFrame()).toContain('still waiting for the gpu probe (3.2 s)');
    // The GPU check finishes first but waits in place until the system check before it is done.
    state.checkFinished(gpuResult);
    await tick();
    expect(app.frames.join('')).not.toContain('24 GiB');
    state.checkFinished(shmResult);
    await tick();
    const all = app.frames.join('');
    expect(all).toMatch(/System\n\s+✖ Shared memory \[system.shm\]: \/dev\/shm is only 64 MiB\n\s+fix docker run --ipc=host/);
    expect(all).toMatch(/GPU\n\s+✔ GPU memory \[gpu.vram\]: 24 GiB/);
    expect(all.indexOf('Shared memory [system.shm]')).toBeLessThan(all.indexOf('GPU memory [gpu.vram]'));
    state.done(buildReport({ command: 'check', results: [shmResult, gpuResult], failOn: 'fail', facts: {}, probeDurationsMs: new Map(), durationMs: 1500 }));
    await tick();
    const last = app.lastFrame()!;
    expect(last).toContain('Summary 1 passed · 1 failed');
    expect(last).toContain('exit code 1 (findings at or above --fail-on fail) · 1.5 s');
    expect(last).not.toContain('still waiting');
    app.unmount();
  });

  it('shows evidence and timings only when verbose', async () => {
    const state = new RunState();
    const verbose = render(<CheckApp state={state} verbose fixPlatform="linux" />);
    state.planned([shmCheck]);
    state.checkFinished({ ...shmResult, findings: [{ ...shmResult.findings[0]!, evidence: { bytes: 64 } }] });
    await tick();
    expect(verbose.frames.join('')).toContain('evidence {"bytes":64}');
    expect(verbose.frames.join('')).toContain('(2 ms)');
    verbose.unmount();
  });
});
