import type { Status } from '../core/finding.js';
import { countsText } from '../ui/summary-line.js';
import type { ChartSlot } from './charts.js';
import { escapeHtml as esc } from './markdown.js';
import { barChartSvg, lineChartSvg } from './svg.js';
import { TICKET_TEXT, type Attachment, type Row, type Table, type Ticket } from './ticket.js';

// Nothing may load from anywhere: the report is opened from disk, mailed or attached to a ticket.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f8fa;color:#1f2328}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#59636e}.note{background:#fff8c5;border:1px solid #d4a72c66;padding:6px 10px;border-radius:6px}
table{border-collapse:collapse;background:#fff;width:100%}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f4}ul.attention{list-style:none;padding:0}ul.attention li{background:#fff;border:1px solid #d0d7de;border-left-width:5px;border-radius:6px;margin:6px 0;padding:8px 12px}
.s-fail,.s-error{border-left-color:#cf222e!important}.s-warn,.s-timeout{border-left-color:#d29922!important}
.badge{font-weight:600;text-transform:uppercase;font-size:12px;margin-right:6px}.fix{font-family:ui-monospace,monospace;background:#f6f8fa;padding:2px 4px}
pre{background:#fff;border:1px solid #d0d7de;padding:8px;overflow:auto;max-height:480px;font-size:12px}
details{margin:6px 0}summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}
.charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px}
figcaption{color:#59636e;font-size:12px;max-width:440px}.placeholder{width:416px;height:80px;display:flex;align-items:center;justify-content:center;color:#59636e;border:2px dashed #d0d7de;border-radius:6px;padding:0 12px}
svg .title{font-weight:600;font-size:13px}svg .tick{font-size:11px;fill:#59636e}svg .grid{stroke:#eaeef2}svg .axis{stroke:#59636e}svg .nan{fill:#cf222e}
.fill{font-family:ui-monospace,monospace;background:#fff;border:1px dashed #8c959f;padding:8px;color:#59636e}
`;

/** The ticket as one self-contained HTML file: inline CSS and SVG, no script, no external resource. */
export function renderHtml(ticket: Ticket): string {
  const body = [
    `<h1>${esc(ticket.heading)}</h1>`,
    `<p class="meta">${esc(countsText(ticket.counts))} · ${ticket.meta.map(([k, v]) => `${esc(k)}: ${esc(v)}`).join(' · ')}</p>`,
    `<p class="note">${esc(ticket.redactionNote)}</p>`,
    section('What needs attention', attention(ticket), 'attention'),
    section(
      'What I ran and what I expected',
      [TICKET_TEXT.fillCommand, TICKET_TEXT.fillOutcome].map((q) => `<p>${esc(q)}</p><div class="fill">${esc(TICKET_TEXT.fillIn)}</div>`).join(''),
      'fill-in',
    ),
    section('Environment', rowsTable(ticket.environment), 'environment'),
    section('nnU-Net variables', htmlTable({ columns: ['Variable', 'Value'], rows: ticket.nnunetEnv }), 'nnunet-env'),
    section('Packages', ticket.packages.length > 0 ? details(`Package versions (${ticket.packages.length})`, htmlTable({ columns: ['Package', 'Version'], rows: ticket.packages })) : `<p><em>${esc(TICKET_TEXT.noPackages)}</em></p>`, 'packages'),
    section('GPUs', ticket.gpus ? htmlTable(ticket.gpus) : `<p><em>${esc(TICKET_TEXT.noGpu)}</em></p>`, 'gpus'),
    section('Dataset', ticket.dataset.length > 0 ? rowsTable(ticket.dataset) : `<p><em>${withCode(TICKET_TEXT.noDataset)}</em></p>`, 'dataset'),
    section('Charts', `<div class="charts">${[chart(ticket.charts.bench, barChartSvg), chart(ticket.charts.loss, lineChartSvg), chart(ticket.charts.epochTimes, lineChartSvg)].join('')}</div>`, 'charts'),
    ticket.attachments.length > 0 ? section('Logs, debug.json and plans', ticket.attachments.map(attachment).join(''), 'attachments') : '',
    section('All checks', details(`${ticket.checks.rows.length} checks`, htmlTable(ticket.checks)), 'checks'),
    section('Facts', details(`Raw facts (${ticket.facts.length})`, ticket.facts.map(attachment).join('')), 'facts'),
  ].join('\n');
  return htmlPage(ticket.heading, body);
}

/** A complete page: inline CSS, a CSP that forbids every fetch, no script. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body></html>
`;
}

function section(title: string, body: string, id: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;
}

function attention(ticket: Ticket): string {
  if (ticket.attention.length === 0) return `<p>${TICKET_TEXT.noAttention}</p>`;
  const items = ticket.attention.map(
    (a) =>
      `<li class="s-${a.status}"><span class="badge">${esc(label(a.status))}</span><code>${esc(a.id)}</code> ${esc(a.summary)}` +
      (a.details ? `<div>Why: ${esc(a.details)}</div>` : '') +
      (a.fix ? `<div>Fix: <span class="fix">${esc(a.fix)}</span></div>` : '') +
      '</li>',
  );
  return `<ul class="attention">${items.join('')}</ul>`;
}

function label(status: Status): string {
  return status === 'fail' ? 'failed' : status;
}

function chart<T extends { source: string }>(slot: ChartSlot<T>, render: (chart: T) => string): string {
  if (!slot.ok) return `<figure class="not-run"><div class="placeholder"><span>${withCode(slot.placeholder)}</span></div></figure>`;
  return `<figure class="chart">${render(slot.chart)}<figcaption>${esc(slot.chart.source)}</figcaption></figure>`;
}

/** `nnunet-doctor bench` in a message becomes code, as it would in Markdown. */
function withCode(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function rowsTable(rows: Row[]): string {
  return rows.length === 0 ? '<p><em>none</em></p>' : `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

export function htmlTable(t: Table | { columns: string[]; rows: Row[] }): string {
  if (t.rows.length === 0) return '<p><em>none</em></p>';
  const head = `<tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  return `<table>${head}${(t.rows as string[][]).map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

function details(summary: string, body: string): string {
  return `<details><summary>${esc(summary)}</summary>${body}</details>`;
}

function attachment(a: Attachment): string {
  return details(a.title, `<pre><code class="language-${a.language}">${esc(a.body)}</code></pre>`);
}
