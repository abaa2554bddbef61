import { datasetFindings } from '../../dataset/findings.js';
import { kindInfo } from '../../dataset/kinds.js';
import type { DatasetCheckId, Problem } from '../../dataset/problems.js';
import { plural } from '../../util/format.js';
import { WEIGHT, type CauseEvidence, type NanCauseId } from '../causes.js';
import { outcome, type NanStep } from '../flow.js';

interface DatasetStepSpec {
  id: string;
  title: string;
  checks: readonly DatasetCheckId[];
  /** `check:kind` of the scanner's problems -> the NaN cause it is evidence for. */
  evidence: Readonly<Record<string, { cause: NanCauseId; weight: number }>>;
  /** Causes a clean result argues against (the data was read voxel by voxel). */
  cleanAgainst: readonly NanCauseId[];
}

/** A step judged by the dataset scanner's own checks, so `nan`, `dataset` and `check` agree. */
function datasetStep(spec: DatasetStepSpec): NanStep {
  return {
    id: spec.id,
    title: spec.title,
    async run(ctx) {
      const fact = await ctx.dataset();
      if (!fact.ok) return outcome('skip', fact.reason);
      const { scan } = fact;
      if (!scan.resolution.found) return outcome('skip', scan.resolution.message);
      const problems = ((await ctx.problems()) ?? []).filter((p) => spec.checks.includes(p.check) && p.status !== 'info');
      const findings = spec.checks.flatMap((check) => datasetFindings(fact, check));
      if (problems.length === 0) {
        return outcome('pass', `${scan.resolution.folderName}: ${findings.map((f) => f.summary).join('; ')}`, {
          findings,
          causes: spec.cleanAgainst.map((cause) => ({ cause, weight: WEIGHT.against, evidence: `${spec.title}: clean in ${plural(scan.cases.length, 'case')}` })),
        });
      }
      const groups = groupByKind(problems);
      const status = problems.some((p) => p.status === 'fail') ? 'fail' : 'warn';
      const summary = [...groups.values()].map((list) => `${kindInfo(list[0]!.check, list[0]!.kind).title} (${countText(list)})`).join('; ');
      const causes: CauseEvidence[] = [...groups.entries()].flatMap(([key, list]) => {
        const link = spec.evidence[key];
        const first = list[0]!;
        return link ? [{ cause: link.cause, weight: link.weight, evidence: `${kindInfo(first.check, first.kind).title}: ${first.caseId ? `${first.caseId}: ` : ''}${first.message} (${countText(list)})` }] : [];
      });
      return outcome(status, summary, { findings: findings.filter((f) => f.status !== 'pass'), causes });
    },
  };
}

function groupByKind(problems: readonly Problem[]): Map<string, Problem[]> {
  const groups = new Map<string, Problem[]>();
  for (const p of problems) groups.set(`${p.check}:${p.kind}`, [...(groups.get(`${p.check}:${p.kind}`) ?? []), p]);
  return groups;
}

function countText(list: readonly Problem[]): string {
  const cases = new Set(list.flatMap((p) => (p.caseId ? [p.caseId] : [])));
  return cases.size > 0 ? plural(cases.size, 'case') : plural(list.length, 'place');
}

export const datasetLabelsStep = datasetStep({
  id: 'dataset-labels',
  title: 'Dataset integrity and class ids',
  checks: ['json', 'labels', 'files', 'readable', 'label-values'],
  evidence: {
    'label-values:0-255': { cause: 'bad-labels', weight: WEIGHT.direct },
    'label-values:unexpected': { cause: 'bad-labels', weight: WEIGHT.direct },
    'label-values:nan': { cause: 'bad-labels', weight: WEIGHT.direct },
    'label-values:many-values': { cause: 'bad-labels', weight: WEIGHT.strong },
    'label-values:non-integer': { cause: 'bad-labels', weight: WEIGHT.strong },
    'labels:not-consecutive': { cause: 'bad-labels', weight: WEIGHT.strong },
    'labels:background-not-zero': { cause: 'bad-labels', weight: WEIGHT.strong },
    'readable:truncated': { cause: 'corrupt-files', weight: WEIGHT.strong },
    'readable:unreadable': { cause: 'corrupt-files', weight: WEIGHT.moderate },
    'readable:not-gzip': { cause: 'corrupt-files', weight: WEIGHT.moderate },
    'readable:size-mismatch': { cause: 'corrupt-files', weight: WEIGHT.moderate },
    'readable:bad-header': { cause: 'corrupt-files', weight: WEIGHT.moderate },
  },
  cleanAgainst: ['bad-labels', 'corrupt-files'],
});

export const imageValuesStep = datasetStep({
  id: 'image-values',
  title: 'NaN, Inf and constant channels in the images',
  checks: ['values'],
  evidence: {
    'values:nan': { cause: 'nan-inf-voxels', weight: WEIGHT.direct },
    'values:inf': { cause: 'nan-inf-voxels', weight: WEIGHT.direct },
    'values:all-zero': { cause: 'constant-images', weight: WEIGHT.strong },
    'values:constant': { cause: 'constant-images', weight: WEIGHT.strong },
  },
  cleanAgainst: ['nan-inf-voxels', 'constant-images'],
});

export const geometryStep = datasetStep({
  id: 'geometry',
  title: 'Image and label geometry',
  checks: ['geometry'],
  evidence: {
    'geometry:shape': { cause: 'geometry', weight: WEIGHT.weak },
    'geometry:spacing': { cause: 'geometry', weight: WEIGHT.weak },
    'geometry:origin': { cause: 'geometry', weight: WEIGHT.weak },
    'geometry:direction': { cause: 'geometry', weight: WEIGHT.weak },
    'geometry:label-components': { cause: 'geometry', weight: WEIGHT.weak },
  },
  cleanAgainst: [],
});
