import { writeFile } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/** Writes a rendered document to `file` (saying so on stderr), or to stdout when there is none. */
export async function writeOutput(text: string, file: string | undefined): Promise<void> {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  await writeFile(file, text).catch((error: Error) => {
    throw new UsageError(`could not write ${file}: ${error.message}`);
  });
  process.stderr.write(`Wrote ${file}\n`);
}
