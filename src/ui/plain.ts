import { Chalk, type ChalkInstance } from 'chalk';
import { fixFor, type Finding, type FixPlatform } from '../core/finding.js';
import type { ReportDocument } from '../report/document.js';
import { fmtMs } from '../util/format.js';
import { STATUS_STYLE } from './status-style.js';
import { countsText, exitText } from './summary-line.js';

export interface PlainOptions {
  verbose: boolean;
  colorLevel: 0 | 1 | 2 | 3;
  fixPlatform: FixPlatform;
}

/** The whole report as text for CI logs and pipes: same content as the Ink UI, no cursor movement. */
export function renderPlain(doc: ReportDocument, options: PlainOptions): string {
  const c = new Chalk({ level: options.colorLevel });
  const lines: string[] = [c.bold(`nnunet-doctor ${doc.tool.version}`) + c.dim(` · ${doc.platform.os} ${doc.platform.arch} · node ${doc.platform.node}`)];
  let category = '';
  for (const result of doc.results) {
    if (result.category !== category) {
      category = result.category;
      lines.push('', c.bold(titleCase(category)));
    }
    const timing = options.verbose ? c.dim(` (${fmtMs(result.durationMs)})`) : '';
    const single = result.findings.length === 1 ? result.findings[0]! : undefined;
    lines.push(`  ${icon(c, result.status)} ${result.title}${c.dim(` [${result.id}]`)}${single ? `: ${single.summary}` : ''}${timing}`);
    const findings = single ? [single] : result.findings;
    for (const finding of findings) {
      if (!single) lines.push(`    ${icon(c, finding.status)} ${finding.summary}`);
      lines.push(...findingBody(c, finding, options, single ? '      ' : '        '));
    }
  }
  const s = doc.summary;
  lines.push('', `${c.bold('Summary')} ${countsText(s.counts)} — ${exitText(s.exitCode, s.failOn)} in ${fmtMs(s.durationMs)}`);
  return `${lines.join('\n')}\n`;
}

function findingBody(c: ChalkInstance, finding: Finding, options: PlainOptions, indent: string): string[] {
  const out: string[] = [];
  const serious = finding.status !== 'pass' && finding.status !== 'info' && finding.status !== 'skip';
  if (finding.details && (options.verbose || serious)) out.push(...wrapLabel(c.dim('why '), finding.details, indent));
  if (finding.fix && (options.verbose || serious)) out.push(...wrapLabel(c.cyan('fix '), fixFor(finding.fix, options.fixPlatform), indent));
  if (options.verbose && finding.ref) out.push(`${indent}${c.dim(`ref ${finding.ref}`)}`);
  if (options.verbose && finding.evidence) out.push(`${indent}${c.dim(`evidence ${JSON.stringify(finding.evidence)}`)}`);
  return out;
}

function wrapLabel(label: string, text: string, indent: string): string[] {
  return text.split('\n').map((line, i) => `${indent}${i === 0 ? label : '    '}${line}`);
}

function icon(c: ChalkInstance, status: Finding['status']): string {
  const style = STATUS_STYLE[status];
  return c[style.color](c.level > 0 ? style.icon : style.ascii);
}

export function titleCase(word: string): string {
  const special: Record<string, string> = { gpu: 'GPU', env: 'Environment', nnunet: 'nnU-Net', torch: 'PyTorch' };
  return special[word] ?? word.charAt(0).toUpperCase() + word.slice(1);
}
