import type { LogLine } from './normalize.js';

export type NnunetMajor = 'v1' | 'v2' | 'unknown';

export interface VersionVerdict {
  major: NnunetMajor;
  /** The lines that decided it, for the user to check. */
  evidence: string[];
}

// Markers of each major version: command names, package paths, log wording and folder naming.
// v1: nnunet/ package, nnUNet_train, nnUNetTrainerV2, TaskXXX folders, "This epoch took", "train loss :".
// v2: nnunetv2/ package, nnUNetv2_* commands, DatasetXXX folders, "Epoch time:", "Pseudo dice", "train_loss".
const V1_MARKERS: readonly RegExp[] = [
  // The package path, not any folder called nnunet (conda environments often are).
  /[/\\]nnunet[/\\](?:training|run|inference|preprocessing|experiment_planning|network_architecture|utilities|evaluation|postprocessing)[/\\]/,
  /\bnnUNet_(?:train|predict|plan_and_preprocess)\b/,
  /\bnnUNetTrainerV2\b/,
  /\bTask\d{3}_\w+/,
  /\bnnUNet_raw_data_base\b|\bRESULTS_FOLDER\b/,
  /This epoch took [\d.]+ s/,
  /^(?:.*: )?train loss : /,
  /Average global foreground Dice:/,
  /Could not find a task with the ID/,
];
/** Only v2 has these: one is enough. */
const DECISIVE_V2: readonly RegExp[] = [/[/\\]nnunetv2[/\\]/, /\bnnUNetv2_\w+/];
const V2_MARKERS: readonly RegExp[] = [
  ...DECISIVE_V2,
  /\bDataset\d{3}_\w+/,
  /Epoch time: [\d.]+ s/,
  /Pseudo dice \[/,
  /\b(?:train|val)_loss\b/,
  /EMA pseudo Dice/,
  /\bnnUNetPlans\b|\bnnUNetResEncUNet[MLX]+Plans\b/,
  /Using torch\.compile/,
];

/** Decides whether a log comes from nnU-Net v1 or v2, so no v1-only advice (like `--fp32`) reaches v2 users. */
export function detectNnunetMajor(lines: readonly LogLine[]): VersionVerdict {
  const v1: string[] = [];
  const v2: string[] = [];
  for (const line of lines) {
    if (V2_MARKERS.some((m) => m.test(line.text))) v2.push(line.text);
    else if (V1_MARKERS.some((m) => m.test(line.text))) v1.push(line.text);
  }
  if (v1.length === 0 && v2.length === 0) return { major: 'unknown', evidence: [] };
  const decisive = v2.filter((text) => DECISIVE_V2.some((m) => m.test(text)));
  if (decisive.length > 0) return { major: 'v2', evidence: decisive.slice(0, 3) };
  // A v1 log never mentions nnunetv2; a v2 log can mention v1 names (converted Task folders), so v2 wins ties.
  const major = v1.length > v2.length * 2 ? 'v1' : v2.length > 0 ? 'v2' : 'v1';
  return { major, evidence: (major === 'v1' ? v1 : v2).slice(0, 3) };
}
