/** The names and value rules of the environment variables nnU-Net v2 reads (nnunet-facts §1). */

/** Read by nnunetv2/paths.py; each must point at its own folder. */
export const PATH_VARIABLES = ['nnUNet_raw', 'nnUNet_preprocessed', 'nnUNet_results'] as const;
export type PathVariable = (typeof PATH_VARIABLES)[number];

/** nnU-Net v1's names and the v2 variable that replaced each (v2 ignores the old ones). */
export const V1_PATH_VARIABLES: Readonly<Record<string, PathVariable>> = {
  nnUNet_raw_data_base: 'nnUNet_raw',
  RESULTS_FOLDER: 'nnUNet_results',
};

/** Every nnUNet_* variable some nnU-Net v2 release reads; anything else with the prefix is a typo or v1 leftover. */
export const KNOWN_NNUNET_VARIABLES = [
  ...PATH_VARIABLES,
  'nnUNet_extTrainer',
  'nnUNet_n_proc_DA',
  'nnUNet_def_n_proc',
  'nnUNet_npp',
  'nnUNet_nps',
  'nnUNet_compile',
  'nnUNet_keep_files_open',
  'nnUNet_wandb_enabled',
  'nnUNet_wandb_project',
  'nnUNet_wandb_mode',
] as const;

/**
 * Python's int() on a str: surrounding whitespace, one sign, and single underscores between digits are
 * allowed; anything else (empty, "8.0", "0x10", "eight") raises ValueError. Returns null where Python raises.
 */
export function parsePythonInt(text: string): number | null {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (!m) return null;
  const value = Number(m[2]!.replace(/_/g, ''));
  return m[1] === '-' ? -value : value;
}

/** nnUNet_compile (and the old nnUNet_keep_files_open): only true, 1 and t, in any case, mean on. */
export function isPythonTruthyFlag(value: string): boolean {
  return ['true', '1', 't'].includes(value.toLowerCase());
}

/** What users paste by mistake around a path: spaces and newlines, and the quotes of `set x="C:\..."` in CMD. */
export function cleanPathValue(raw: string): string {
  return raw.trim().replace(/^["']+|["']+$/g, '').trim();
}
