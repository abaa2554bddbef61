import { judgeAcrossCases, judgeCase } from './judge-case.js';
import { judgeFiles } from './judge-files.js';
import { datasetSpecOf, judgeDatasetJson, judgeLabelMap } from './judge-json.js';
import { problemsOf, type Problem } from './problems.js';
import type { DatasetScan } from './scanner.js';

const cache = new WeakMap<DatasetScan, Problem[]>();

/** Every problem in a scan, in check order; pure, and memoized per scan since every dataset check asks. */
export function judgeScan(scan: DatasetScan): Problem[] {
  const cached = cache.get(scan);
  if (cached) return cached;
  const spec = datasetSpecOf(scan.datasetJson);
  const problems = [
    ...judgeResolution(scan),
    ...(scan.resolution.found ? [...judgeDatasetJson(scan.datasetJson), ...judgeLabelMap(scan.datasetJson)] : []),
    ...(scan.layout ? judgeFiles(scan.layout, spec, scan.cases) : []),
    ...scan.cases.flatMap((c) => judgeCase(c, spec)),
    ...judgeAcrossCases(scan.cases, spec),
  ];
  cache.set(scan, problems);
  return problems;
}

function judgeResolution(scan: DatasetScan): Problem[] {
  const { list, add } = problemsOf('resolve');
  const r = scan.resolution;
  if (!r.found) add('not-found', 'fail', r.message);
  const names = [...new Set(r.sameIdFolders.map((c) => c.folder))];
  if (names.length > 1) {
    add('duplicate-id', 'fail', `${names.join(', ')} share the id prefix ${names[0]!.slice(0, 10)}`, { evidence: { folders: r.sameIdFolders } });
  }
  if (r.found && !/^Dataset\d{3}_.+/.test(r.folderName)) add('folder-name', 'warn', `the folder is named "${r.folderName}", not DatasetXXX_Name`);
  return list;
}
