import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseMacSwapUsage } from '../../src/probes/memory.js';
import { storeWith } from './probe-context.js';

describe('parseMacSwapUsage', () => {
  it('reads sysctl vm.swapusage', () => {
    expect(parseMacSwapUsage('total = 2048.00M  used = 1043.25M  free = 1004.75M  (encrypted)\n')).toEqual({ totalBytes: 2048 * 1024 ** 2, freeBytes: 1004.75 * 1024 ** 2 });
    expect(parseMacSwapUsage('total = 0.00M  used = 0.00M  free = 0.00M  (encrypted)')).toEqual({ totalBytes: 0, freeBytes: 0 });
    expect(parseMacSwapUsage('sysctl: unknown oid')).toBeNull();
  });
});

describe('memoryProbe on this machine', () => {
  it('reports the RAM Node sees, and no more available than total', async () => {
    const memory = await storeWith().get('memory');
    if (!memory.ok) throw new Error(memory.reason);
    // MemTotal is what os.totalmem() reads on Linux.
    expect(memory.totalBytes).toBe(os.totalmem());
    expect(memory.availableBytes).toBeGreaterThan(0);
    expect(memory.availableBytes).toBeLessThanOrEqual(memory.totalBytes);
    if (memory.cgroupLimitBytes !== null) expect(memory.cgroupLimitBytes).toBeGreaterThan(0);
  });
});
