import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startProgress } from '../../src/ui/progress.js';

describe('startProgress', () => {
  it('draws notes and the bar, and leaves only the notes once stopped', async () => {
    const writes: string[] = [];
    const terminal = Object.assign(new EventEmitter(), { columns: 100, rows: 30, isTTY: true, write: (chunk: string) => (writes.push(chunk), true) });
    const progress = startProgress('Scanning', terminal as unknown as NodeJS.WriteStream);
    progress.update({ done: 3, total: 10, unit: 'cases' });
    progress.note('case_003: NaN voxels');
    await new Promise((r) => setTimeout(r, 120));
    await progress.stop();
    const all = writes.join('');
    expect(all).toContain('3/10 cases');
    expect(all).toContain('case_003: NaN voxels');
    // The final frame (after the last erase of the live region) holds no bar and no spinner.
    const lastFrame = all.slice(all.lastIndexOf('\u001b[G'));
    expect(lastFrame).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(lastFrame).not.toContain('3/10 cases');
  });
});
