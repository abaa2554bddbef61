export const STATUSES = ['pass', 'info', 'skip', 'warn', 'timeout', 'error', 'fail'] as const;
export type Status = (typeof STATUSES)[number];

/** The operating systems a fix can differ on; `default` serves the others. */
export type FixPlatform = 'linux' | 'darwin' | 'win32' | 'wsl';
export type Fix = string | ({ default: string } & Partial<Record<FixPlatform, string>>);

export interface Finding {
  status: Status;
  /** One line, readable without the details. */
  summary: string;
  /** Why it matters: the rule and what goes wrong otherwise. */
  details?: string;
  /** A concrete command or edit. */
  fix?: Fix;
  /** The nnU-Net document or source file the rule comes from. */
  ref?: string;
  /** The raw values the verdict was made from. */
  evidence?: Record<string, unknown>;
}

export type FindingExtra = Omit<Finding, 'status' | 'summary'> & { why?: string };

function make(status: Status) {
  return (summary: string, extra: FindingExtra = {}): Finding => {
    const { why, ...rest } = extra;
    const details = rest.details ?? why;
    return { status, summary, ...rest, ...(details === undefined ? {} : { details }) };
  };
}

export const pass = make('pass');
export const warn = make('warn');
export const fail = make('fail');
export const skip = make('skip');
export const info = make('info');

/** Picks the fix text for a platform; WSL falls back to the Linux text. */
export function fixFor(fix: Fix, platform: FixPlatform): string {
  if (typeof fix === 'string') return fix;
  if (platform === 'wsl') return fix.wsl ?? fix.linux ?? fix.default;
  return fix[platform] ?? fix.default;
}

/** Severity order used for exit codes and sorting: an unjudged check ranks with a warning. */
export function severity(status: Status): number {
  switch (status) {
    case 'fail':
      return 3;
    case 'warn':
    case 'error':
    case 'timeout':
      return 2;
    default:
      return 0;
  }
}
