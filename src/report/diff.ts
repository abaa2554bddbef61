import type { Status } from '../core/finding.js';
import { TOOL_VERSION } from '../core/version.js';
import { checksThatDiffer, groupFields, type NodeReport } from './compare.js';
import type { ComparisonDoc } from './comparison-doc.js';
import { walkBreadthFirst, isScalar } from './fact-search.js';

export const DIFF_SCHEMA = 'nnunet-doctor/diff@1';

export interface DiffDocument {
  schema: typeof DIFF_SCHEMA;
  tool: { name: 'nnunet-doctor'; version: string };
  createdAt: string;
  a: string;
  b: string;
  fields: { label: string; a?: string; b?: string }[];
  checks: { id: string; a?: Status; b?: Status; summary: string }[];
  /** Other fact values that differ, by dotted path (measurements that always vary are left out). */
  facts: { path: string; a?: string; b?: string }[];
}

const MAX_FACT_DIFFERENCES = 200;
// Readings that differ on every run and say nothing about why one machine works and the other not.
const NOISY = /(duration|elapsed|Ms$|^ms$|free|used|avail|utili[sz]ation|temperature|temp|power|clock|load|uptime|pid|createdAt|modifiedAt|timestamp|time$)/i;

/** "Works on A, fails on B": the summary fields, check verdicts and facts that differ between two reports. */
export function diffReports(a: NodeReport, b: NodeReport, now = new Date()): DiffDocument {
  return {
    schema: DIFF_SCHEMA,
    tool: { name: 'nnunet-doctor', version: TOOL_VERSION },
    createdAt: now.toISOString(),
    a: a.label,
    b: b.label,
    fields: groupFields([a, b])
      .filter((g) => g.values.length > 1)
      .map((g) => ({ label: g.label, a: a.summary[g.field], b: b.summary[g.field] })),
    checks: checksThatDiffer([a, b])
      .filter((c) => c.statuses[a.label] !== c.statuses[b.label])
      .map((c) => ({ id: c.id, a: c.statuses[a.label], b: c.statuses[b.label], summary: c.worstSummary })),
    facts: factDifferences(a.doc.facts, b.doc.facts),
  };
}

function factDifferences(a: object, b: object): DiffDocument['facts'] {
  const left = leaves(a);
  const right = leaves(b);
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort();
  return paths
    .filter((p) => left.get(p) !== right.get(p) && !p.split('.').some((part) => NOISY.test(part)))
    .slice(0, MAX_FACT_DIFFERENCES)
    .map((p) => ({ path: p, a: left.get(p), b: right.get(p) }));
}

function leaves(root: object): Map<string, string> {
  const out = new Map<string, string>();
  for (const hit of walkBreadthFirst(root, 12)) if (isScalar(hit.value) && hit.path.length > 0) out.set(hit.path.join('.'), String(hit.value));
  return out;
}

export function diffComparison(diff: DiffDocument): ComparisonDoc {
  const dash = (v: string | undefined) => v ?? '—';
  return {
    title: `nnunet-doctor diff: ${diff.a} vs ${diff.b}`,
    intro: `${diff.fields.length} summary fields, ${diff.checks.length} check verdicts and ${diff.facts.length} other facts differ.`,
    sections: [
      { title: 'Summary fields', empty: 'The summary fields are the same.', table: { columns: ['Field', diff.a, diff.b], rows: diff.fields.map((f) => [f.label, dash(f.a), dash(f.b)]) } },
      { title: 'Check verdicts', empty: 'Every check has the same verdict.', table: { columns: ['Check', diff.a, diff.b, 'Finding'], rows: diff.checks.map((c) => [c.id, dash(c.a), dash(c.b), c.summary]) } },
      { title: 'Other facts', empty: 'No other fact differs.', table: { columns: ['Fact', diff.a, diff.b], rows: diff.facts.map((f) => [f.path, dash(f.a), dash(f.b)]) } },
    ],
  };
}
