import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { loadNodeReports, type NodeReport } from '../../src/report/compare.js';
import type { MachineIdentity } from '../../src/report/identity.js';
import { redactReport } from '../../src/report/render.js';

/** An identity with nothing to remove: only the pattern rules act. */
export const identityFree: MachineIdentity = { userNames: [], homeDirs: [], hostNames: [], env: {} };

export const FIXTURE_DIR = path.resolve(import.meta.dirname, '../../fixtures/reports');

/** fixtures/reports/node-0..3.json: a cluster with known differences (see the merge and diff tests). */
export const fixtureReports = readdirSync(FIXTURE_DIR)
  .filter((f) => /^node-\d\.json$/.test(f))
  .sort()
  .map((f) => path.join(FIXTURE_DIR, f));

export function loadFixtures(files: string[]): Promise<NodeReport[]> {
  return loadNodeReports(files, (doc) => redactReport(doc, identityFree, { redact: true, redactCases: false }));
}

/** A validator for one of the JSON Schemas in schemas/ (draft-07; date-time checked by pattern). */
export function schemaValidator(name: string) {
  const schema = JSON.parse(readFileSync(path.resolve(import.meta.dirname, `../../schemas/${name}.schema.json`), 'utf8'));
  const ajv = new Ajv({ allErrors: true, formats: { 'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/ } });
  const validate = ajv.compile(schema);
  return (doc: unknown): string[] => (validate(doc) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));
}
