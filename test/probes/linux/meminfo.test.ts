import { describe, expect, it } from 'vitest';
import { parseMeminfo } from '../../../src/probes/linux/meminfo.js';
import { procFixture } from './fixture.js';

describe('parseMeminfo', () => {
  it('turns kB (KiB) into bytes', () => {
    const fields = parseMeminfo(procFixture('meminfo-container.txt'));
    expect(fields.get('MemTotal')).toBe(24683792 * 1024);
    expect(fields.get('SwapTotal')).toBe(0);
    expect(fields.get('MemAvailable')).toBeGreaterThan(0);
    expect(fields.get('MemAvailable')! % 1024).toBe(0);
  });

  it('keeps unit-less counts as they are', () => {
    const fields = parseMeminfo('HugePages_Total:       4\nHugepagesize:       2048 kB\nbroken line\n');
    expect(fields.get('HugePages_Total')).toBe(4);
    expect(fields.get('Hugepagesize')).toBe(2 * 1024 * 1024);
    expect(fields.size).toBe(2);
  });
});
