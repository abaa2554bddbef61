import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { storeWith } from './probe-context.js';

describe('limitsProbe on this machine', () => {
  it.runIf(process.platform === 'linux')('matches the shell’s ulimit -n', async () => {
    const limits = await storeWith().get('limits');
    if (!limits.ok) throw new Error(limits.reason);
    const soft = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    expect(String(limits.openFiles.soft)).toBe(soft);
  });
});
