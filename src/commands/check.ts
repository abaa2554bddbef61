import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { FAIL_ON, type FailOn } from '../core/exit-code.js';
import type { Facts } from '../core/facts.js';
import { buildReport } from '../report/document.js';
import { chooseOutputMode, colorLevel } from '../ui/mode.js';
import { fixPlatformOf } from '../util/platform.js';
import { executeRun, prepareRun, type DoctorRunInput } from './doctor-run.js';
import { collect, parseSeconds } from './option-parsers.js';
import { UsageError } from './usage-error.js';

interface CheckFlags {
  list?: boolean;
  only: string[];
  skip: string[];
  json?: boolean;
  plain?: boolean;
  verbose?: boolean;
  failOn: FailOn;
  timeout: number;
  plugin: string[];
  python?: string;
  dataset?: string;
  results?: string;
  deep?: boolean;
  facts?: string;
}

export function registerCheck(program: Command): void {
  program
    .command('check', { isDefault: true })
    .description('diagnose this machine for nnU-Net v2 (the default command)')
    .option('--list', 'list every check with its id, category and title')
    .option('--only <ids>', 'run only these checks or categories (comma-separated, repeatable)', collect, [])
    .option('--skip <ids>', 'skip these checks or categories', collect, [])
    .option('--json', 'print one JSON document (schema nnunet-doctor/report@1)')
    .option('--plain', 'plain text even on a terminal')
    .option('-v, --verbose', 'show details, evidence, references and timings')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level').choices(FAIL_ON).default('fail'))
    .option('--timeout <seconds>', 'deadline for each probe and check', parseSeconds, 30)
    .option('--plugin <file>', 'load extra checks from a file (repeatable)', collect, [])
    .option('--python <path>', 'the Python interpreter nnU-Net runs under')
    .option('--dataset <dataset>', 'also scan this dataset (id, DatasetXXX_Name or path)')
    .option('--results <dir>', 'the nnU-Net results folder to read logs from')
    .option('--deep', 'run measured probes (a short torch benchmark)')
    .addOption(new Option('--facts <file>', 'judge facts recorded earlier instead of probing this machine').hideHelp())
    .addHelpText(
      'after',
      `
Examples:
  $ nnunet-doctor                       check this machine
  $ nnunet-doctor --only gpu,torch -v   only the GPU and PyTorch checks, with details
  $ nnunet-doctor --json > doctor.json  machine-readable report
  $ nnunet-doctor --fail-on warn        exit 1 on warnings too (for CI)

Exit codes: 0 nothing at or above --fail-on · 1 findings at or above it · 2 usage error or the doctor failed`,
    )
    .action((flags: CheckFlags) => runCheck(flags));
}


async function runCheck(flags: CheckFlags): Promise<void> {
  const started = performance.now();
  const recorded = flags.facts ? await readRecordedFacts(flags.facts) : undefined;
  const input: DoctorRunInput = {
    only: flags.only,
    skip: flags.skip,
    plugins: flags.plugin,
    recorded,
    replay: recorded !== undefined,
    checkTimeoutMs: flags.timeout * 1000,
    options: {
      python: flags.python,
      dataset: flags.dataset,
      results: flags.results,
      deep: flags.deep,
      probeTimeoutMs: flags.timeout * 1000,
    },
  };
  const isTTY = Boolean(process.stdout.isTTY);
  const mode = chooseOutputMode({ json: flags.json, plain: flags.plain, isTTY, env: process.env });
  if (flags.list) {
    const run = await prepareRun(input);
    for (const c of run.selected) process.stdout.write(`${c.id.padEnd(28)} ${c.category.padEnd(9)} ${c.title}\n`);
    return;
  }
  if (mode === 'ink') {
    const { runCheckUi } = await import('../ui/check-app.js');
    process.exitCode = await runCheckUi(input, { verbose: Boolean(flags.verbose), failOn: flags.failOn, started });
    return;
  }
  const run = await prepareRun(input);
  const results = await executeRun(run, input);
  const doc = buildReport({
    command: 'check',
    results,
    failOn: flags.failOn,
    facts: run.store.snapshot(),
    probeDurationsMs: run.store.durationsMs,
    durationMs: performance.now() - started,
  });
  if (mode === 'json') {
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const { renderPlain } = await import('../ui/plain.js');
    process.stdout.write(renderPlain(doc, { verbose: Boolean(flags.verbose), colorLevel: colorLevel(process.env, isTTY), fixPlatform: fixPlatformOf() }));
  }
  process.exitCode = doc.summary.exitCode;
}

export async function readRecordedFacts(file: string): Promise<Partial<Facts>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { facts?: Partial<Facts> };
    // Accept a whole --json report as well as a bare facts object.
    return parsed.facts ?? (parsed as Partial<Facts>);
  } catch (error) {
    throw new UsageError(`could not read recorded facts from ${file}: ${(error as Error).message}`);
  }
}
