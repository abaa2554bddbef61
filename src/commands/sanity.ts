import { Command, Option } from 'commander';
import { Chalk } from 'chalk';
import { EXIT } from '../core/exit-code.js';
import { severity, type Finding } from '../core/finding.js';
import { TOOL_VERSION } from '../core/version.js';
import { chooseOutputMode, colorLevel } from '../ui/mode.js';
import type { SanityOptions } from '../engine/train/sanity.js';
import { wholeNumber } from './option-parsers.js';
import { UsageError } from './usage-error.js';

export interface SanityFlags {
  dataset?: string;
  steps?: number;
  fp16?: boolean;
  preset: string;
  provider?: string;
  threads?: number;
  json?: boolean;
  plain?: boolean;
}

export const SANITY_SCHEMA = 'nnunet-doctor/sanity@1';

/** Where the command writes and what it runs on; tests pass their own (a smaller network, captured output). */
export interface SanityIo {
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  write(text: string): void;
  writeErr(text: string): void;
  /** Engine options that override the flags' (tests: a smaller network). */
  engine?: Partial<SanityOptions>;
}

export function registerSanity(program: Command): void {
  program
    .command('sanity')
    .description("train nnU-Net's network for a few steps here, stop at the first NaN/Inf and say why, then predict a held-out case")
    .option('--dataset <dataset>', "train on a few of this dataset's cases (id, DatasetXXX_Name or folder) instead of synthetic data")
    .option('--steps <n>', 'training steps (default 16)', wholeNumber('--steps'))
    .option('--fp16', 'ask for mixed precision; the result says whether fp16 was really computed (not on the CPU provider)')
    .addOption(new Option('--preset <name>', 'network preset').choices(['tiny', '3d_fullres_cpu', '3d_fullres', '2d']).default('tiny'))
    .addOption(new Option('--provider <name>', 'execution provider to try first').choices(['cuda', 'coreml', 'dml', 'webgpu', 'cpu']))
    .option('--threads <n>', 'CPU threads (default: all cores)', wholeNumber('--threads'))
    .option('--json', `print one JSON document (schema ${SANITY_SCHEMA})`)
    .option('--plain', 'plain text even on a terminal')
    .addHelpText('after', '\nExit codes: 0 trained and finite · 1 a non-finite value or bad labels was found · 2 usage error')
    .action(async (flags: SanityFlags) => {
      const io: SanityIo = {
        env: process.env,
        isTTY: Boolean(process.stdout.isTTY),
        write: (t) => void process.stdout.write(t),
        writeErr: (t) => void process.stderr.write(t),
      };
      process.exitCode = await runSanityCommand(flags, io);
    });
}

export async function runSanityCommand(flags: SanityFlags, io: SanityIo): Promise<number> {
  const { isTTY } = io;
  const mode = chooseOutputMode({ json: flags.json, plain: flags.plain, isTTY, env: io.env });
  const { runSanity, SanityTooLargeError, DEFAULT_SANITY_STEPS } = await import('../engine/train/sanity.js');
  const { default: check } = await import('../../checks/sanity.training.js');
  const losses: number[] = [];
  const view = mode === 'ink' ? (await import('../ui/sanity-view.js')).startSanityView('sanity training') : undefined;
  const chalk = new Chalk({ level: colorLevel(io.env, isTTY) });
  let result;
  try {
    const onDetail = (detail: string) => {
      view?.update({ losses: [], done: 0, total: flags.steps ?? DEFAULT_SANITY_STEPS, detail });
      if (mode === 'plain') io.writeErr(`${detail}\n`);
    };
    const userData = flags.dataset === undefined ? {} : await datasetInputs(flags.dataset, flags, io, onDetail);
    result = await runSanity({
      preset: flags.preset as 'tiny',
      steps: flags.steps,
      fp16: flags.fp16,
      threads: flags.threads,
      providers: flags.provider ? [flags.provider as 'cpu'] : undefined,
      ...io.engine,
      ...userData,
      onProgress(p) {
        if (p.loss !== undefined) losses.push(p.loss);
        const detail = p.phase === 'inference' ? 'predicting the held-out case' : `loss ${p.loss?.toFixed(4)}`;
        view?.update({ losses: [...losses], done: p.done, total: p.total, detail });
        if (mode === 'plain' && p.phase === 'training') io.writeErr(`step ${p.done}/${p.total}  loss ${p.loss?.toFixed(4)}\n`);
      },
    });
  } catch (error) {
    if (error instanceof SanityTooLargeError) throw new UsageError(error.message);
    throw error;
  } finally {
    await view?.stop();
  }
  const findings = (await check.run({ sanity: { ok: true, ...result } })) as Finding[];
  const exitCode = findings.some((f) => severity(f.status) >= severity('fail')) ? EXIT.findings : EXIT.ok;
  if (mode === 'json') {
    // Under `facts`, so `nnunet-doctor check --facts` and `report --facts` can judge and include it again.
    const facts = { sanity: { ok: true, ...result } };
    const doc = { schema: SANITY_SCHEMA, tool: { name: 'nnunet-doctor', version: TOOL_VERSION }, createdAt: new Date().toISOString(), facts, findings, exitCode };
    io.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const { lossChart } = await import('../ui/loss-chart.js');
    const chart = lossChart(result.steps.map((s) => s.loss));
    const stepMs = result.steps.length ? result.steps.reduce((a, s) => a + s.durationMs, 0) / result.steps.length : 0;
    const lines = [
      chalk.bold(`Sanity training: ${result.data.name}`),
      `network: preset ${result.network.preset}, patch ${result.network.patchSize.join('x')}, batch ${result.network.batchSize}, ${result.network.parameterCount} parameters; ${result.provider}, ${result.precision.computed}; lr ${result.learningRate}`,
      ...(result.data.preparation ? ['data:', ...result.data.preparation.map((line) => `  ${line}`)] : []),
      `${result.steps.length}/${result.stepsPlanned} steps, ${stepMs.toFixed(0)} ms per step, ${(result.durationMs / 1000).toFixed(1)} s in all`,
      ...(chart ? ['', chart, ''] : []),
      ...findings.map((f) => `${statusMark(f.status, chalk)} ${f.summary}${f.details ? `\n    ${f.details}` : ''}${f.fix ? `\n    fix: ${typeof f.fix === 'string' ? f.fix : f.fix.default}` : ''}`),
    ];
    io.write(`${lines.join('\n')}\n`);
  }
  return exitCode;
}

/** The user's cases and the network for them; a dataset that cannot be trained on is a usage error with the reason. */
async function datasetInputs(target: string, flags: SanityFlags, io: SanityIo, onDetail: (detail: string) => void): Promise<Pick<SanityOptions, 'network' | 'data'>> {
  const { userSanityInputs } = await import('../engine/train/prepare.js');
  const { UserDataError } = await import('../engine/train/user-data.js');
  const { preset } = await import('../engine/presets.js');
  try {
    return await userSanityInputs(target, io.engine?.network ?? preset(flags.preset as 'tiny'), { env: io.env, onProgress: onDetail });
  } catch (error) {
    if (error instanceof UserDataError) throw new UsageError(`--dataset ${target}: ${error.message}`);
    throw error;
  }
}

function statusMark(status: Finding['status'], chalk: InstanceType<typeof Chalk>): string {
  if (status === 'pass') return chalk.green('✔');
  if (status === 'fail') return chalk.red('✖');
  if (status === 'warn') return chalk.yellow('!');
  return chalk.blue('i');
}
