import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import check from '../../checks/sanity.training.js';
import { readRecordedFacts } from '../../src/commands/check.js';
import { UsageError } from '../../src/commands/usage-error.js';
import { runSanityCommand, type SanityIo } from '../../src/commands/sanity.js';
import { datasetData } from '../../src/engine/train/sanity.js';
import { syntheticVolume } from '../../src/engine/train/synthetic.js';
import { SMALL_NET } from '../engine/train/small-net.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas/sanity.schema.json'), 'utf8')));

function io(engine: SanityIo['engine']): SanityIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { env: {}, isTTY: false, engine, write: (t) => void (out += t), writeErr: (t) => void (err += t), out: () => out, err: () => err };
}

describe('nnunet-doctor sanity', () => {
  it('--json prints one document that matches schemas/sanity.schema.json', async () => {
    const run = io({ network: SMALL_NET, providers: ['cpu'] });
    const code = await runSanityCommand({ json: true, steps: 3, preset: 'tiny' }, run);
    const doc = JSON.parse(run.out());
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.schema).toBe('nnunet-doctor/sanity@1');
    expect(doc.facts.sanity.steps).toHaveLength(3);
    expect(code).toBe(0);
    expect(run.err()).toBe('');
    // The document replays as recorded facts: `check --facts` and `report --facts` judge it again.
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'nnd-sanity-')), 'sanity.json');
    writeFileSync(file, run.out());
    const facts = await readRecordedFacts(file);
    expect([await check.run(facts)].flat()).toEqual(doc.findings);
  }, 60_000);

  it('exits 1 with the cause when the data holds NaN, and the NaN loss is valid JSON', async () => {
    const raw = [syntheticVolume([20, 20, 20], 1, 3, 1), syntheticVolume([20, 20, 20], 1, 3, 2)];
    raw[0]!.image[7] = Number.NaN;
    const run = io({ network: SMALL_NET, providers: ['cpu'], data: datasetData('nan', raw, 3, 'ZScoreNormalization') });
    const code = await runSanityCommand({ json: true, preset: 'tiny' }, run);
    const doc = JSON.parse(run.out());
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(code).toBe(1);
    expect(doc.facts.sanity.steps[0].loss).toBeNull();
    expect(doc.findings[0].summary).toMatch(/step 1 in data/);
  }, 60_000);

  it('plain output shows progress on stderr, the loss chart and the verdict', async () => {
    const run = io({ network: SMALL_NET, providers: ['cpu'] });
    await runSanityCommand({ plain: true, steps: 4, preset: 'tiny' }, run);
    expect(run.err()).toMatch(/step 4\/4 {2}loss/);
    expect(run.out()).toMatch(/┤/);
    expect(run.out()).toMatch(/held-out synthetic_1000: Dice/);
  }, 60_000);

  it('says plainly that --dataset is not available yet', async () => {
    await expect(runSanityCommand({ dataset: 'Dataset004', preset: 'tiny' }, io({}))).rejects.toThrow(UsageError);
  });
});
