import { Command, Option } from 'commander';
import { FAIL_ON, type FailOn } from '../core/exit-code.js';
import { severity } from '../core/finding.js';
import { TOOL_VERSION } from '../core/version.js';
import type { NanOptions } from '../nan/context.js';
import type { NanFlowResult, NanStep } from '../nan/flow.js';
import { parseSeconds } from './option-parsers.js';

interface NanFlags {
  dataset?: string;
  results?: string;
  python?: string;
  sanity: boolean;
  json?: boolean;
  plain?: boolean;
  verbose?: boolean;
  failOn: FailOn;
  timeout: number;
}

export const NAN_SCHEMA = 'nnunet-doctor/nan@1';

export interface NanIo {
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  write(text: string): void;
}

export interface NanRunOverrides {
  steps?: readonly NanStep[];
  /** Facts recorded earlier (tests, replayed machines). */
  recorded?: NanOptions['recorded'];
  sanitySteps?: number;
}

export function registerNan(program: Command): void {
  program
    .command('nan')
    .description('walk through the documented train_loss nan checklist and rank the likely causes')
    .option('--dataset <dataset>', 'the dataset that trains to NaN (id, DatasetXXX_Name or path; default: the one of the newest training log)')
    .option('--results <dir>', 'the nnU-Net results folder with the training log (default: $nnUNet_results)')
    .option('--python <path>', 'the Python interpreter nnU-Net runs under')
    .option('--no-sanity', 'skip the short sanity training (it takes tens of seconds on a CPU)')
    .option('--json', `print one JSON document (schema ${NAN_SCHEMA})`)
    .option('--plain', 'plain text even on a terminal')
    .option('-v, --verbose', 'show every finding behind each step, and timings')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a step is at or above this level').choices(FAIL_ON).default('fail'))
    .option('--timeout <seconds>', 'deadline for each probe (the Python and PyTorch probe)', parseSeconds, 60)
    .addHelpText(
      'after',
      `
Steps: dataset integrity and class ids · NaN/Inf and constant channels · geometry · the training log
(first NaN epoch and what came before) · custom trainer/loss/plans · torch and AMP · a short sanity
training with and without fp16. Files are only read, never changed.

Examples:
  $ nnunet-doctor nan --dataset 4
  $ nnunet-doctor nan --results /data/nnUNet_results --no-sanity
  $ nnunet-doctor nan --dataset 4 --json > nan.json`,
    )
    .action(async (flags: NanFlags) => {
      process.exitCode = await runNan(flags, { env: process.env, isTTY: Boolean(process.stdout.isTTY), write: (t) => process.stdout.write(t) });
    });
}

/** The nan command without process globals; returns the exit code. */
export async function runNan(flags: NanFlags, io: NanIo, overrides: NanRunOverrides = {}): Promise<number> {
  const [{ createNanContext }, { runNanFlow }, { NAN_STEPS }, { chooseOutputMode, colorLevel }, { Chalk }, { stepLines, conclusionLines }, { fixPlatformOf }] = await Promise.all([
    import('../nan/context.js'),
    import('../nan/flow.js'),
    import('../nan/steps/index.js'),
    import('../ui/mode.js'),
    import('chalk'),
    import('../ui/nan-plain.js'),
    import('../util/platform.js'),
  ]);
  const mode = chooseOutputMode({ json: flags.json, plain: flags.plain, isTTY: io.isTTY, env: io.env });
  const c = new Chalk({ level: mode === 'json' ? 0 : colorLevel(io.env, io.isTTY) });
  const textOptions = { verbose: Boolean(flags.verbose), fixPlatform: fixPlatformOf() };
  const progress = mode === 'ink' ? (await import('../ui/progress.js')).startProgress('Debugging train_loss nan') : undefined;
  let current = { index: 0, total: 0, title: '' };
  const ctx = createNanContext(
    { dataset: flags.dataset, results: flags.results, python: flags.python, sanity: flags.sanity, sanitySteps: overrides.sanitySteps, probeTimeoutMs: flags.timeout * 1000, recorded: overrides.recorded },
    io.env,
    (detail) => progress?.update({ done: current.index, total: current.total, unit: 'steps', detail: `${current.title} · ${detail}` }),
  );
  let result: NanFlowResult;
  try {
    result = await runNanFlow(overrides.steps ?? NAN_STEPS, ctx, {
      onStepStart: (step, index, total) => {
        current = { index, total, title: step.title };
        progress?.update({ done: index, total, unit: 'steps', detail: step.title });
      },
      onStepFinish: (record, index, total) => {
        const lines = stepLines(c, record, index, total, textOptions);
        if (progress) for (const line of lines) progress.note(line);
        else if (mode === 'plain') io.write(`${lines.join('\n')}\n`);
      },
    });
  } finally {
    await progress?.stop();
  }
  const exitCode = result.steps.some((s) => severity(s.status) >= severity(flags.failOn)) ? 1 : 0;
  if (mode === 'json') {
    const doc = { schema: NAN_SCHEMA, tool: { name: 'nnunet-doctor', version: TOOL_VERSION }, createdAt: new Date().toISOString(), dataset: (await ctx.datasetTarget()) ?? null, ...result, summary: { failOn: flags.failOn, exitCode } };
    io.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    io.write(`${conclusionLines(c, result).join('\n')}\n`);
  }
  return exitCode;
}
