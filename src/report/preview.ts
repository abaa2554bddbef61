import { createInterface } from 'node:readline/promises';
import { fmtBytes, plural } from '../util/format.js';
import { countsText } from '../ui/summary-line.js';
import type { ReportDocument } from './document.js';
import type { ReportFormat } from './render.js';
import type { Ticket } from './ticket.js';

const FORMAT_NAMES: Record<ReportFormat, string> = { md: 'Markdown', json: 'JSON', html: 'HTML' };

/** What the person at the terminal sees before anything is written: contents and how much was redacted. */
export function previewText(doc: ReportDocument, ticket: Ticket, format: ReportFormat, target: string, sizeBytes: number): string {
  const lines = [`The ${FORMAT_NAMES[format]} report (${fmtBytes(sizeBytes)}) for ${target} includes:`];
  lines.push(`  • summary: ${countsText(doc.summary.counts)}; ${plural(ticket.attention.length, 'failure or warning', 'failures and warnings')} with fixes first`);
  lines.push(
    `  • environment (${plural(ticket.environment.length, 'row')}), ${plural(ticket.nnunetEnv.length, 'nnU-Net variable')}, ${plural(ticket.packages.length, 'package')}, ${plural(ticket.gpus?.rows.length ?? 0, 'GPU')}`,
  );
  if (ticket.dataset.length > 0) lines.push(`  • dataset summary (${plural(ticket.dataset.length, 'row')})`);
  for (const a of ticket.attachments) lines.push(`  • ${a.title} (${plural(a.body.split('\n').length, 'line')})`);
  const charts = Object.entries(ticket.charts).filter(([, slot]) => slot.ok).map(([name]) => name);
  if (charts.length > 0 && format === 'html') lines.push(`  • charts: ${charts.join(', ')}`);
  lines.push(`  • ${plural(doc.results.length, 'check')} and ${plural(Object.keys(doc.facts).length, 'raw fact')}`);
  lines.push(redactionLine(doc));
  return `${lines.join('\n')}\n`;
}

function redactionLine(doc: ReportDocument): string {
  const r = doc.redaction;
  if (!r) return 'Not redacted.';
  const entries = Object.entries(r.counts).filter(([, n]) => (n ?? 0) > 0);
  const total = entries.reduce((sum, [, n]) => sum + (n ?? 0), 0);
  const detail = entries.length > 0 ? `${entries.map(([k, n]) => `${n} ${k}`).join(', ')} (${total} in all)` : 'nothing found to remove';
  const mode = r.enabled ? 'Redacted' : 'Redaction OFF (--no-redact): user, host, paths and addresses are included; secrets still removed';
  return `${mode}: ${detail}${r.redactCases ? '; case and dataset names hashed' : '; case names kept (use --redact-cases to hash them)'}`;
}

/** Asks on the terminal; anything but y/yes is a no. Only called when stdin and stderr are TTYs. */
export async function confirm(question: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<boolean> {
  const rl = createInterface({ input, output });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
