import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { WEIGHT, type CauseEvidence } from '../causes.js';
import { judgeRunNames, parseRunFolder, type RunNames } from '../custom-code.js';
import { outcome, type NanStep } from '../flow.js';

/** Custom trainer, loss or plans in the results folder: code the maintainers cannot vouch for. */
export const customCodeStep: NanStep = {
  id: 'custom-code',
  title: 'Custom trainer, loss or plans',
  async run(ctx) {
    const log = await ctx.trainingLog();
    const root = ctx.options.results ?? ctx.env.nnUNet_results;
    const dataset = await ctx.dataset();
    const datasetFolder = log.ok ? log.run.dataset : dataset.ok && dataset.scan.resolution.found ? dataset.scan.resolution.folderName : undefined;
    if (!root || !datasetFolder) return outcome('skip', 'no results folder for this dataset (set nnUNet_results or pass --results)');
    const names = await readdir(path.join(root, datasetFolder)).catch(() => [] as string[]);
    const runs = names.flatMap((n) => parseRunFolder(n) ?? []);
    if (runs.length === 0) return outcome('skip', `no <Trainer>__<Plans>__<configuration> folders under ${path.join(root, datasetFolder)}`);
    // The run whose log we read weighs most; other runs in the folder are listed for context.
    const nanRun: RunNames | undefined = log.ok && log.run.trainer ? { trainer: log.run.trainer, plans: log.run.plans!, configuration: log.run.configuration!, loss: log.debug?.loss } : undefined;
    const causes: CauseEvidence[] = [];
    const notes: string[] = [];
    for (const run of nanRun ? [nanRun] : runs) {
      const verdict = judgeRunNames(run);
      const label = `${run.trainer}__${run.plans}__${run.configuration}`;
      if (verdict.trainer === 'custom') {
        causes.push({ cause: 'custom-code', weight: WEIGHT.moderate, evidence: `${label} uses the custom trainer ${run.trainer}` });
        notes.push(`custom trainer ${run.trainer}`);
      } else if (verdict.trainer === 'shipped-variant') {
        notes.push(`nnU-Net's own variant ${run.trainer}`);
      }
      if (verdict.customLosses.length > 0) {
        causes.push({ cause: 'custom-code', weight: WEIGHT.moderate, evidence: `${label} trains with ${verdict.customLosses.join(', ')} (debug.json)` });
        notes.push(`custom loss ${verdict.customLosses.join(', ')}`);
      }
      if (verdict.plans === 'custom') {
        causes.push({ cause: 'custom-code', weight: WEIGHT.weak, evidence: `${label} uses the plans ${run.plans}` });
        notes.push(`custom plans ${run.plans}`);
      }
    }
    const others = runs.map((r) => `${r.trainer}__${r.plans}__${r.configuration}`);
    if (causes.length === 0) {
      return outcome('pass', `${nanRun ? 'the NaN run uses' : 'all runs use'} nnU-Net's own trainer, loss and plans${notes.length ? ` (${notes.join(', ')})` : ''}`, {
        causes: [{ cause: 'custom-code', weight: WEIGHT.against, evidence: 'default trainer, loss and plans' }],
      });
    }
    return outcome('warn', `${notes.join('; ')}${runs.length > 1 ? ` (runs in the folder: ${others.join(', ')})` : ''}`, { causes });
  },
};
