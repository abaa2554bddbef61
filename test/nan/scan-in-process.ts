import type { Facts } from '../../src/core/facts.js';
import { planLayout } from '../../src/dataset/layout.js';
import { scanVolumeFile } from '../../src/dataset/read-volume.js';
import { resolveDataset } from '../../src/dataset/resolve.js';
import { readDatasetJson, type DatasetScan } from '../../src/dataset/scanner.js';

/**
 * The dataset fact built from the scanner's own pieces in this process. Stand-in for scanDataset, whose
 * worker threads cannot load the TypeScript sources under Node 20 yet (`--import tsx` is ignored in a
 * Worker's execArgv); replace with `datasetProbe` once they can. Inputs only: the flow under test is real.
 */
export async function datasetFactInProcess(dir: string, env: NodeJS.ProcessEnv = {}): Promise<Facts['dataset']> {
  const resolution = await resolveDataset(dir, env);
  if (!resolution.found) return { ok: false, reason: resolution.message };
  const datasetJson = await readDatasetJson(resolution.root);
  const json = datasetJson.state === 'ok' ? (datasetJson.value as Record<string, unknown>) : {};
  const layout = await planLayout(resolution.root, json, env);
  const cases = await Promise.all(
    layout.cases.map(async (c) => {
      const images = await Promise.all(c.images.map((f) => scanVolumeFile({ absolutePath: f.absolutePath, path: f.path, role: 'image' })));
      const label = c.label ? await scanVolumeFile({ absolutePath: c.label.absolutePath, path: c.label.path, role: 'label' }) : undefined;
      return { id: c.id, images, ...(label ? { label } : {}) };
    }),
  );
  const scan: DatasetScan = { target: dir, resolution, datasetJson, layout, cases, stats: { workers: 0, files: 0, fileBytes: 0, dataBytes: 0, durationMs: 0 } };
  return { ok: true, scan };
}
