import type { Status } from '../core/finding.js';

/** One icon and colour per status, shared by the Ink UI and the plain renderer. */
export const STATUS_STYLE: Record<Status, { icon: string; ascii: string; color: 'green' | 'yellow' | 'red' | 'gray' | 'cyan' | 'magenta'; label: string; countable?: boolean }> = {
  pass: { icon: '✔', ascii: '[ok]', color: 'green', label: 'passed' },
  info: { icon: 'ℹ', ascii: '[i]', color: 'cyan', label: 'info' },
  skip: { icon: '○', ascii: '[-]', color: 'gray', label: 'skipped' },
  warn: { icon: '!', ascii: '[!]', color: 'yellow', label: 'warning', countable: true },
  timeout: { icon: '⧗', ascii: '[t]', color: 'magenta', label: 'timed out' },
  error: { icon: '✖', ascii: '[E]', color: 'magenta', label: 'error', countable: true },
  fail: { icon: '✖', ascii: '[x]', color: 'red', label: 'failed' },
};
