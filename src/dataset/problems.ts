/** The dataset checks, one per file in checks/ (`dataset.<id>`). */
export const DATASET_CHECKS = ['resolve', 'json', 'labels', 'files', 'readable', 'geometry', 'values', 'label-values'] as const;
export type DatasetCheckId = (typeof DATASET_CHECKS)[number];

/** One thing wrong with the dataset, found by the pure judges; checks group them by kind into findings. */
export interface Problem {
  check: DatasetCheckId;
  /** Stable, e.g. `nan` or `dot-suffix`; tests and tickets quote it. */
  kind: string;
  status: 'fail' | 'warn' | 'info';
  caseId?: string;
  path?: string;
  /** This occurrence, e.g. "origin differs by 2.5 mm". */
  message: string;
  evidence?: Record<string, unknown>;
}

export type ProblemMaker = (kind: string, status: Problem['status'], message: string, where?: Pick<Problem, 'caseId' | 'path' | 'evidence'>) => Problem;

export function problemsOf(check: DatasetCheckId): { list: Problem[]; add: ProblemMaker } {
  const list: Problem[] = [];
  return {
    list,
    add: (kind, status, message, where = {}) => {
      const p: Problem = { check, kind, status, message, ...where };
      list.push(p);
      return p;
    },
  };
}
