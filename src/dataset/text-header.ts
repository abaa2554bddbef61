import { HeaderError } from './header.js';

/** The text header at the front of a NRRD or MetaImage file, and where the bytes after it start. */
export function splitTextHeader(head: Uint8Array, format: string, endsAt: (line: string) => boolean): { lines: string[]; dataOffset: number } {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] !== 0x0a) continue;
    const line = Buffer.from(head.subarray(start, i)).toString('latin1').replace(/\r$/, '');
    start = i + 1;
    if (endsAt(line)) {
      if (line.trim() !== '') lines.push(line);
      return { lines, dataOffset: start };
    }
    lines.push(line);
  }
  throw new HeaderError('bad-header', `no end of the ${format} header in the first ${head.length} bytes`);
}

export function numbersOf(text: string | undefined, what: string): number[] {
  if (text === undefined) return [];
  const values = text.trim().split(/[\s,()]+/).filter(Boolean).map(Number);
  if (values.some((v) => Number.isNaN(v))) throw new HeaderError('bad-header', `${what} "${text.trim()}" is not a list of numbers`);
  return values;
}

export function positiveIntegers(text: string | undefined, what: string): number[] {
  const values = numbersOf(text, what);
  if (values.length === 0 || values.some((v) => !Number.isSafeInteger(v) || v < 1)) {
    throw new HeaderError('bad-header', `impossible ${what} "${text ?? ''}" (each must be a positive integer)`);
  }
  return values;
}
