/** A JSON syntax error placed by line and column, with the usual cause when we can tell it. */
export interface JsonSyntaxError {
  message: string;
  line: number;
  column: number;
  /** What people typically did to get here (a trailing comma, a comment...). */
  hint?: string;
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError };

/** JSON.parse with a position a person can find in an editor; Python's json module rejects the same input. */
export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const position = errorPosition(text);
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    return { ok: false, error: { message: message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, ''), line, column, hint: hintAt(text, position) } };
  }
}

/**
 * Where a strict JSON reader first fails. V8's messages carry a position only for some errors, so this
 * walks the grammar itself (it only runs on text JSON.parse already rejected).
 */
function errorPosition(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = () => {
    for (i++; text[i] !== '"'; i++) {
      if (i >= text.length || text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') i++;
    }
    i++;
  };
  const value = (): void => {
    space();
    const open = text[i];
    if (open === '{' || open === '[') {
      const close = open === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (open === '{') {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        space();
        if (text[i] === close) return void i++;
        if (text[i] !== ',') fail();
        i++;
      }
    }
    if (open === '"') return string();
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    value();
    space();
    if (i < text.length) fail();
  } catch (position) {
    if (typeof position === 'number') return position;
    throw position;
  }
  return text.length;
}

function hintAt(text: string, position: number): string | undefined {
  if (text.charCodeAt(0) === 0xfeff) return 'the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM';
  if (text.trim() === '') return 'the file is empty';
  const rest = text.slice(position);
  const previous = text.slice(0, position).trimEnd().slice(-1);
  if (previous === ',' && /^\s*[}\]]/.test(rest)) return 'a trailing comma before a closing bracket; JSON allows none';
  if (/^\s*\/[/*]/.test(rest)) return 'a comment; JSON has no comments (copied from documentation?)';
  if (/^\s*'/.test(rest)) return "single quotes; JSON strings and keys need double quotes (a Python dict printed with print()?)";
  if (/^\s*(True|False|None)\b/.test(rest)) return 'Python literals True/False/None; JSON uses true/false/null (write it with json.dump)';
  if (/^\s*-?(NaN|Infinity)\b/.test(rest)) return 'NaN or Infinity, which JSON does not allow';
  if (/^\s*[A-Za-z_]/.test(rest) && /[{,]\s*$/.test(text.slice(0, position))) return 'a key without double quotes';
  if (/^\s*"/.test(rest) && /["\d\]}el]\s*$/.test(text.slice(0, position))) return 'a missing comma between two entries';
  if (position >= text.length) return 'the file ends early: a missing closing bracket or a cut-off file';
  return undefined;
}
