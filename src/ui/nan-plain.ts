import type { ChalkInstance } from 'chalk';
import type { FixPlatform } from '../core/finding.js';
import type { NanFlowResult, StepRecord } from '../nan/flow.js';
import { fmtMs } from '../util/format.js';
import { findingLines, statusIcon } from './finding-lines.js';

export interface NanTextOptions {
  verbose: boolean;
  fixPlatform: FixPlatform;
}

/** One finished step: its verdict line, then (for problems, or always with -v) the findings behind it. */
export function stepLines(c: ChalkInstance, record: StepRecord, index: number, total: number, options: NanTextOptions): string[] {
  const head = `${statusIcon(c, record.status)} ${c.dim(`${index + 1}/${total}`)} ${c.bold(record.title)}: ${record.summary}${options.verbose ? c.dim(` (${fmtMs(record.durationMs)})`) : ''}`;
  const serious = record.status === 'fail' || record.status === 'warn' || record.status === 'error';
  const findings = options.verbose || serious ? record.findings.flatMap((f) => findingLines(c, f, options, '      ')) : [];
  return [head, ...findings];
}

/** The verdict: likely causes ranked by their evidence, and the one command to run next. */
export function conclusionLines(c: ChalkInstance, result: NanFlowResult): string[] {
  const lines = ['', c.bold('Likely causes, most likely first')];
  if (result.causes.length === 0) lines.push('  none of the checked causes has evidence here');
  result.causes.forEach((cause, i) => {
    lines.push(`  ${i + 1}. ${c.bold(cause.title)} ${c.dim(`(score ${cause.score})`)}`);
    for (const e of cause.evidence) lines.push(`     ${c.dim('•')} ${e}`);
    lines.push(`     ${c.cyan('fix')} ${cause.fix}`);
  });
  lines.push('', `${c.bold('Next:')} ${result.next}`);
  return lines;
}
