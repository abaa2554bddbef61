/**
 * Reading facts the report does not own. Other modules add facts as they land and their shapes change;
 * the report finds values by key names (shallowest match first) so it keeps working and grows with them.
 */

export type Json = unknown;
type Path = readonly string[];

export interface Hit {
  path: Path;
  value: Json;
}

/** Every (path, value) pair in a JSON tree, breadth first, so top-level fields win over nested ones. */
export function* walkBreadthFirst(root: Json, maxDepth = 8): Generator<Hit> {
  let level: Hit[] = [{ path: [], value: root }];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth += 1) {
    const next: Hit[] = [];
    for (const hit of level) {
      yield hit;
      const v = hit.value;
      if (Array.isArray(v)) v.forEach((item, i) => next.push({ path: [...hit.path, String(i)], value: item }));
      else if (v && typeof v === 'object') for (const [k, item] of Object.entries(v)) next.push({ path: [...hit.path, k], value: item });
    }
    level = next;
  }
}

/** The first value whose path ends with keys matching `tail` (each a regex or exact name, case-insensitive). */
export function findByPath(root: Json, tail: readonly (RegExp | string)[], accept: (v: Json) => boolean = isScalar): Json | undefined {
  for (const hit of walkBreadthFirst(root)) {
    if (hit.path.length < tail.length) continue;
    const end = hit.path.slice(-tail.length);
    if (tail.every((t, i) => matches(t, end[i]!)) && accept(hit.value)) return hit.value;
  }
  return undefined;
}

/** The facts whose name matches, for searching one area (`/gpu|nvidia/`). */
export function factsNamed(facts: Record<string, Json>, name: RegExp): Record<string, Json> {
  return Object.fromEntries(Object.entries(facts).filter(([k, v]) => name.test(k) && isOk(v)));
}

export function isOk(value: Json): boolean {
  return !!value && typeof value === 'object' && (value as { ok?: unknown }).ok !== false;
}

export function isScalar(value: Json): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export function isRecord(value: Json): value is Record<string, Json> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The first array of objects in which most items have all the given keys (a GPU list, a benchmark table). */
export function findTable(root: Json, required: readonly RegExp[]): Record<string, Json>[] | undefined {
  for (const hit of walkBreadthFirst(root)) {
    const v = hit.value;
    if (!Array.isArray(v) || v.length === 0 || !v.every(isRecord)) continue;
    if (v.every((item) => required.every((r) => Object.keys(item).some((k) => r.test(k))))) return v as Record<string, Json>[];
  }
  return undefined;
}

/**
 * A numeric series: an array under a key matching `arrayKey`, of numbers (`[1.2, 1.1]`) or of records with a
 * numeric field matching `valueKey` (`[{ epoch: 0, epochTimeS: 91 }]`). `null` (a logged nan) becomes NaN;
 * records without the field are left out.
 */
export function findSeries(root: Json, arrayKey: RegExp, valueKey: RegExp): number[] | undefined {
  for (const hit of walkBreadthFirst(root)) {
    const last = hit.path[hit.path.length - 1];
    const v = hit.value;
    if (last === undefined || !arrayKey.test(last) || !Array.isArray(v) || v.length === 0) continue;
    if (v.every((x) => typeof x === 'number' || x === null)) return v.map((x) => (typeof x === 'number' ? x : Number.NaN));
    if (!v.every(isRecord)) continue;
    const field = v.flatMap((x) => Object.keys(x as Record<string, Json>)).find((k) => valueKey.test(k));
    if (!field) continue;
    const values = (v as Record<string, Json>[])
      .filter((x) => typeof x[field] === 'number' || x[field] === null)
      .map((x) => (typeof x[field] === 'number' ? (x[field] as number) : Number.NaN));
    if (values.length > 0) return values;
  }
  return undefined;
}

export function text(value: Json): string | undefined {
  if (value === undefined || value === null) return undefined;
  return isScalar(value) ? String(value) : undefined;
}

function matches(pattern: RegExp | string, key: string): boolean {
  return typeof pattern === 'string' ? pattern.toLowerCase() === key.toLowerCase() : pattern.test(key);
}
