import { readFile } from 'node:fs/promises';

/** A text file's contents, or null when it is absent or unreadable (most /proc and /sys files are optional). */
export type ReadText = (file: string) => Promise<string | null>;

export const readTextOrNull: ReadText = (file) => readFile(file, 'utf8').catch(() => null);
