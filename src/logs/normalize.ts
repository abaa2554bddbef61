/** One line of a log as a person would have seen it on the terminal, with its line number in the file. */
export interface LogLine {
  /** 1-based line number in the input (after CRLF and CR normalisation). */
  no: number;
  text: string;
}

// CSI sequences (colours, cursor movement), OSC sequences (window titles, hyperlinks) and the remaining
// two-byte escapes; tqdm, rich and coloured loggers emit all three.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Turns a raw capture into the lines the terminal showed: no colour codes, CRLF as LF, and for progress
 * bars redrawn with a bare `\r` only the last state of the line (what stayed on screen).
 */
export function normalizeLog(raw: string): LogLine[] {
  const text = stripAnsi(raw).replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => ({ no: i + 1, text: lastRedraw(line).replace(/[\b\x00]/g, '').trimEnd() }));
}

function lastRedraw(line: string): string {
  if (!line.includes('\r')) return line;
  const states = line.split('\r').filter((s) => s.trim() !== '');
  return states[states.length - 1] ?? '';
}
