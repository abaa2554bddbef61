import { Command, Option } from 'commander';
import { FAIL_ON, type FailOn } from '../core/exit-code.js';
import { FactStore } from '../core/fact-store.js';
import { buildReport } from '../report/document.js';
import { chooseOutputMode, colorLevel } from '../ui/mode.js';
import { fixPlatformOf } from '../util/platform.js';
import { executeRun, prepareRun, type DoctorRunInput } from './doctor-run.js';
import { UsageError } from './usage-error.js';

interface DatasetFlags {
  workers?: number;
  json?: boolean;
  plain?: boolean;
  verbose?: boolean;
  failOn: FailOn;
}

export const DATASET_SCHEMA = 'nnunet-doctor/dataset@1';

export function registerDataset(program: Command): void {
  program
    .command('dataset <dataset>')
    .description("scan a raw dataset like nnU-Net's verify_dataset_integrity, completely: dataset.json, names, headers, every voxel")
    .option('--workers <n>', 'worker threads (default: the CPUs this process may use)', parseWorkers)
    .option('--json', `print one JSON document (schema ${DATASET_SCHEMA})`)
    .option('--plain', 'plain text even on a terminal')
    .option('-v, --verbose', 'show details, evidence and references for every finding')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level').choices(FAIL_ON).default('fail'))
    .addHelpText(
      'after',
      `
<dataset> is a 3-digit id (4), a name (Dataset004_Hippocampus, looked up under nnUNet_raw) or a folder path.
Files are opened read-only; nothing in the dataset is changed.

Examples:
  $ nnunet-doctor dataset 4
  $ nnunet-doctor dataset ./Dataset004_Hippocampus --workers 8
  $ nnunet-doctor dataset 4 --json > dataset-report.json`,
    )
    .action((target: string, flags: DatasetFlags) => runDataset(target, flags));
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--workers needs a whole number from 1 to 256, not "${value}"`);
  return n;
}

async function runDataset(target: string, flags: DatasetFlags): Promise<void> {
  const started = performance.now();
  const isTTY = Boolean(process.stdout.isTTY);
  const mode = chooseOutputMode({ json: flags.json, plain: flags.plain, isTTY, env: process.env });
  const options = { dataset: target, probeTimeoutMs: 30_000 };
  const workers = flags.workers ?? (await effectiveCpus(options));
  const { scanDataset } = await import('../dataset/scanner.js');
  const progress = mode === 'ink' ? (await import('../ui/progress.js')).startProgress('Scanning dataset') : undefined;
  let lastUpdateMs = 0;
  const scan = await scanDataset(target, {
    workers,
    onProgress: (p) => {
      const now = performance.now();
      if (!progress || (now - lastUpdateMs < 100 && p.casesDone < p.casesTotal)) return;
      lastUpdateMs = now;
      progress.update({ done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', detail: `${p.casesDone}/${p.casesTotal} cases · ${p.problems} ${p.problems === 1 ? 'problem' : 'problems'}` });
    },
  }).finally(() => progress?.stop());
  if (!scan.resolution.found) throw new UsageError(scan.resolution.message);
  const input: DoctorRunInput = { only: ['dataset'], skip: [], plugins: [], recorded: { dataset: { ok: true, scan } }, options, checkTimeoutMs: 30_000 };
  const run = await prepareRun(input);
  const results = await executeRun(run, input);
  const report = buildReport({ command: 'dataset', results, failOn: flags.failOn, facts: {}, probeDurationsMs: new Map(), durationMs: performance.now() - started });
  const { summarizeScan } = await import('../dataset/summary.js');
  const summary = summarizeScan(scan);
  if (mode === 'json') {
    const doc = {
      schema: DATASET_SCHEMA,
      tool: report.tool,
      createdAt: report.createdAt,
      dataset: { target, root: scan.resolution.root, folderName: scan.resolution.folderName, via: scan.resolution.via },
      summary: report.summary,
      datasetSummary: summary,
      results: report.results,
      cases: scan.cases,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const [{ renderPlain }, { datasetSummaryLines }, { Chalk }] = await Promise.all([import('../ui/plain.js'), import('../ui/dataset-summary.js'), import('chalk')]);
    const level = colorLevel(process.env, isTTY);
    const text = renderPlain(report, { verbose: Boolean(flags.verbose), colorLevel: level, fixPlatform: fixPlatformOf() });
    process.stdout.write(`${text}\n${datasetSummaryLines(summary, new Chalk({ level })).join('\n')}\n`);
  }
  process.exitCode = report.summary.exitCode;
}

/** Worker count from the cpu fact: affinity and cgroup quota, not the host's core count. */
async function effectiveCpus(options: { probeTimeoutMs: number }): Promise<number | undefined> {
  const { builtinProbes } = await import('../probes/index.js');
  const cpu = await new FactStore({ probes: builtinProbes, options }).get('cpu');
  return cpu.ok ? cpu.effectiveCpus : undefined;
}
