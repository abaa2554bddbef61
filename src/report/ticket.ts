import { fixFor, severity, STATUSES, type FixPlatform, type Status } from '../core/finding.js';
import { fmtBytes } from '../util/format.js';
import type { ReportDocument } from './document.js';
import { extractCharts, type ReportCharts } from './charts.js';
import { factsNamed, findByPath, findTable, isRecord, isScalar, walkBreadthFirst, type Json } from './fact-search.js';
import { NODE_FIELD_LABELS, summarizeNode, type NodeField } from './node-summary.js';

export type Row = [label: string, value: string];

export interface Table {
  columns: string[];
  rows: string[][];
}

export interface AttentionItem {
  id: string;
  title: string;
  status: Status;
  summary: string;
  details?: string;
  fix?: string;
}

/** A long block shown collapsed: JSON or raw lines. */
export interface Attachment {
  title: string;
  language: 'json' | 'text';
  body: string;
}

/** Everything a ticket shows, format-neutral: Markdown and HTML both render exactly this. */
export interface Ticket {
  heading: string;
  meta: Row[];
  counts: Record<Status, number>;
  attention: AttentionItem[];
  environment: Row[];
  nnunetEnv: Row[];
  packages: Row[];
  gpus?: Table;
  dataset: Row[];
  attachments: Attachment[];
  charts: ReportCharts;
  checks: Table;
  facts: Attachment[];
  redactionNote: string;
}

/** The words both renderers print, kept in one place so Markdown and HTML say the same. */
export const TICKET_TEXT = {
  noAttention: 'No failures or warnings.',
  fillCommand: 'Command (plan/preprocess, train or predict, exactly as typed):',
  fillOutcome: 'What I expected, and what happened instead (paste the full traceback, not only the last line):',
  fillIn: '<fill in>',
  noPackages: 'No Python package facts were collected.',
  noGpu: 'No GPU reported.',
  noDataset: 'No dataset given: add `--dataset D` to include its summary.',
} as const;

const NNUNET_VARS = ['nnUNet_raw', 'nnUNet_preprocessed', 'nnUNet_results'];
// Four quoted files at this size still fit a GitHub issue (65,536 characters) with the tables.
const MAX_FACT_CHARS = 12_000;

/** Builds the ticket from an already redacted document: nothing here may add machine data. */
export function buildTicket(doc: ReportDocument): Ticket {
  const facts = doc.facts as Record<string, Json>;
  const sources = isRecord(facts.ticketSources) ? facts.ticketSources : {};
  const node = summarizeNode(doc);
  const environment = (Object.keys(NODE_FIELD_LABELS) as NodeField[])
    .filter((k) => node[k] !== undefined)
    .map((k): Row => [NODE_FIELD_LABELS[k], node[k]!]);
  environment.push(['Node.js', doc.platform.node]);
  return {
    heading: 'nnunet-doctor report',
    meta: [
      ['Tool', `nnunet-doctor ${doc.tool.version}`],
      ['Created', doc.createdAt],
      ['Exit code', `${doc.summary.exitCode} (fail-on ${doc.summary.failOn})`],
    ],
    counts: doc.summary.counts,
    attention: attentionItems(doc),
    environment,
    nnunetEnv: nnunetEnvRows(isRecord(facts.env) && isRecord(facts.env.vars) ? facts.env.vars : {}),
    packages: packageRows(factsNamed(facts, /python|package|torch|nnunet/i)),
    gpus: gpuTable(factsNamed(facts, /gpu|nvidia|rocm/i), factsNamed(facts, /python|torch/i)),
    dataset: datasetRows(sources.dataset, factsNamed(facts, /^dataset/i)),
    attachments: attachments(sources),
    charts: extractCharts(doc),
    checks: {
      columns: ['Status', 'Check', 'Summary'],
      rows: doc.results.map((r) => [r.status, `${r.title} (${r.id})`, r.findings.map((f) => f.summary).join('; ')]),
    },
    // ticketSources is shown above as its quoted files.
    facts: Object.entries(facts)
      .filter(([name]) => name !== 'ticketSources')
      .map(([name, value]) => ({ title: `fact: ${name}`, language: 'json', body: clip(JSON.stringify(value, null, 2)) })),
    redactionNote: redactionNote(doc),
  };
}

function attentionItems(doc: ReportDocument): AttentionItem[] {
  const platform = fixPlatformOfDoc(doc);
  const items: AttentionItem[] = [];
  for (const r of doc.results) {
    for (const f of r.findings) {
      if (severity(f.status) < 2) continue;
      items.push({
        id: r.id,
        title: r.title,
        status: f.status,
        summary: f.summary,
        details: f.details,
        fix: f.fix === undefined ? undefined : fixFor(f.fix, platform),
      });
    }
  }
  return items.sort((a, b) => STATUSES.indexOf(b.status) - STATUSES.indexOf(a.status));
}

function fixPlatformOfDoc(doc: ReportDocument): FixPlatform {
  const os = (doc.facts as Record<string, Json>).os;
  if (isRecord(os) && typeof os.wsl === 'number') return 'wsl';
  return doc.platform.os === 'darwin' || doc.platform.os === 'win32' ? doc.platform.os : 'linux';
}

function nnunetEnvRows(env: Record<string, Json>): Row[] {
  const rows: Row[] = NNUNET_VARS.filter((n) => env[n] === undefined).map((n): Row => [n, '(not set)']);
  return [...Object.entries(env).map(([k, v]): Row => [k, String(v)]), ...rows];
}

