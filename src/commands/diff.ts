import { Command } from 'commander';
import { comparisonOptions, loadForComparison, type ComparisonFlags } from './merge.js';
import { writeOutput } from './output-file.js';

export function registerDiff(program: Command): void {
  comparisonOptions(
    program
      .command('diff')
      .description('what differs between two --json reports ("works on A, fails on B")')
      .argument('<a>', 'the report of the machine that works')
      .argument('<b>', 'the report of the machine that does not'),
  )
    .addHelpText('after', '\nExit codes: 0 nothing that matters differs · 1 summary fields or check verdicts differ · 2 a file is not a report')
    .action((a: string, b: string, flags: ComparisonFlags) => runDiff(a, b, flags));
}

async function runDiff(a: string, b: string, flags: ComparisonFlags): Promise<void> {
  const { nodes, render } = await loadForComparison([a, b], flags);
  const { diffComparison, diffReports } = await import('../report/diff.js');
  const diff = diffReports(nodes[0]!, nodes[1]!);
  await writeOutput(render(diff, diffComparison(diff)), flags.output);
  // Like `diff(1)`: 0 when nothing that matters differs, 1 when something does.
  process.exitCode = diff.fields.length + diff.checks.length > 0 ? 1 : 0;
}

