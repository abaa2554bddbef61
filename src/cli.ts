#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { UsageError } from './commands/usage-error.js';
import { EXIT } from './core/exit-code.js';
import { TOOL_VERSION } from './core/version.js';

const program = new Command('nnunet-doctor')
  .description('Checks a machine, its nnU-Net v2 datasets and its training logs, and says what to fix.')
  .version(TOOL_VERSION, '--version')
  .showHelpAfterError()
  .exitOverride();

type Register = (program: Command) => void;

/**
 * Each command's module loads only when that command runs (all of them for the top-level help), so
 * `nnunet-doctor --json` does not pay for the ONNX engine, the report renderers or the log tables.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  check: () => import('./commands/check.js').then((m) => m.registerCheck),
  dataset: () => import('./commands/dataset.js').then((m) => m.registerDataset),
  report: () => import('./commands/report.js').then((m) => m.registerReport),
  bench: () => import('./commands/bench.js').then((m) => m.registerBench),
  sanity: () => import('./commands/sanity.js').then((m) => m.registerSanity),
  explain: () => import('./commands/explain.js').then((m) => m.registerExplain),
  nan: () => import('./commands/nan.js').then((m) => m.registerNan),
  merge: () => import('./commands/merge.js').then((m) => m.registerMerge),
  diff: () => import('./commands/diff.js').then((m) => m.registerDiff),
};

/** The command argv names: its first word, or `help <command>`; anything else is the default check. */
function commandsToLoad(argv: readonly string[]): string[] {
  const [first, second] = argv;
  if (first === 'help') return second && second in COMMANDS ? [second] : Object.keys(COMMANDS);
  if (first && first in COMMANDS) return [first];
  if (first && !first.startsWith('-')) throw new UsageError(`unknown command "${first}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
  if (argv.includes('-h') || argv.includes('--help')) return Object.keys(COMMANDS);
  return ['check'];
}

// `nnunet-doctor ... | head` closes the pipe early; that is the reader's choice, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  for (const name of commandsToLoad(process.argv.slice(2))) (await COMMANDS[name]!())(program);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.doctorFailed;
  } else if (error instanceof UsageError) {
    process.stderr.write(`nnunet-doctor: ${error.message}\n`);
    process.exitCode = EXIT.doctorFailed;
  } else {
    process.stderr.write(`nnunet-doctor crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.doctorFailed;
  }
}

// A probe stuck in the kernel (a hung network mount) keeps the event loop alive after its deadline has
// passed; once the output is flushed nothing is left to wait for.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
process.exit();
