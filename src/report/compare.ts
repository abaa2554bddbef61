import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Status } from '../core/finding.js';
import type { ReportDocument } from './document.js';
import { NODE_FIELD_LABELS, summarizeNode, type NodeField, type NodeSummary } from './node-summary.js';

/** One machine's report as `merge` and `diff` see it. */
export interface NodeReport {
  label: string;
  doc: ReportDocument;
  summary: NodeSummary;
}

/** Reads a `--json` or `report --format json` document; anything else is a clear error for the caller. */
export async function readReport(file: string): Promise<ReportDocument> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const doc = parsed as Partial<ReportDocument> | null;
  if (!doc || typeof doc.schema !== 'string' || !doc.schema.startsWith('nnunet-doctor/report@') || !Array.isArray(doc.results)) {
    throw new Error(`${file} is not an nnunet-doctor report (make it with \`nnunet-doctor --json > ${path.basename(file)}\`)`);
  }
  return doc as ReportDocument;
}

/** `node-3.json` -> `node-3`; when two files share a name, their paths tell them apart. */
export function nodeLabels(files: readonly string[]): string[] {
  const base = files.map((f) => path.basename(f).replace(/\.json$/i, ''));
  return base.map((b, i) => (base.filter((x) => x === b).length > 1 ? files[i]! : b));
}

export function toNodeReport(label: string, doc: ReportDocument): NodeReport {
  return { label, doc, summary: summarizeNode(doc) };
}

export interface FieldGroup {
  field: NodeField;
  label: string;
  /** Each distinct value with the nodes that have it; `undefined` is "not reported". */
  values: { value: string | undefined; nodes: string[] }[];
}

/** Groups every summary field by value across nodes; a field differs when it has more than one group. */
export function groupFields(nodes: readonly NodeReport[]): FieldGroup[] {
  return (Object.keys(NODE_FIELD_LABELS) as NodeField[]).map((field) => {
    const groups = new Map<string | undefined, string[]>();
    for (const n of nodes) {
      const v = n.summary[field];
      groups.set(v, [...(groups.get(v) ?? []), n.label]);
    }
    const values = [...groups].map(([value, labels]) => ({ value, nodes: labels })).sort((a, b) => b.nodes.length - a.nodes.length);
    return { field, label: NODE_FIELD_LABELS[field], values };
  });
}

export interface CheckAcrossNodes {
  id: string;
  title: string;
  /** Status of the check on each node (missing when it did not run there). */
  statuses: Record<string, Status | undefined>;
  /** The summary on the nodes where it is at its worst. */
  worstSummary: string;
}

const RANK: Record<Status, number> = { pass: 0, info: 0, skip: 1, warn: 2, timeout: 3, error: 3, fail: 4 };

/** Checks whose status is not the same everywhere, or is bad somewhere, worst first. */
export function checksThatDiffer(nodes: readonly NodeReport[]): CheckAcrossNodes[] {
  const byId = new Map<string, CheckAcrossNodes>();
  for (const n of nodes) {
    for (const r of n.doc.results) {
      const entry = byId.get(r.id) ?? { id: r.id, title: r.title, statuses: {}, worstSummary: '' };
      entry.statuses[n.label] = r.status;
      const worst = Math.max(...Object.values(entry.statuses).map((s) => (s ? RANK[s] : 0)));
      if (RANK[r.status] >= worst) entry.worstSummary = r.findings.map((f) => f.summary).join('; ');
      byId.set(r.id, entry);
    }
  }
  const rank = (c: CheckAcrossNodes) => Math.max(...nodes.map((n) => (c.statuses[n.label] ? RANK[c.statuses[n.label]!] : 1)));
  return [...byId.values()]
    .filter((c) => new Set(nodes.map((n) => c.statuses[n.label])).size > 1 || rank(c) >= 2)
    .sort((a, b) => rank(b) - rank(a) || a.id.localeCompare(b.id));
}

/** Reads, redacts and summarizes reports from other machines, labelled by file name. */
export async function loadNodeReports(files: readonly string[], redact: (doc: ReportDocument) => ReportDocument): Promise<NodeReport[]> {
  const labels = nodeLabels(files);
  const docs = await Promise.all(files.map(readReport));
  return docs.map((doc, i) => toNodeReport(labels[i]!, redact(doc)));
}
