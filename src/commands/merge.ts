import { Command, Option } from 'commander';
import { UsageError } from './usage-error.js';
import { writeOutput } from './output-file.js';

export const COMPARISON_FORMATS = ['md', 'html', 'json'] as const;
export type ComparisonFormat = (typeof COMPARISON_FORMATS)[number];

export interface ComparisonFlags {
  format: ComparisonFormat;
  output?: string;
  redact: boolean;
}

/** The options `merge` and `diff` share. */
export function comparisonOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(COMPARISON_FORMATS).default('md'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--no-redact', 'keep user names, host names, paths and addresses found in the reports');
}

export function registerMerge(program: Command): void {
  comparisonOptions(
    program
      .command('merge')
      .description('aggregate --json reports from many machines into one table of what differs between them')
      .argument('<reports...>', 'JSON reports, e.g. node-*.json from `srun nnunet-doctor --json`'),
  )
    .addHelpText(
      'after',
      `
On a SLURM cluster, one report per node (the redirect must run on the node, not in your shell), then one table:
  $ srun --ntasks-per-node=1 bash -c 'nnunet-doctor --json > node-$SLURM_NODEID.json'
  $ nnunet-doctor merge node-*.json --format html -o cluster.html

Exit codes: 0 no node has failing checks · 1 some node does · 2 a file is not a report`,
    )
    .action((files: string[], flags: ComparisonFlags) => runMerge(files, flags));
}

async function runMerge(files: string[], flags: ComparisonFlags): Promise<void> {
  if (files.length < 2) throw new UsageError('merge needs at least two reports');
  const { nodes, render } = await loadForComparison(files, flags);
  const { mergeComparison, mergeReports } = await import('../report/merge.js');
  const merged = mergeReports(nodes);
  await writeOutput(render(merged, mergeComparison(merged, nodes)), flags.output);
  process.exitCode = merged.nodes.some((n) => n.exitCode !== 0) ? 1 : 0;
}

/** Loads and redacts the reports, and picks the renderer for --format. */
export async function loadForComparison(files: string[], flags: ComparisonFlags) {
  const { loadNodeReports } = await import('../report/compare.js');
  const { comparisonHtml, comparisonMarkdown } = await import('../report/comparison-doc.js');
  const { currentIdentity } = await import('../report/identity.js');
  const { redactReport } = await import('../report/render.js');
  const identity = currentIdentity(process.env);
  const nodes = await loadNodeReports(files, (doc) => redactReport(doc, identity, { redact: flags.redact, redactCases: false })).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  const render = (json: object, doc: import('../report/comparison-doc.js').ComparisonDoc): string =>
    flags.format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : flags.format === 'html' ? comparisonHtml(doc) : comparisonMarkdown(doc);
  return { nodes, render };
}
