import { Command, Option } from 'commander';
import type { Facts } from '../core/facts.js';
import { buildReport, type ReportDocument } from '../report/document.js';
import { readIncludedFacts } from '../report/include.js';
import { currentIdentity } from '../report/identity.js';
import { REPORT_FORMATS, redactReport, renderReport, type ReportFormat } from '../report/render.js';
import { chooseOutputMode } from '../ui/mode.js';
import { readRecordedFacts } from './check.js';
import { collect, parseSeconds } from './option-parsers.js';
import { executeRun, prepareRun, type DoctorRunInput } from './doctor-run.js';
import { UsageError } from './usage-error.js';
import { writeOutput } from './output-file.js';

interface ReportFlags {
  format: ReportFormat;
  output?: string;
  dataset?: string;
  results?: string;
  redactCases?: boolean;
  caseSalt?: string;
  redact: boolean;
  yes?: boolean;
  include: string[];
  python?: string;
  plugin: string[];
  timeout: number;
  facts?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('assemble a support ticket (Markdown, JSON or HTML), redacted, for an nnU-Net issue')
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('md'))
    .option('-o, --output <file>', 'write the report to this file (default: stdout when piped, nnunet-doctor-report.<format> at a terminal)')
    .option('--dataset <dataset>', 'include this dataset (id, DatasetXXX_Name or path): dataset.json and a summary, never image data')
    .option('--results <dir>', 'results folder to quote the newest training log, debug.json and plans from (default: $nnUNet_results)')
    .option('--redact-cases', 'replace case identifiers and dataset names with short hashes (random key per report)')
    .option('--case-salt <text>', 'with --redact-cases: hash with this key instead, so several reports name the same case alike')
    .option('--no-redact', 'keep user, host, paths and addresses (secrets, GPU UUIDs/serials and image headers are always removed)')
    .option('-y, --yes', 'write without asking (never asks when not at a terminal)')
    .option('--include <file>', 'add results saved with `bench --json` or `sanity --json` (repeatable)', collect, [])
    .option('--python <path>', 'the Python interpreter nnU-Net runs under')
    .option('--plugin <file>', 'load extra checks from a file (repeatable)', collect, [])
    .option('--timeout <seconds>', 'deadline for each probe and check', parseSeconds, 30)
    .addOption(new Option('--facts <file>', 'report on facts recorded earlier instead of probing this machine').hideHelp())
    .addHelpText(
      'after',
      `
Examples:
  $ nnunet-doctor report -o ticket.md                       Markdown to paste into a GitHub issue
  $ nnunet-doctor report --dataset 42 --redact-cases        include Dataset042, case names hashed
  $ nnunet-doctor bench --json > bench.json
  $ nnunet-doctor report --format html --include bench.json -o report.html   with the benchmark chart
  $ nnunet-doctor report --format json --yes > report.json`,
    )
    .action((flags: ReportFlags) => runReport(flags));
}

async function runReport(flags: ReportFlags): Promise<void> {
  const started = performance.now();
  const included = await readIncludedFacts(flags.include).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  const recorded = flags.facts ? await readRecordedFacts(flags.facts) : undefined;
  const input: DoctorRunInput = {
    only: [],
    skip: [],
    plugins: flags.plugin,
    recorded: recorded || flags.include.length > 0 ? ({ ...recorded, ...included } as Partial<Facts>) : undefined,
    replay: recorded !== undefined,
    checkTimeoutMs: flags.timeout * 1000,
    options: { python: flags.python, dataset: flags.dataset, results: flags.results, probeTimeoutMs: flags.timeout * 1000 },
  };
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const target = flags.output ?? (process.stdout.isTTY ? `nnunet-doctor-report.${flags.format}` : undefined);
  const doc = await collectReport(input, chooseOutputMode({ isTTY: Boolean(process.stdout.isTTY), env: process.env }) === 'ink', started);
  const redacted = redactReport(doc, currentIdentity(process.env), { redact: flags.redact, redactCases: Boolean(flags.redactCases || flags.caseSalt), caseSalt: flags.caseSalt });
  const text = renderReport(redacted, flags.format);

  if (interactive && !flags.yes) {
    const { buildTicket } = await import('../report/ticket.js');
    const { confirm, previewText } = await import('../report/preview.js');
    process.stderr.write(previewText(redacted, buildTicket(redacted), flags.format, target ?? 'stdout', Buffer.byteLength(text)));
    if (!(await confirm(target ? `Write ${target}?` : 'Print it?'))) {
      process.stderr.write('Nothing written.\n');
      return;
    }
  }
  await writeOutput(text, target);
}

/** The same run as `check` over every check, plus the files a ticket quotes. */
async function collectReport(input: DoctorRunInput, showProgress: boolean, started: number): Promise<ReportDocument> {
  const progress = showProgress ? (await import('../ui/progress.js')).startProgress('Collecting the report') : undefined;
  let done = 0;
  let total = 0;
  const withEvents: DoctorRunInput = {
    ...input,
    events: { onCheckFinish: () => progress?.update({ done: ++done, total, unit: 'checks' }) },
  };
  try {
    const run = await prepareRun(withEvents);
    total = run.checks.length;
    const [results] = await Promise.all([executeRun(run, withEvents), run.store.get('ticketSources')]);
    return buildReport({
      command: 'report',
      results,
      failOn: 'fail',
      facts: run.store.snapshot(),
      probeDurationsMs: run.store.durationsMs,
      durationMs: performance.now() - started,
    });
  } finally {
    await progress?.stop();
  }
}
