import { describe, expect, it } from 'vitest';
import { parseProcLimits } from '../../../src/probes/linux/proc-limits.js';
import { procFixture } from './fixture.js';

describe('parseProcLimits', () => {
  it('reads the open-file limit of a recorded container', () => {
    const limits = parseProcLimits(procFixture('limits-container.txt'));
    expect(limits.get('Max open files')).toEqual({ soft: 20000, hard: 20000 });
    expect(limits.get('Max cpu time')).toEqual({ soft: 'unlimited', hard: 'unlimited' });
    expect(limits.get('Max stack size')).toEqual({ soft: 8388608, hard: 'unlimited' });
    expect(limits.has('Limit')).toBe(false);
  });

  it('keeps names with spaces whole and rows without units', () => {
    const limits = parseProcLimits(procFixture('limits-low.txt'));
    expect(limits.get('Max open files')).toEqual({ soft: 1024, hard: 4096 });
    expect(limits.get('Max nice priority')).toEqual({ soft: 0, hard: 0 });
    expect([...limits.keys()]).toEqual(['Max cpu time', 'Max open files', 'Max locked memory', 'Max nice priority']);
  });

  it('ignores rows it cannot read', () => {
    expect(parseProcLimits('Max open files            lots                 4096   files\ngarbage').size).toBe(0);
  });
});
