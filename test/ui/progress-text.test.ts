import { describe, expect, it } from 'vitest';
import { progressText } from '../../src/ui/progress-text.js';

describe('progressText', () => {
  it('shows bar, percent, counts and an ETA from the elapsed time', () => {
    expect(progressText({ done: 5, total: 20, unit: 'cases', detail: 'case_004' }, 10_000, 8)).toBe('██░░░░░░  25% 5/20 cases · ETA 30 s · case_004');
  });

  it('formats bytes and long ETAs, and survives a zero total', () => {
    expect(progressText({ done: 1024 ** 3, total: 4 * 1024 ** 3, unit: 'bytes' }, 60_000, 4)).toBe('█░░░  25% 1.0 GiB/4.0 GiB · ETA 3 min 0 s');
    expect(progressText({ done: 0, total: 0 }, 5000, 4)).toBe('░░░░   0% 0/0');
  });
});
