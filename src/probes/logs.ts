import path from 'node:path';
import { defineProbe, failure, type Probed } from '../core/index.js';
import { explainLog, type LogExplanation } from '../logs/index.js';
import { findNewestTrainingLog, readDebugInfo, readLogText, runIdentityOf, type DebugInfo, type RunIdentity } from '../logs/results.js';

export interface TrainingLogFact {
  path: string;
  modifiedAt: string;
  run: RunIdentity;
  debug?: DebugInfo;
  explanation: LogExplanation;
}

declare module '../core/facts.js' {
  interface Facts {
    /** The newest training_log_*.txt under nnUNet_results (or --results), explained. */
    trainingLog: Probed<TrainingLogFact>;
  }
}

export const trainingLogProbe = defineProbe({
  fact: 'trainingLog',
  async probe({ options, env }) {
    const root = options.results ?? env.nnUNet_results;
    if (!root) return failure('nnUNet_results is not set and no --results folder was given');
    const found = await findNewestTrainingLog(root);
    if (!found) return failure(`no training_log_*.txt under ${root}`);
    return loadTrainingLog(found.path, found.modifiedMs);
  },
});

export async function loadTrainingLog(file: string, modifiedMs: number): Promise<Probed<TrainingLogFact>> {
  try {
    const explanation = explainLog(await readLogText(file));
    return {
      ok: true,
      path: file,
      modifiedAt: new Date(modifiedMs).toISOString(),
      run: runIdentityOf(file),
      debug: await readDebugInfo(path.dirname(file)),
      explanation,
    };
  } catch (error) {
    return failure(`could not read ${file}: ${(error as Error).message}`);
  }
}
