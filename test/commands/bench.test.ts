import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../e2e/cli-helpers.js';

const schema = (name: string) => JSON.parse(readFileSync(path.join(ROOT, 'schemas', name), 'utf8'));
const ajv = new Ajv({ allErrors: true, formats: { 'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/ } });
ajv.addSchema(schema('report.schema.json'));
const validate = ajv.compile(schema('bench.schema.json'));
const FIX = path.join(ROOT, 'fixtures', 'engine');
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('nnunet-doctor bench (built CLI)', () => {
  it('--json prints one document that matches schemas/bench.schema.json', async () => {
    const run = await runCli(['bench', '--preset', 'tiny', '--iterations', '2', '--warmup', '0', '--json']);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.bench.outcome.status).toBe('measured');
    expect(doc.bench.outcome.timing.iterations).toBe(2);
    expect(doc.results.map((r: { id: string }) => r.id)).toEqual(['bench.provider', 'bench.speed', 'bench.training']);
    expect(run.code).toBe(doc.summary.exitCode);
    // The document replays as recorded facts: `check --facts` reaches the same verdicts.
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-json-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'bench.json'), run.stdout);
    const replay = await runCli(['--facts', path.join(dir, 'bench.json'), '--only', 'bench', '--json']);
    const replayed = JSON.parse(replay.stdout).results.map((r: { id: string; status: string }) => [r.id, r.status]);
    expect(replayed).toEqual(doc.results.map((r: { id: string; status: string }) => [r.id, r.status]));
  }, 90_000);

  it('turns a plans file that is not JSON into a failed finding (exit 1), not a crash', async () => {
    const run = await runCli(['bench', '--plans', path.join(FIX, 'broken-plans.json'), '--json']);
    const doc = JSON.parse(run.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(run.code).toBe(1);
    expect(doc.bench.outcome.status).toBe('invalid-config');
    const speed = doc.results.find((r: { id: string }) => r.id === 'bench.speed');
    expect(speed.status).toBe('fail');
    expect(speed.findings[0].summary).toMatch(/is not JSON/);
  }, 60_000);

  it('names the configurations a plans file has when the asked one is missing (plain output)', async () => {
    const run = await runCli(['bench', '--plans', path.join(FIX, 'plans-v2', 'nnUNetPlans.json'), '--configuration', '3d_lowres', '--plain']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/no configuration "3d_lowres" \(they have 2d, 3d_fullres/);
  }, 60_000);

  it('refuses two ways of choosing the network (exit 2)', async () => {
    const run = await runCli(['bench', '--plans', 'x.json', '--preset', 'tiny']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--plans and --preset each choose the network/);
  });

  it('finds a dataset\'s plans under nnUNet_preprocessed and benchmarks its network', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-ds-'));
    dirs.push(dir);
    const name = 'Dataset004_Hippocampus';
    await mkdir(path.join(dir, 'raw', name), { recursive: true });
    await writeFile(path.join(dir, 'raw', name, 'dataset.json'), readFileSync(path.join(FIX, 'plans-v2', 'dataset.json')));
    await cp(path.join(FIX, 'plans-v2'), path.join(dir, 'pre', name), { recursive: true });
    const run = await runCli(['bench', '--dataset', '4', '--configuration', '2d', '--iterations', '1', '--warmup', '0', '--json'], {
      nnUNet_raw: path.join(dir, 'raw'),
      nnUNet_preprocessed: path.join(dir, 'pre'),
    });
    const doc = JSON.parse(run.stdout);
    expect(doc.bench.outcome.status).toBe('measured');
    expect(doc.bench.outcome.target.patchSize).toEqual([56, 40]);
    expect(doc.bench.outcome.target.batchSize).toBe(366);
    // 36 slices of 50 x 35, one 56 x 40 tile each.
    expect(doc.bench.outcome.inference.tiles).toBe(36);
  }, 90_000);
});

describe('nnunet-doctor bench with a network too large to build', () => {
  it('fails with the numbers instead of allocating', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-huge-'));
    dirs.push(dir);
    const plans = {
      configurations: {
        huge: { batch_size: 2, patch_size: [64, 64, 64], architecture: { network_class_name: 'PlainConvUNet', arch_kwargs: {
          features_per_stage: [32, 8192, 16384], kernel_sizes: [[3, 3, 3], [3, 3, 3], [3, 3, 3]], strides: [[1, 1, 1], [2, 2, 2], [2, 2, 2]],
          n_conv_per_stage: [2, 2, 2], n_conv_per_stage_decoder: [2, 2] } } },
      },
    };
    await writeFile(path.join(dir, 'plans.json'), JSON.stringify(plans));
    const started = performance.now();
    const run = await runCli(['bench', '--plans', path.join(dir, 'plans.json'), '--configuration', 'huge', '--json']);
    const doc = JSON.parse(run.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(run.code).toBe(1);
    expect(doc.bench.outcome.status).toBe('too-large');
    const speed = doc.results.find((r: { id: string }) => r.id === 'bench.speed');
    expect(speed.findings[0].summary).toMatch(/needs about \d+(\.\d)? GiB .* only 2\.0 GiB is available/);
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
