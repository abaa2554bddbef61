/**
 * Which network the benchmark runs: from a plans file, from a dataset (its plans, or nnU-Net's planner rules
 * applied to its geometry), or a built-in preset.
 */
import { resolveDataset } from '../dataset/resolve.js';
import type { InvalidBenchConfig } from './bench-fact.js';
import { datasetSource } from './dataset-geometry.js';
import { loadPlans } from './plans.js';
import { isPreset, preset, PRESETS } from './presets.js';
import { planConfiguration } from './topology.js';
import type { UNetConfig } from './unet.js';

export interface BenchConfigRequest {
  plans?: string;
  configuration?: string;
  dataset?: string;
  preset?: string;
}

export interface ResolvedBenchConfig {
  status: 'resolved';
  config: UNetConfig;
  notes: string[];
  /** Median case shape in the configuration's axis order, for the sliding-window estimate. */
  medianCaseShape?: number[];
}

export async function resolveBenchConfig(request: BenchConfigRequest, env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<ResolvedBenchConfig | InvalidBenchConfig> {
  const configuration = request.configuration ?? '3d_fullres';
  if (request.plans) return fromPlans(request.plans, configuration);
  if (request.dataset) {
    const resolved = await resolveDataset(request.dataset, env, cwd);
    if (!resolved.found) return { status: 'invalid-config', reason: resolved.message, fix: 'pass --dataset as a path, an id or DatasetXXX_Name, with nnUNet_raw set' };
    const source = await datasetSource(resolved.root, resolved.folderName, env);
    if (source.kind === 'plans') return fromPlans(source.file, configuration);
    if (source.kind === 'none') return { status: 'invalid-config', reason: source.reason, fix: 'run nnUNetv2_extract_fingerprint (or plan_and_preprocess) for the dataset, or pass --plans' };
    const dims = configuration === '2d' ? 2 : 3;
    const config = planConfiguration(source.geometry, { dims });
    return {
      status: 'resolved',
      config: { ...config, source: `nnU-Net's default planner rules applied to ${resolved.folderName} (${source.from})` },
      notes: [`median shape [${source.geometry.medianShape.map((v) => Math.round(v)).join(', ')}] at spacing [${source.geometry.spacing.map((v) => v.toFixed(2)).join(', ')}], from ${source.from}`],
      medianCaseShape: source.geometry.medianShape.map(Math.round),
    };
  }
  const name = request.preset ?? '3d_fullres';
  if (!isPreset(name)) return { status: 'invalid-config', reason: `there is no preset "${name}"`, fix: `use one of ${PRESETS.join(', ')}`, available: [...PRESETS] };
  const config = preset(name);
  // The CT presets stand for a 512^3 median case (nnunet-facts.md §5.3).
  return { status: 'resolved', config, notes: [], medianCaseShape: name === 'tiny' ? undefined : [512, 512, 512] };
}

async function fromPlans(file: string, configuration: string): Promise<ResolvedBenchConfig | InvalidBenchConfig> {
  const result = await loadPlans(file, configuration);
  if (!result.ok) return { status: 'invalid-config', reason: result.reason, fix: result.fix, ...(result.available ? { available: result.available } : {}) };
  return { status: 'resolved', config: result.config, notes: result.notes, medianCaseShape: result.medianShape };
}
