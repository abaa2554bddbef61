import { readFileSync } from 'node:fs';
import { parseJsonText } from './json-text.js';
import type { FileRole, SpacingSidecar } from './types.js';

// Apart from the TIFF reader so that listing a dataset does not load the `tiff` package.

/** Tiff3DIO's spacing file: the image name without `_0000` and ending (read_images), the label name without ending (read_seg). */
export function sidecarPathOf(file: string, role: FileRole): string {
  const ending = file.slice(file.lastIndexOf('.'));
  return `${file.slice(0, -(ending.length + (role === 'image' ? 5 : 0)))}.json`;
}

/** In a TIFF dataset, `.json` files beside the images and labels are Tiff3DIO's spacing sidecars, not strays. */
export function isTiffSidecar(name: string, fileEnding: string): boolean {
  return /^\.tiff?$/i.test(fileEnding) && name.endsWith('.json');
}

export function readSidecar(file: string, path: string): SpacingSidecar {
  let text: string;
  try {
    text = readFileSync(file, { encoding: 'utf8', flag: 'r' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, state: 'missing' };
    return { path, state: 'invalid', message: `cannot be read (${(error as Error).message})` };
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { path, state: 'invalid', message: `is not valid JSON: ${parsed.error.message} at line ${parsed.error.line}, column ${parsed.error.column}` };
  const spacing = (parsed.value as { spacing?: unknown } | null)?.spacing;
  // nnU-Net: load_json(...)['spacing'], then assert len(spacing) == 3.
  if (!Array.isArray(spacing) || spacing.length !== 3 || !spacing.every((s) => typeof s === 'number')) {
    return { path, state: 'invalid', message: `has ${spacing === undefined ? 'no "spacing" key' : `"spacing": ${JSON.stringify(spacing)}`}; Tiff3DIO needs {"spacing": [z, y, x]} with 3 numbers` };
  }
  return { path, state: 'ok', spacing: spacing as number[] };
}
