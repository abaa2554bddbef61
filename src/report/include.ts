import { readFile } from 'node:fs/promises';
import { isRecord, type Json } from './fact-search.js';

/**
 * Facts from the JSON output of other commands, so a ticket can carry a benchmark or sanity run made
 * earlier: `bench --json` (its `bench` fact), `sanity --json` (its `result`), or any document with `facts`.
 */
export function factsFromDocument(doc: Json): Record<string, Json> | undefined {
  if (!isRecord(doc) || typeof doc.schema !== 'string') return undefined;
  const family = /^nnunet-doctor\/([a-z-]+)@\d+$/.exec(doc.schema)?.[1];
  if (family === 'bench' && isRecord(doc.bench)) return { bench: { ok: true, ...doc.bench } };
  if (family === 'sanity' && isRecord(doc.result)) return { sanity: { ok: true, ...doc.result } };
  if (family && isRecord(doc.facts)) return doc.facts;
  return undefined;
}

/** Reads --include files; later files win for the same fact. Throws a message naming the file. */
export async function readIncludedFacts(files: readonly string[]): Promise<Record<string, Json>> {
  const merged: Record<string, Json> = {};
  for (const file of files) {
    let doc: Json;
    try {
      doc = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(`could not read ${file}: ${(error as Error).message}`);
    }
    const facts = factsFromDocument(doc);
    if (!facts) throw new Error(`${file} is not the --json output of nnunet-doctor bench, sanity, check or report`);
    Object.assign(merged, facts);
  }
  return merged;
}
