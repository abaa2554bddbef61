export type OutputMode = 'ink' | 'plain' | 'json';

export interface ModeInput {
  json?: boolean;
  plain?: boolean;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Ink only for a person at a terminal; CI logs and pipes get plain text with no cursor tricks. */
export function chooseOutputMode({ json, plain, isTTY, env }: ModeInput): OutputMode {
  if (json) return 'json';
  if (plain || !isTTY || isCI(env) || env.TERM === 'dumb') return 'plain';
  return 'ink';
}

function isCI(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.CI && env.CI !== 'false' && env.CI !== '0');
}

/** NO_COLOR wins over everything; FORCE_COLOR turns colour on for pipes; else colour follows the TTY. */
export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') {
    if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return 0;
    const n = Number(env.FORCE_COLOR);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  return env.COLORTERM === 'truecolor' ? 3 : 2;
}
