import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { redactReport, renderReport } from '../../src/report/render.js';
import { seededMachine } from './generated-env.js';

function markdownOf(seed: number): string {
  const m = seededMachine(seed);
  return renderReport(redactReport(m.doc, m.identity, { redact: true, redactCases: true }), 'md');
}

const ofType = <T extends Token>(tokens: Token[], type: string) => tokens.filter((t) => t.type === type) as T[];

describe('Markdown ticket', () => {
  const md = markdownOf(21);
  const tokens = marked.lexer(md);

  it('puts what needs attention first, then the <fill in> block, then the tables', () => {
    const headings = ofType<Tokens.Heading>(tokens, 'heading').map((h) => h.text);
    expect(headings.slice(0, 4)).toEqual(['nnunet-doctor report', 'What needs attention', 'What I ran and what I expected', 'Environment']);
    expect(headings).toEqual(expect.arrayContaining(['nnU-Net variables', 'Packages', 'GPUs', 'Dataset', 'Measurements', 'Logs, debug.json and plans', 'All checks', 'Facts']));
    const fences = ofType<Tokens.Code>(tokens, 'code');
    expect(fences.slice(0, 2).map((c) => c.text)).toEqual(['<fill in>', '<fill in>']);
    const attention = ofType<Tokens.List>(tokens, 'list')[0]!;
    expect(attention.items[0]!.text).toMatch(/fail.*env\.paths/);
    expect(attention.items[0]!.text).toContain('Fix: mkdir -p');
  });

  it('parses its tables with the right columns and rows', () => {
    const tables = ofType<Tokens.Table>(tokens, 'table');
    const env = tables.find((t) => t.rows.some((r) => r[0]!.text === 'PyTorch'))!;
    expect(env.header.map((h) => h.text)).toEqual(['Item', 'Value']);
    expect(env.rows.find((r) => r[0]!.text === 'PyTorch')![1]!.text).toBe('2.8.0+cu128');
    const gpus = tables.find((t) => t.header.some((h) => h.text === 'computeCapability'))!;
    expect(gpus.rows).toHaveLength(1);
    expect(gpus.header.map((h) => h.text)).not.toContain('uuid');
    // Table rows inside <details> are parsed too (the lexer sees the blank lines around them).
    const checks = tables.find((t) => t.header.map((h) => h.text).join() === 'Status,Check,Summary')!;
    expect(checks.rows.map((r) => r[0]!.text)).toEqual(['fail', 'pass', 'warn']);
  });

  it('keeps every <details> block balanced and summarised', () => {
    const html = ofType<Tokens.HTML>(tokens, 'html').map((t) => t.raw).join('');
    const opens = html.match(/<details>/g)?.length ?? 0;
    expect(opens).toBeGreaterThanOrEqual(6);
    expect(html.match(/<\/details>/g)?.length).toBe(opens);
    expect(html.match(/<summary>[^<]+<\/summary>/g)?.length).toBe(opens);
    const rendered = marked.parse(md) as string;
    expect(rendered).toContain('<details><summary>Package versions (4)</summary>');
    expect(rendered).toMatch(/<table>[\s\S]*<td>2\.8\.0\+cu128<\/td>/);
  });

  it('shows redaction markers as text, not as swallowed HTML tags', () => {
    const rendered = marked.parse(md) as string;
    expect(rendered).toContain('&lt;ip&gt;');
    expect(rendered).not.toMatch(/<ip>|<host>|<user>(?!\w)/);
  });

  it('keeps a log line with backticks inside its fence', () => {
    const m = seededMachine(4);
    const results = (m.doc.facts as Record<string, { results: { trainingLog: { tail: string[] } } }>).ticketSources.results;
    results.trainingLog.tail.push('```', 'RuntimeError: ``` broke the fence');
    const parsed = marked.lexer(renderReport(redactReport(m.doc, m.identity, { redact: true, redactCases: false }), 'md'));
    const log = ofType<Tokens.Code>(parsed, 'code').find((c) => c.text.includes('Epoch time'))!;
    expect(log.text).toContain('RuntimeError: ``` broke the fence');
  });
});

describe('Markdown size', () => {
  it('stays under GitHub’s 65,536-character issue limit by leaving raw facts out, and says so', () => {
    const m = seededMachine(9);
    const facts = m.doc.facts as Record<string, unknown>;
    for (let i = 0; i < 40; i += 1) facts[`bulky${i}`] = { ok: true, values: Array.from({ length: 300 }, (_, j) => `value ${i}-${j}`) };
    const md = renderReport(redactReport(m.doc, m.identity, { redact: true, redactCases: false }), 'md');
    expect(md.length).toBeLessThan(65_536);
    expect(md).toMatch(/_\d+ more facts left out to fit a GitHub issue: attach the `--format json` report for all of them._/);
    expect(md).toContain('<summary>fact: os</summary>');
  });
});
