import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, hasTmux, ROOT } from './cli-helpers.js';

const session = `nnd-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

async function waitFor(predicate: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// tmux is installed by .ci/run; without it this test cannot create a pseudo-terminal.
describe.runIf(hasTmux())('built CLI in a real pseudo-terminal (tmux)', () => {
  afterEach(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      /* already gone */
    }
  });

  it('renders the Ink UI: status rows, fix and summary, no spinner left behind', async () => {
    const command = `cd ${ROOT} && env -u CI node ${CLI} --only system.shm --facts fixtures/e2e/small-shm.facts.json; echo "EXIT=$?"; sleep 30`;
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '40', command);
    let screen = '';
    await waitFor(() => (screen = tmux('capture-pane', '-p', '-t', session)).includes('EXIT='), 20_000);
    expect(screen).toMatch(/System\n\s+✖ Shared memory and open files for data-augmentation workers \[system.shm\]\n\s+✖ \/dev\/shm is only 64.0 MiB/);
    expect(screen).toMatch(/fix .*--ipc=host/);
    expect(screen).toContain('Summary 1 passed · 1 failed');
    expect(screen).toContain('EXIT=1');
    expect(screen).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  });
});
