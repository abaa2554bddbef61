import type { Probed } from '../core/facts.js';
import type { DatasetFact } from '../probes/dataset.js';
import { fail, info, pass, skip, warn, type Finding } from '../core/finding.js';
import { plural } from '../util/format.js';
import { judgeScan } from './judge-scan.js';
import { kindInfo } from './kinds.js';
import type { DatasetCheckId, Problem } from './problems.js';
import type { DatasetScan } from './scanner.js';

/** Items listed in a finding's evidence; the summary names the first few cases. */
const MAX_ITEMS = 100;
const NAMED_IN_SUMMARY = 3;

const PASS_TEXT: Record<DatasetCheckId, (scan: DatasetScan) => string> = {
  resolve: (s) => (s.resolution.found ? `${s.resolution.root}` : 'not found'),
  json: () => 'dataset.json is valid and has the v2 keys',
  labels: () => 'labels: background 0, consecutive integers',
  files: (s) => `${plural(s.cases.length, 'case')}, every one with all channels and a label`,
  readable: (s) => `${plural(s.stats.files, 'file')} read completely`,
  geometry: (s) => `images and labels of ${plural(s.cases.length, 'case')} share shape, spacing, origin and direction`,
  values: () => 'no NaN, Inf or constant channels; intensities look plausible',
  'label-values': () => 'every label holds only declared integer values',
};

/** The findings of one dataset check: one per kind of problem, listing the affected cases. */
export function datasetFindings(fact: Probed<DatasetFact>, check: DatasetCheckId): Finding[] {
  if (!fact.ok) return [skip(fact.reason)];
  const { scan } = fact;
  if (check !== 'resolve' && !scan.resolution.found) return [skip('the dataset was not found')];
  const problems = judgeScan(scan).filter((p) => p.check === check);
  if (problems.length === 0) return [pass(PASS_TEXT[check](scan))];
  const groups = new Map<string, Problem[]>();
  for (const p of problems) groups.set(`${p.kind}\u0000${p.status}`, [...(groups.get(`${p.kind}\u0000${p.status}`) ?? []), p]);
  return [...groups.values()].map((group) => toFinding(check, group));
}

function toFinding(check: DatasetCheckId, group: Problem[]): Finding {
  const first = group[0]!;
  const kind = kindInfo(check, first.kind);
  const cases = [...new Set(group.flatMap((p) => (p.caseId === undefined ? [] : [p.caseId])))];
  const where = (p: Problem) => p.caseId ?? p.path;
  const place = where(first);
  const summary =
    group.length === 1
      ? `${place && !first.message.includes(place) ? `${place}: ` : ''}${first.message}`
      : `${kind.title} in ${cases.length > 0 ? plural(cases.length, 'case') : plural(group.length, 'file')}: ${group
          .slice(0, NAMED_IN_SUMMARY)
          .map((p) => where(p) ?? p.message)
          .join(', ')}${group.length > NAMED_IN_SUMMARY ? `, … (${group.length - NAMED_IN_SUMMARY} more)` : ''}`;
  const make = first.status === 'fail' ? fail : first.status === 'warn' ? warn : info;
  return make(summary, {
    why: group.length > 1 ? `${first.message}${first.caseId ? ` (${first.caseId})` : ''}, and similar.\n${kind.why}` : kind.why,
    fix: kind.fix,
    ref: kind.ref,
    evidence: {
      kind: first.kind,
      cases,
      items: group.slice(0, MAX_ITEMS).map((p) => ({ caseId: p.caseId, path: p.path, message: p.message, ...p.evidence })),
      ...(group.length > MAX_ITEMS ? { more: group.length - MAX_ITEMS } : {}),
    },
  });
}
