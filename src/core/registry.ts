import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CATEGORIES, isCheck, type Check } from './check.js';
import type { Probe } from './probe.js';

/** What a plugin module may default-export. */
export type PluginExport = Check | Check[] | { checks?: Check[]; probes?: Probe[] };

export interface Plugin {
  source: string;
  checks: Check[];
  probes: Probe[];
}

const builtinChecksDir = fileURLToPath(new URL('../../checks/', import.meta.url));

/** Every check file under `checks/`, one check (or a list) per default export. */
export async function loadBuiltinChecks(dir = builtinChecksDir): Promise<Check[]> {
  const files = await listModules(dir);
  const modules = await Promise.all(files.map((file) => import(pathToFileURL(file).href)));
  return modules.flatMap((mod, i) => checksOf(mod.default, files[i]!));
}

async function listModules(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name) && !/\.(d|test)\.ts$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function checksOf(value: unknown, source: string): Check[] {
  const list = Array.isArray(value) ? value : [value];
  const bad = list.filter((c) => !isCheck(c));
  if (bad.length > 0 || list.length === 0) throw new Error(`${source} must default-export a check made with defineCheck()`);
  return list as Check[];
}

/**
 * Loads a plugin: a file given with --plugin, or an installed package found by findInstalledPlugins.
 * A broken plugin rejects; the caller turns that into a finding.
 */
export async function loadPlugin(specifier: string, kind: 'file' | 'package', fromDir = process.cwd()): Promise<Plugin> {
  const resolved =
    kind === 'file'
      ? pathToFileURL(path.resolve(fromDir, specifier)).href
      : pathToFileURL(createRequire(path.join(fromDir, 'package.json')).resolve(specifier)).href;
  const mod = await import(resolved);
  const value = mod.default as PluginExport;
  if (value && !Array.isArray(value) && !isCheck(value) && typeof value === 'object') {
    return { source: specifier, checks: checksOf(value.checks ?? [], specifier), probes: value.probes ?? [] };
  }
  return { source: specifier, checks: checksOf(value, specifier), probes: [] };
}

/** Installed packages named `nnunet-doctor-plugin-*` in the project's node_modules. */
export async function findInstalledPlugins(fromDir = process.cwd()): Promise<string[]> {
  const dir = path.join(fromDir, 'node_modules');
  const names = await readdir(dir).catch(() => [] as string[]);
  const scoped = await Promise.all(
    names.filter((n) => n.startsWith('@')).map(async (scope) =>
      (await readdir(path.join(dir, scope)).catch(() => [] as string[])).map((n) => `${scope}/${n}`),
    ),
  );
  return [...names, ...scoped.flat()].filter((n) => /(^|\/)nnunet-doctor-plugin-[^/]+$/.test(n)).sort();
}

/** Stable display order: built-in categories in their order, then plugin categories, then rank, then id. */
export function sortChecks(checks: readonly Check[]): Check[] {
  const rank = (c: Check) => {
    const i = (CATEGORIES as readonly string[]).indexOf(c.category);
    return i === -1 ? CATEGORIES.length : i;
  };
  return [...checks].sort((a, b) => rank(a) - rank(b) || a.category.localeCompare(b.category) || (a.rank ?? 50) - (b.rank ?? 50) || a.id.localeCompare(b.id));
}

/** `--only`/`--skip` accept ids, id prefixes (`gpu` or `gpu.*`) and categories. */
export function selectChecks(checks: readonly Check[], only: readonly string[], skipList: readonly string[]): Check[] {
  const matches = (c: Check, pattern: string) => {
    const p = pattern.replace(/\.\*$/, '');
    return c.id === p || c.category === p || c.id.startsWith(`${p}.`);
  };
  return checks.filter((c) => (only.length === 0 || only.some((p) => matches(c, p))) && !skipList.some((p) => matches(c, p)));
}

export function unknownSelectors(checks: readonly Check[], selectors: readonly string[]): string[] {
  return selectors.filter((s) => selectChecks(checks, [s], []).length === 0);
}

export function duplicateIds(checks: readonly Check[]): string[] {
  const seen = new Set<string>();
  return checks.map((c) => c.id).filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}
