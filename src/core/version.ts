import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root: two levels above this file in the sources, three in `dist/`. */
export const PACKAGE_ROOT = fileURLToPath(
  [new URL('../../', import.meta.url), new URL('../../../', import.meta.url)].find((u) => existsSync(new URL('package.json', u)))!,
);

export const TOOL_VERSION: string = (JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { version: string }).version;
