import type { ChalkInstance } from 'chalk';
import { fixFor, type Finding, type FixPlatform } from '../core/finding.js';
import { STATUS_STYLE } from './status-style.js';

export interface FindingTextOptions {
  verbose: boolean;
  fixPlatform: FixPlatform;
}

export function statusIcon(c: ChalkInstance, status: Finding['status']): string {
  const style = STATUS_STYLE[status];
  return c[style.color](c.level > 0 ? style.icon : style.ascii);
}

/** A finding as indented text lines: icon and summary, then why/fix for problems (everything with -v). */
export function findingLines(c: ChalkInstance, finding: Finding, options: FindingTextOptions, indent = '  '): string[] {
  const out = [`${indent}${statusIcon(c, finding.status)} ${finding.summary}`];
  const body = `${indent}    `;
  const serious = finding.status === 'fail' || finding.status === 'warn' || finding.status === 'error' || finding.status === 'timeout';
  const label = (name: string, text: string) => text.split('\n').map((line, i) => `${body}${i === 0 ? name : '    '}${line}`);
  if (finding.details && (serious || options.verbose)) out.push(...label(c.dim('why '), finding.details));
  if (finding.fix && (serious || options.verbose)) out.push(...label(c.cyan('fix '), fixFor(finding.fix, options.fixPlatform)));
  if (options.verbose && finding.ref) out.push(`${body}${c.dim(`ref ${finding.ref}`)}`);
  const excerpt = finding.evidence?.excerpt;
  if (options.verbose && Array.isArray(excerpt)) out.push(...excerpt.map((line) => `${body}${c.dim(`│ ${String(line)}`)}`));
  return out;
}
