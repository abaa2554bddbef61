import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { FAIL_ON, type FailOn } from '../core/exit-code.js';
import { UsageError } from './usage-error.js';

interface ExplainFlags {
  results?: string;
  json?: boolean;
  plain?: boolean;
  verbose?: boolean;
  failOn: FailOn;
}

export interface ExplainIo {
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  write(text: string): void;
  readStdin(): Promise<string>;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('explain a training log, console capture or traceback: the real cause and the fix')
    .argument('[file]', 'a log file, a results/fold folder, or - for standard input (default: the newest training_log_*.txt under nnUNet_results)')
    .option('--results <dir>', 'the nnU-Net results folder to take the newest training log from (default: $nnUNet_results)')
    .option('--json', 'print one JSON document (schema nnunet-doctor/explain@1)')
    .option('--plain', 'plain text even on a terminal')
    .option('-v, --verbose', 'show references, evidence and the log lines around each match')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level').choices(FAIL_ON).default('fail'))
    .addHelpText(
      'after',
      `
Examples:
  $ nnunet-doctor explain                          the newest training log under $nnUNet_results
  $ nnunet-doctor explain train.log -v             a saved console capture, with the matching lines
  $ nnUNetv2_train 4 3d_fullres 0 2>&1 | tee train.log; nnunet-doctor explain train.log
  $ pbpaste | nnunet-doctor explain -              a traceback from the clipboard`,
    )
    .action(async (file: string | undefined, flags: ExplainFlags) => {
      process.exitCode = await runExplain(file, flags, {
        env: process.env,
        isTTY: Boolean(process.stdout.isTTY),
        write: (text) => process.stdout.write(text),
        readStdin: readAll,
      });
    });
}

/** The explain command without process globals, so tests drive it directly. Returns the exit code. */
export async function runExplain(file: string | undefined, flags: ExplainFlags, io: ExplainIo): Promise<number> {
  const { explainLog } = await import('../logs/index.js');
  const { buildExplainDocument } = await import('../logs/explain-document.js');
  const { readDebugInfo, readLogText, runIdentityOf } = await import('../logs/results.js');
  const { chooseOutputMode, colorLevel } = await import('../ui/mode.js');
  const located = await locateLog(file, flags.results, io.env);
  const text = located.kind === 'stdin' ? await io.readStdin() : await readLogText(located.path!).catch((error: Error) => {
    throw new UsageError(`could not read ${located.path}: ${error.message}`);
  });
  const doc = buildExplainDocument({
    source: located,
    explanation: explainLog(text),
    run: located.path ? runIdentityOf(located.path) : undefined,
    debug: located.path ? await readDebugInfo(path.dirname(located.path)) : undefined,
    failOn: flags.failOn,
  });
  const mode = chooseOutputMode({ json: flags.json, plain: flags.plain, isTTY: io.isTTY, env: io.env });
  if (mode === 'json') {
    io.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    // The explanation is ready at once; a terminal gets the same text as a pipe, in colour.
    const { renderExplainPlain } = await import('../ui/explain-plain.js');
    const { fixPlatformOf } = await import('../util/platform.js');
    io.write(renderExplainPlain(doc, { verbose: Boolean(flags.verbose), colorLevel: colorLevel(io.env, io.isTTY), fixPlatform: fixPlatformOf() }));
  }
  return doc.summary.exitCode;
}

type LocatedLog = { kind: 'stdin'; chosenBy: 'stdin'; path?: undefined } | { kind: 'file'; chosenBy: 'argument' | 'newest-training-log'; path: string };

async function locateLog(file: string | undefined, results: string | undefined, env: NodeJS.ProcessEnv): Promise<LocatedLog> {
  if (file === '-') return { kind: 'stdin', chosenBy: 'stdin' };
  if (file) {
    const info = await stat(file).catch(() => undefined);
    if (!info) throw new UsageError(`${file} does not exist`);
    return info.isDirectory() ? newestUnder(file) : { kind: 'file', chosenBy: 'argument', path: file };
  }
  const root = results ?? env.nnUNet_results;
  if (!root) throw new UsageError('no log given and nnUNet_results is not set: pass a log file, - for standard input, or --results DIR');
  return newestUnder(root);
}

async function newestUnder(root: string): Promise<LocatedLog> {
  const { findNewestTrainingLog } = await import('../logs/results.js');
  const found = await findNewestTrainingLog(root);
  if (!found) throw new UsageError(`no training_log_*.txt under ${root}; pass the log file itself, or - to read a capture from standard input`);
  return { kind: 'file', chosenBy: 'newest-training-log', path: found.path };
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
