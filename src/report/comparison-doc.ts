import { escapeHtml as esc, markdownTable } from './markdown.js';
import { htmlPage, htmlTable } from './html.js';
import type { Table } from './ticket.js';

/** What `merge` and `diff` print: a title, a line of context, and titled tables. */
export interface ComparisonDoc {
  title: string;
  intro: string;
  sections: { title: string; empty: string; table: Table }[];
}

export function comparisonMarkdown(doc: ComparisonDoc): string {
  const out = [`## ${doc.title}`, '', esc(doc.intro), ''];
  for (const s of doc.sections) out.push(`### ${s.title}`, '', s.table.rows.length > 0 ? markdownTable(s.table) : `_${s.empty}_`, '');
  return `${out.join('\n').trimEnd()}\n`;
}

export function comparisonHtml(doc: ComparisonDoc): string {
  const body = [
    `<h1>${esc(doc.title)}</h1>`,
    `<p class="meta">${esc(doc.intro)}</p>`,
    ...doc.sections.map((s) => `<section><h2>${esc(s.title)}</h2>${s.table.rows.length > 0 ? htmlTable(s.table) : `<p><em>${esc(s.empty)}</em></p>`}</section>`),
  ].join('\n');
  return htmlPage(doc.title, body);
}
