import type { Status } from '../core/finding.js';
import { countsText } from '../ui/summary-line.js';
import type { ChartSlot, LineChart } from './charts.js';
import { TICKET_TEXT, type Attachment, type Row, type Table, type Ticket } from './ticket.js';

const ICON: Record<Status, string> = { pass: '✅', info: 'ℹ️', skip: '⏭️', warn: '⚠️', timeout: '⏱️', error: '💥', fail: '❌' };

/** The ticket as GitHub-flavoured Markdown, ready to paste into an nnU-Net issue. */
export function renderMarkdown(ticket: Ticket): string {
  const out: string[] = [];
  out.push(`## ${ticket.heading}`, '');
  out.push(`> ${countsText(ticket.counts)} · ${ticket.meta.map(([k, v]) => `${k}: ${inline(v)}`).join(' · ')}`, `> ${inline(ticket.redactionNote)}`, '');

  out.push('### What needs attention', '');
  if (ticket.attention.length === 0) out.push(TICKET_TEXT.noAttention, '');
  for (const item of ticket.attention) {
    out.push(`- ${ICON[item.status]} **${item.status}** \`${item.id}\` ${inline(item.summary)}`);
    if (item.details) out.push(`  - Why: ${inline(item.details)}`);
    if (item.fix) out.push(`  - Fix: ${inline(item.fix)}`);
  }
  if (ticket.attention.length > 0) out.push('');

  out.push('### What I ran and what I expected', '');
  out.push(TICKET_TEXT.fillCommand, '', fence('text', TICKET_TEXT.fillIn), '');
  out.push(TICKET_TEXT.fillOutcome, '', fence('text', TICKET_TEXT.fillIn), '');

  section(out, 'Environment', markdownTable({ columns: ['Item', 'Value'], rows: ticket.environment }));
  section(out, 'nnU-Net variables', markdownTable({ columns: ['Variable', 'Value'], rows: ticket.nnunetEnv }));
  section(out, 'Packages', ticket.packages.length > 0 ? details(`Package versions (${ticket.packages.length})`, markdownTable({ columns: ['Package', 'Version'], rows: ticket.packages })) : `_${TICKET_TEXT.noPackages}_`);
  section(out, 'GPUs', ticket.gpus ? markdownTable(ticket.gpus) : `_${TICKET_TEXT.noGpu}_`);
  section(out, 'Dataset', ticket.dataset.length > 0 ? markdownTable({ columns: ['Item', 'Value'], rows: ticket.dataset }) : `_${TICKET_TEXT.noDataset}_`);
  section(out, 'Measurements', [chartLine('Epoch times', ticket.charts.epochTimes), chartLine('Sanity loss', ticket.charts.loss), benchLine(ticket)].join('\n'));

  if (ticket.attachments.length > 0) section(out, 'Logs, debug.json and plans', ticket.attachments.map(attachment).join('\n\n'));
  section(out, 'All checks', details(`${ticket.checks.rows.length} checks`, markdownTable(ticket.checks)));
  section(out, 'Facts', details(`Raw facts (${ticket.facts.length})`, factsWithin(ticket.facts, ISSUE_BODY_BUDGET - out.join('\n').length)));
  return `${out.join('\n').trimEnd()}\n`;
}

// GitHub rejects issue bodies over 65,536 characters; the raw facts give way first.
const ISSUE_BODY_BUDGET = 60_000;

function factsWithin(facts: readonly Attachment[], budget: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const fact of facts) {
    const block = attachment(fact);
    if (used + block.length > budget) break;
    kept.push(block);
    used += block.length + 2;
  }
  const left = facts.length - kept.length;
  if (left > 0) kept.push(`_${left} more ${left === 1 ? 'fact' : 'facts'} left out to fit a GitHub issue: attach the \`--format json\` report for all of them._`);
  return kept.join('\n\n');
}

function section(out: string[], title: string, body: string): void {
  out.push(`### ${title}`, '', body, '');
}

export function markdownTable(t: Table | { columns: string[]; rows: Row[] }): string {
  const rows = t.rows as string[][];
  if (rows.length === 0) return '_none_';
  return [
    `| ${t.columns.map(cell).join(' | ')} |`,
    `| ${t.columns.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

function details(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

function attachment(a: Attachment): string {
  return details(a.title, fence(a.language, a.body));
}

/** A code fence longer than any backtick run inside, so a log line cannot close it. */
function fence(language: string, body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${body}\n${ticks}`;
}

function chartLine(title: string, slot: ChartSlot<LineChart>): string {
  if (!slot.ok) return `- ${title}: ${inline(slot.placeholder)}`;
  const v = slot.chart.values.filter(Number.isFinite);
  const sorted = [...v].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const fmt = (n: number | undefined) => (n === undefined ? '?' : Number(n.toPrecision(4)).toString());
  const nonFinite = slot.chart.values.length - v.length;
  return `- ${title} (${slot.chart.source}, ${slot.chart.values.length} values): first ${fmt(slot.chart.values[0])}, median ${fmt(median)}, last ${fmt(slot.chart.values.at(-1))} ${slot.chart.yLabel}${nonFinite > 0 ? `, ${nonFinite} non-finite` : ''}`;
}

function benchLine(ticket: Ticket): string {
  const slot = ticket.charts.bench;
  if (!slot.ok) return `- Benchmark: ${inline(slot.placeholder)}`;
  return `- Benchmark (${slot.chart.unit}, ${inline(slot.chart.source)}): ${slot.chart.bars.map((b) => `${b.highlight ? '**' : ''}${inline(b.label)} ${b.value}${b.highlight ? '**' : ''}`).join(', ')}`;
}

/** Table cells: one line, pipes escaped, and `<redacted>`-style markers kept visible (GitHub would eat them as tags). */
function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

function inline(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
