import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactReport, renderReport } from '../../src/report/render.js';
import { seededMachine } from './generated-env.js';
import { schemaValidator } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const errorsOf = schemaValidator('report');

/** Runs the CLI from source, as a user would run the built one. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return run.then(
    ({ stdout }) => ({ stdout, code: 0 }),
    (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
  );
}

function expectValid(doc: unknown): void {
  expect(errorsOf(doc)).toEqual([]);
}

describe('schemas/report.schema.json', () => {
  it('accepts `check --json` from this machine', async () => {
    const run = await cli(['--json']);
    expect([0, 1]).toContain(run.code);
    const doc = JSON.parse(run.stdout);
    expect(doc.redaction).toBeUndefined();
    expectValid(doc);
  });

  it('accepts `report --format json` from this machine, with its redaction block', async () => {
    const run = await cli(['report', '--format', 'json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.command).toBe('report');
    expect(doc.redaction).toMatchObject({ enabled: true, redactCases: false });
    expectValid(doc);
  });

  it('accepts redacted reports of generated machines', () => {
    for (let seed = 1; seed <= 10; seed += 1) {
      const m = seededMachine(seed);
      expectValid(JSON.parse(renderReport(redactReport(m.doc, m.identity, { redact: true, redactCases: seed % 2 === 0 }), 'json')));
    }
  });

  it('rejects documents that break the contract', () => {
    const m = seededMachine(1);
    const good = JSON.parse(renderReport(redactReport(m.doc, m.identity, { redact: true, redactCases: false }), 'json'));
    const broken = [
      { ...good, schema: 'nnunet-doctor/report@2' },
      { ...good, summary: { ...good.summary, exitCode: 2 } },
      { ...good, results: [{ ...good.results[0], status: 'sort-of' }] },
      { ...good, redaction: { ...good.redaction, counts: { passwords: 1 } } },
      { ...good, facts: { gpu: { ok: false } } },
    ];
    for (const doc of broken) expect(errorsOf(doc)).not.toEqual([]);
  });
});
