import { Command, Option } from 'commander';
import { FAIL_ON, type FailOn } from '../core/exit-code.js';
import { PRESET_HELP, PRESETS } from '../engine/presets.js';
import { PROVIDERS, type ProviderName } from '../engine/provider-names.js';
import { chooseOutputMode, colorLevel } from '../ui/mode.js';
import { wholeNumber } from './option-parsers.js';
import { UsageError } from './usage-error.js';

export interface BenchFlags {
  plans?: string;
  configuration?: string;
  dataset?: string;
  preset?: string;
  provider?: ProviderName;
  iterations: number;
  warmup: number;
  threads?: number;
  json?: boolean;
  plain?: boolean;
  verbose?: boolean;
  failOn: FailOn;
}

export const BENCH_SCHEMA = 'nnunet-doctor/bench@1';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description("time nnU-Net's network (built as an ONNX graph) on this machine and estimate epoch and inference times")
    .option('--plans <file>', 'an nnUNetPlans.json to take the network from')
    .option('--configuration <name>', 'the plans configuration (default 3d_fullres)')
    .option('--dataset <dataset>', "a dataset (id, DatasetXXX_Name or path): its plans, or nnU-Net's planner rules on its geometry")
    .addOption(new Option('--preset <name>', 'a built-in network when there are no plans (default 3d_fullres)').choices(PRESETS))
    .addOption(new Option('--provider <name>', 'execution provider (default: the fastest that loads)').choices(PROVIDERS))
    .option('--iterations <n>', 'timed iterations', wholeNumber('--iterations'), 5)
    .option('--warmup <n>', 'untimed iterations first', wholeNumber('--warmup', 0), 1)
    .option('--threads <n>', 'CPU threads (default: the usable cores)', wholeNumber('--threads'))
    .option('--json', `print one JSON document (schema ${BENCH_SCHEMA})`)
    .option('--plain', 'plain text even on a terminal')
    .option('-v, --verbose', 'show every timing and the evidence')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level').choices(FAIL_ON).default('fail'))
    .addHelpText(
      'after',
      `
Examples:
  $ nnunet-doctor bench                                  the 3d_fullres CT preset (128^3, batch 2)
  $ nnunet-doctor bench --preset tiny --iterations 3     a quick CPU run
  $ nnunet-doctor bench --plans $nnUNet_preprocessed/Dataset004_Hippocampus/nnUNetPlans.json --configuration 2d
  $ nnunet-doctor bench --dataset 4 --json > bench.json

Presets:
${PRESETS.map((p) => `  ${p.padEnd(16)} ${PRESET_HELP[p]}`).join('\n')}`,
    )
    .action((flags: BenchFlags) => runBenchCommand(flags));
}

async function runBenchCommand(flags: BenchFlags): Promise<void> {
  const sources = [flags.plans && '--plans', flags.dataset && '--dataset', flags.preset && '--preset'].filter(Boolean);
  if (sources.length > 1) throw new UsageError(`${sources.join(' and ')} each choose the network; pass only one`);
  if (flags.configuration && !flags.plans && !flags.dataset) throw new UsageError('--configuration needs --plans or --dataset');
  const isTTY = Boolean(process.stdout.isTTY);
  const mode = chooseOutputMode({ json: flags.json, plain: flags.plain, isTTY, env: process.env });
  const { executeBench } = await import('./bench-run.js');
  const outcome = await executeBench(flags, mode);
  const level = colorLevel(process.env, isTTY);
  if (mode === 'json') {
    process.stdout.write(`${JSON.stringify(outcome.document, null, 2)}\n`);
  } else {
    const { renderPlain } = await import('../ui/plain.js');
    const { renderBench } = await import('./bench-output.js');
    const { fixPlatformOf } = await import('../util/platform.js');
    process.stdout.write(renderBench(outcome.fact, { colorLevel: level, verbose: Boolean(flags.verbose) }));
    process.stdout.write(`\n${renderPlain(outcome.report, { verbose: Boolean(flags.verbose), colorLevel: level, fixPlatform: fixPlatformOf() })}`);
  }
  process.exitCode = outcome.report.summary.exitCode;
}
