import type { ReportDocument } from './document.js';
import { isRecord, walkBreadthFirst } from './fact-search.js';
import { renderHtml } from './html.js';
import type { MachineIdentity } from './identity.js';
import { renderMarkdown } from './markdown.js';
import { Redactor } from './redact.js';
import { buildTicket } from './ticket.js';

export const REPORT_FORMATS = ['md', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RedactFlags {
  /** False with --no-redact. */
  redact: boolean;
  redactCases: boolean;
  caseSalt?: string;
}

/** The document as it may leave the machine: every string passed through one Redactor, its counts attached. */
export function redactReport(doc: ReportDocument, identity: MachineIdentity, flags: RedactFlags): ReportDocument {
  const redactor = new Redactor(identity, {
    identity: flags.redact,
    redactCases: flags.redactCases,
    caseSalt: flags.caseSalt,
    caseIds: flags.redactCases ? caseIdsIn(doc.facts) : [],
    datasetNames: flags.redactCases ? datasetNamesIn(doc.facts) : [],
  });
  const { redaction: _previous, ...rest } = doc;
  const redacted = redactor.value(rest);
  return { ...redacted, redaction: redactor.summary() };
}

export function renderReport(doc: ReportDocument, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  const ticket = buildTicket(doc);
  return format === 'md' ? renderMarkdown(ticket) : renderHtml(ticket);
}

const CASE_KEYS = /^(caseIds?|case_ids?|cases?|identifiers?|caseIdentifiers?)$/i;
const PER_CASE_KEYS = /^(cases|perCase|byCase|caseStats)$/i;

/** Case identifiers wherever a dataset fact lists them: the listing's `caseIds`, a scanner's `case` fields, per-case maps. */
export function caseIdsIn(facts: object): string[] {
  const ids = new Set<string>();
  for (const hit of walkBreadthFirst(facts, 10)) {
    const key = hit.path[hit.path.length - 1];
    const parent = hit.path[hit.path.length - 2];
    if (key === undefined) continue;
    const v = hit.value;
    if (CASE_KEYS.test(key) && typeof v === 'string') ids.add(v);
    if (/^\d+$/.test(key) && parent !== undefined && CASE_KEYS.test(parent) && typeof v === 'string') ids.add(v);
    // The dataset scanner's `cases: [{ id, images, label }]` (src/dataset/types.ts CaseScan).
    if (key === 'id' && hit.path[hit.path.length - 3] === 'cases' && typeof v === 'string') ids.add(v);
    if (PER_CASE_KEYS.test(key) && isRecord(v)) Object.keys(v).forEach((k) => ids.add(k));
  }
  return [...ids];
}

/** Dataset folder names (`Dataset042_Liver`) and the free-form `name` inside a quoted dataset.json. */
function datasetNamesIn(facts: object): string[] {
  const names = new Set<string>();
  for (const hit of walkBreadthFirst(facts, 10)) {
    const key = hit.path[hit.path.length - 1];
    if (!key || typeof hit.value !== 'string') continue;
    if (/^(datasetName|dataset_name|name)$/i.test(key) && /^Dataset\d{3}_/.test(hit.value)) names.add(hit.value);
    if (key === 'name' && hit.path.includes('datasetJson')) names.add(hit.value);
  }
  return [...names];
}
