import type { Finding, Status } from '../core/finding.js';
import { rankCauses, type CauseEvidence, type RankedCause } from './causes.js';
import type { NanContext } from './context.js';

/** What one step found: its verdict, the findings behind it, and evidence for or against causes. */
export interface StepOutcome {
  status: Status;
  summary: string;
  findings: Finding[];
  causes: CauseEvidence[];
}

/** One step of the documented `train_loss nan` sequence. New steps plug into NAN_STEPS with one line. */
export interface NanStep {
  id: string;
  title: string;
  run(ctx: NanContext): Promise<StepOutcome>;
}

export interface StepRecord extends StepOutcome {
  id: string;
  title: string;
  durationMs: number;
}

export interface NanFlowResult {
  steps: StepRecord[];
  causes: RankedCause[];
  /** The one command to run next. */
  next: string;
}

export interface NanFlowEvents {
  onStepStart?(step: NanStep, index: number, total: number): void;
  onStepFinish?(record: StepRecord, index: number, total: number): void;
}

export function outcome(status: Status, summary: string, extra: Partial<Omit<StepOutcome, 'status' | 'summary'>> = {}): StepOutcome {
  return { status, summary, findings: extra.findings ?? [], causes: extra.causes ?? [] };
}

/** Runs the steps in order (later ones reuse what earlier ones loaded); a step that throws is an error, not a crash. */
export async function runNanFlow(steps: readonly NanStep[], ctx: NanContext, events: NanFlowEvents = {}): Promise<NanFlowResult> {
  const records: StepRecord[] = [];
  for (const [index, step] of steps.entries()) {
    events.onStepStart?.(step, index, steps.length);
    const started = performance.now();
    let result: StepOutcome;
    try {
      result = await step.run(ctx);
    } catch (error) {
      result = outcome('error', `the step crashed: ${error instanceof Error ? error.message : String(error)}`, {
        findings: [{ status: 'error', summary: 'this is a bug in nnunet-doctor; please report it with this output', details: error instanceof Error ? error.stack : undefined }],
      });
    }
    const record: StepRecord = { id: step.id, title: step.title, ...result, durationMs: Math.round(performance.now() - started) };
    records.push(record);
    events.onStepFinish?.(record, index, steps.length);
  }
  const label = (await ctx.datasetTarget()) ?? 'ID';
  const causes = rankCauses(records.flatMap((r) => r.causes), label);
  return { steps: records, causes, next: causes[0]?.next ?? nextWithoutCause(label) };
}

function nextWithoutCause(dataset: string): string {
  if (dataset === 'ID') return 'nnunet-doctor nan --dataset ID --results $nnUNet_results';
  // Nothing found in the data or the setup: rule the installation out the way the maintainers ask (#302, #941).
  return 'nnUNetv2_train 4 3d_fullres 0 on Dataset004_Hippocampus (Medical Segmentation Decathlon): if that trains, the installation is fine';
}
