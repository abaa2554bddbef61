import { fail, info, pass, warn, type Finding } from '../core/finding.js';
import { parsePythonInt } from '../env/nnunet-vars.js';
import { processesPerTraining, recommendedWorkers } from './da-workers.js';

const REF_DA = 'nnunetv2/utilities/default_n_proc_DA.py; documentation/installation_instructions.md';
const REF_DEF = 'nnunetv2/configuration.py (default_num_processes)';

export interface WorkersInput {
  /** Raw nnUNet_n_proc_DA / nnUNet_def_n_proc, undefined when unset. */
  nProcDA?: string;
  defNProc?: string;
  /** nnU-Net's host-table value and the rule that gave it. */
  hostDefault: { workers: number; rule: string };
  /** os.cpu_count(): what nnU-Net caps at. */
  logicalCpus: number;
  /** What the process may really use (affinity, cgroup quota). */
  effectiveCpus: number;
  /** GPUs visible for training (one training per GPU is the usual set-up). */
  gpuCount: number;
  gpuName?: string;
}

/** A value nnU-Net parses with int() at import time: a bad one crashes every nnUNetv2_* command. */
function parseSetting(name: string, raw: string, ref: string): { value?: number; problem?: Finding } {
  const value = parsePythonInt(raw);
  if (value === null) {
    return {
      problem: fail(`${name}="${raw}" is not an integer: every nnUNetv2_* command crashes at import`, {
        why: `nnU-Net reads it with int() when nnunetv2.configuration is imported ("ValueError: invalid literal for int()").`,
        fix: { default: `export ${name}=12   (or unset ${name})`, win32: `set ${name}=12` },
        ref,
        evidence: { [name]: raw },
      }),
    };
  }
  if (value < 0) return { value, problem: fail(`${name}=${value} is negative`, { why: 'nnU-Net does not reject it, and the worker pools fail in confusing ways.', fix: `export ${name}=12`, ref, evidence: { [name]: raw } }) };
  return { value };
}

export function judgeWorkers(input: WorkersInput): Finding[] {
  const findings: Finding[] = [];
  let configured: number | undefined;
  if (input.nProcDA !== undefined) {
    const parsed = parseSetting('nnUNet_n_proc_DA', input.nProcDA, REF_DA);
    if (parsed.problem) findings.push(parsed.problem);
    configured = parsed.value;
  }
  if (input.defNProc !== undefined) {
    const parsed = parseSetting('nnUNet_def_n_proc', input.defNProc, REF_DEF);
    if (parsed.problem) findings.push(parsed.problem);
    else if (parsed.value === 0) findings.push(warn('nnUNet_def_n_proc=0: process pools with no workers', { fix: 'export nnUNet_def_n_proc=8', ref: REF_DEF }));
  }
  if (findings.some((f) => f.status === 'fail')) return findings;

  // nnU-Net: int(env) or the host table, then min(..., os.cpu_count()).
  const chosen = Math.min(configured ?? input.hostDefault.workers, input.logicalCpus);
  const origin = configured !== undefined ? `nnUNet_n_proc_DA=${configured}` : `nnU-Net's default ${input.hostDefault.workers} (${input.hostDefault.rule})`;
  const capped = chosen < (configured ?? input.hostDefault.workers) ? `, capped to os.cpu_count()=${input.logicalCpus}` : '';
  const gpus = Math.max(1, input.gpuCount);
  const cpusPerGpu = Math.max(1, Math.floor(input.effectiveCpus / gpus));
  const rec = recommendedWorkers(input.gpuName);
  const suggested = Math.max(1, Math.min(rec.max, cpusPerGpu));
  const evidence = {
    nnUNet_n_proc_DA: input.nProcDA ?? null,
    nnUNet_def_n_proc: input.defNProc ?? null,
    hostDefault: input.hostDefault,
    workersPerTraining: chosen,
    processesPerTraining: processesPerTraining(chosen),
    logicalCpus: input.logicalCpus,
    effectiveCpus: input.effectiveCpus,
    gpus: input.gpuCount,
    recommendation: rec,
  };
  const summary = `${chosen} augmentation workers per training (${origin}${capped})`;
  const details = `Each training runs ${chosen} training workers, ${Math.max(1, Math.floor(chosen / 2))} validation workers and the main process. The nnU-Net docs suggest ${rec.min === rec.max ? rec.min : `${rec.min}-${rec.max}`} for ${rec.gpuClass} (${rec.source}).`;
  if (chosen === 0) {
    findings.push(warn('nnUNet_n_proc_DA=0: augmentation runs in the main process', { why: 'Meant for debugging only: training is far slower (nnUNet #2749).', fix: `export nnUNet_n_proc_DA=${suggested}`, ref: REF_DA, evidence }));
  } else if (chosen > input.effectiveCpus) {
    findings.push(
      warn(`${summary}, but only ${input.effectiveCpus} CPUs are usable`, {
        why: `nnU-Net caps workers at os.cpu_count() (${input.logicalCpus}), which ignores CPU affinity and container quotas; oversubscribed workers slow each other down and use RAM. ${details}`,
        fix: `export nnUNet_n_proc_DA=${Math.max(1, Math.min(suggested, input.effectiveCpus))}`,
        ref: REF_DA,
        evidence,
      }),
    );
  } else if (gpus > 1 && chosen * gpus > input.effectiveCpus) {
    findings.push(
      info(`${summary}; ${gpus} parallel trainings (one per GPU) would need ${chosen * gpus} CPUs, ${input.effectiveCpus} are usable`, {
        why: `The value is per GPU. ${details}`,
        fix: `for one training per GPU: export nnUNet_n_proc_DA=${Math.max(1, Math.min(suggested, cpusPerGpu))}`,
        ref: REF_DA,
        evidence,
      }),
    );
  } else if (chosen < rec.min && cpusPerGpu >= rec.min) {
    findings.push(
      info(`${summary}; ${rec.gpuClass} usually wants ${rec.min}${rec.max > rec.min ? `-${rec.max}` : ''}`, {
        why: `A fast GPU waits for augmented batches when there are too few workers; raise the count until not all workers are busy. ${details}`,
        fix: `export nnUNet_n_proc_DA=${suggested}`,
        ref: REF_DA,
        evidence,
      }),
    );
  } else {
    findings.push(pass(summary, { details, evidence }));
  }
  return findings;
}