/** `packages: { numpy: "2.1.0" }`, `{ torch: { version } }` or `[{ name, version }]`, wherever the Python probe put them. */
function packageRows(facts: Record<string, Json>): Row[] {
  const flat = findByPath(facts, ['packages'], isRecord);
  if (isRecord(flat) && Object.values(flat).every((v) => typeof v === 'string' || v === null)) {
    return Object.entries(flat).map(([name, v]): Row => [name, v === null ? 'not installed' : String(v)]);
  }
  for (const hit of walkBreadthFirst(facts)) {
    const v = hit.value;
    if (!isRecord(v)) continue;
    const entries = Object.entries(v).filter(([, p]) => isRecord(p) && typeof p.version === 'string');
    if (entries.length >= 3) return entries.map(([name, p]) => [name, versionText(p as Record<string, Json>)]);
  }
  const list = findTable(facts, [/^name$/i, /^version$/i]);
  return list ? list.map((p) => [String(p.name), String(p.version)]) : [];
}

function versionText(p: Record<string, Json>): string {
  return `${p.version as string}${p.editable === true ? ' (editable)' : ''}`;
}

function gpuTable(gpuFacts: Record<string, Json>, pyFacts: Record<string, Json>): Table | undefined {
  const devices = findByPath(gpuFacts, ['devices'], (v) => Array.isArray(v) && v.length > 0 && v.every(isRecord));
  const gpus = (devices as Record<string, Json>[] | undefined) ?? findTable(pyFacts, [/^name$/i, /mem/i]);
  if (!gpus) return undefined;
  // Identifiers are redacted anyway; a column of "<redacted>" only takes room.
  const columns = [...new Set(gpus.flatMap((g) => Object.keys(g).filter((k) => isScalar(g[k]) && !/uuid|serial|bus/i.test(k))))].slice(0, 9);
  const cellOf = (key: string, v: Json) => (v === undefined ? '' : typeof v === 'number' && /Bytes$/.test(key) ? fmtBytes(v) : String(v));
  return { columns, rows: gpus.map((g) => columns.map((c) => cellOf(c, g[c]))) };
}

function datasetRows(listing: Json, scanner: Record<string, Json>): Row[] {
  const rows: Row[] = [];
  if (isRecord(listing) && listing.ok === true) {
    const counts = isRecord(listing.fileCounts) ? listing.fileCounts : {};
    rows.push(['Dataset', String(listing.name)], ['Cases found', String((listing.caseIds as Json[]).length)]);
    rows.push(['Files', `imagesTr ${counts.imagesTr}, labelsTr ${counts.labelsTr}, imagesTs ${counts.imagesTs}`]);
    const json = isRecord(listing.datasetJson) && isRecord(listing.datasetJson.content) ? listing.datasetJson.content : undefined;
    if (json) {
      for (const key of ['numTraining', 'file_ending', 'channel_names', 'labels']) {
        if (json[key] !== undefined) rows.push([key, isScalar(json[key]) ? String(json[key]) : JSON.stringify(json[key])]);
      }
    } else if (isRecord(listing.datasetJson)) rows.push(['dataset.json', `unreadable: ${String(listing.datasetJson.reason)}`]);
  } else if (isRecord(listing)) rows.push(['Dataset', `not found: ${String(listing.reason)}`]);
  // The scanner's own summary, when it has run: its scalar fields, one level down.
  for (const [name, fact] of Object.entries(scanner)) {
    if (!isRecord(fact)) continue;
    const scan = isRecord(fact.scan) ? fact.scan : undefined;
    if (scan && Array.isArray(scan.cases)) rows.push([`${name}: cases scanned`, String(scan.cases.length)]);
    const summary = isRecord(fact.summary) ? fact.summary : scan && isRecord(scan.stats) ? scan.stats : fact;
    for (const [k, v] of Object.entries(summary)) if (isScalar(v) && k !== 'ok') rows.push([`${name}.${k}`, String(v)]);
  }
  return rows;
}

function attachments(sources: Record<string, Json>): Attachment[] {
  const out: Attachment[] = [];
  const dataset = sources.dataset;
  if (isRecord(dataset) && isRecord(dataset.datasetJson) && dataset.datasetJson.ok === true) {
    out.push({ title: 'dataset.json', language: 'json', body: clip(JSON.stringify(dataset.datasetJson.content, null, 2)) });
  }
  const results = sources.results;
  if (!isRecord(results)) return out;
  if (isRecord(results.trainingLog)) {
    const log = results.trainingLog;
    out.push({ title: `Last lines of ${String(log.path)}`, language: 'text', body: (log.tail as Json[]).map(String).join('\n') });
  }
  if (isRecord(results.debugJson)) out.push({ title: `debug.json (${String(results.debugJson.path)})`, language: 'json', body: clip(JSON.stringify(results.debugJson.content, null, 2)) });
  if (isRecord(results.plans)) {
    const p = results.plans;
    const title = `Plans in use: ${String(p.plansName ?? '?')} / ${String(p.configurationName ?? '?')}`;
    out.push({ title, language: 'json', body: clip(JSON.stringify(p.configuration ?? null, null, 2)) });
  }
  return out;
}

function redactionNote(doc: ReportDocument): string {
  const r = doc.redaction;
  if (!r) return 'This document was not passed through the redaction layer.';
  const parts = Object.entries(r.counts).map(([kind, n]) => `${n} ${kind}`);
  const what = parts.length > 0 ? parts.join(', ') : 'nothing needed removing';
  const mode = r.enabled ? 'Redacted' : 'Redaction off (--no-redact); secrets, GPU UUIDs/serials and image headers still removed';
  return `${mode}${r.redactCases ? ', case and dataset names hashed' : ''}: ${what}.`;
}

function clip(body: string): string {
  return body.length <= MAX_FACT_CHARS ? body : `${body.slice(0, MAX_FACT_CHARS)}\n… (${body.length - MAX_FACT_CHARS} more characters in the JSON report)`;
}
