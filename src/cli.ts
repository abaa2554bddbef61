#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check.js';
import { UsageError } from './commands/doctor-run.js';
import { EXIT } from './core/exit-code.js';
import { TOOL_VERSION } from './core/version.js';

const program = new Command('nnunet-doctor')
  .description('Checks a machine, its nnU-Net v2 datasets and its training logs, and says what to fix.')
  .version(TOOL_VERSION, '--version')
  .showHelpAfterError()
  .exitOverride();

registerCheck(program);

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
