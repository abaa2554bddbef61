import { TOOL_VERSION } from '../core/version.js';
import { countsText } from '../ui/summary-line.js';
import { checksThatDiffer, groupFields, type CheckAcrossNodes, type FieldGroup, type NodeReport } from './compare.js';
import type { ComparisonDoc } from './comparison-doc.js';
import type { NodeSummary } from './node-summary.js';

export const MERGE_SCHEMA = 'nnunet-doctor/merge@1';

export interface MergeDocument {
  schema: typeof MERGE_SCHEMA;
  tool: { name: 'nnunet-doctor'; version: string };
  createdAt: string;
  nodes: { label: string; exitCode: number; summary: NodeSummary }[];
  /** Fields with more than one value across nodes. */
  differences: FieldGroup[];
  /** Fields that are the same on every node. */
  common: { field: string; label: string; value: string | undefined }[];
  checks: CheckAcrossNodes[];
}

/** Many machines' reports as one: what differs between them and which nodes fail what. */
export function mergeReports(nodes: readonly NodeReport[], now = new Date()): MergeDocument {
  const groups = groupFields(nodes);
  return {
    schema: MERGE_SCHEMA,
    tool: { name: 'nnunet-doctor', version: TOOL_VERSION },
    createdAt: now.toISOString(),
    nodes: nodes.map((n) => ({ label: n.label, exitCode: n.doc.summary.exitCode, summary: n.summary })),
    differences: groups.filter((g) => g.values.length > 1),
    common: groups.filter((g) => g.values.length === 1).map((g) => ({ field: g.field, label: g.label, value: g.values[0]!.value })),
    checks: checksThatDiffer(nodes),
  };
}

export function mergeComparison(merge: MergeDocument, nodes: readonly NodeReport[]): ComparisonDoc {
  const failing = merge.nodes.filter((n) => n.exitCode !== 0).length;
  return {
    title: `nnunet-doctor merge: ${merge.nodes.length} nodes`,
    intro: `${merge.differences.length} of ${merge.differences.length + merge.common.length} fields differ; ${failing} of ${merge.nodes.length} nodes have failing checks.`,
    sections: [
      {
        title: 'What differs between nodes',
        empty: 'Every node reports the same values.',
        table: { columns: ['Field', 'Value', 'Nodes'], rows: merge.differences.flatMap((g) => g.values.map((v, i) => [i === 0 ? g.label : '', v.value ?? '(not reported)', nodeList(v.nodes)])) },
      },
      {
        title: 'Checks that fail or differ',
        empty: 'No check fails or differs on any node.',
        table: {
          columns: ['Check', 'Failing', 'Warning or error', 'Passing', 'Worst finding'],
          rows: merge.checks.map((c) => [c.id, nodesWith(c, nodes, ['fail']), nodesWith(c, nodes, ['warn', 'error', 'timeout']), nodesWith(c, nodes, ['pass', 'info']), c.worstSummary]),
        },
      },
      { title: 'Same on every node', empty: 'Nothing is the same on every node.', table: { columns: ['Field', 'Value'], rows: merge.common.filter((c) => c.value !== undefined).map((c) => [c.label, c.value!]) } },
      { title: 'Nodes', empty: 'No reports.', table: { columns: ['Node', 'Exit code', 'Checks'], rows: nodes.map((n) => [n.label, String(n.doc.summary.exitCode), countsText(n.doc.summary.counts)]) } },
    ],
  };
}

function nodesWith(check: CheckAcrossNodes, nodes: readonly NodeReport[], statuses: string[]): string {
  return nodeList(nodes.filter((n) => statuses.includes(check.statuses[n.label] ?? '')).map((n) => n.label));
}

/** Long node lists stay one readable cell: the first few names and a count. */
function nodeList(labels: readonly string[]): string {
  if (labels.length <= 8) return labels.join(', ');
  return `${labels.slice(0, 6).join(', ')} and ${labels.length - 6} more`;
}
