#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerCheck } from './commands/check.js';
import { registerDataset } from './commands/dataset.js';
import { registerDiff } from './commands/diff.js';
import { registerExplain } from './commands/explain.js';
import { registerMerge } from './commands/merge.js';
import { registerNan } from './commands/nan.js';
import { registerReport } from './commands/report.js';
import { registerSanity } from './commands/sanity.js';
import { UsageError } from './commands/doctor-run.js';
import { EXIT } from './core/exit-code.js';
import { TOOL_VERSION } from './core/version.js';

const program = new Command('nnunet-doctor')
  .description('Checks a machine, its nnU-Net v2 datasets and its training logs, and says what to fix.')
  .version(TOOL_VERSION, '--version')
  .showHelpAfterError()
  .exitOverride();

registerCheck(program);
registerDataset(program);
registerReport(program);
registerBench(program);
registerMerge(program);
registerDiff(program);
registerExplain(program);
registerNan(program);
registerSanity(program);

try {
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
