import path from 'node:path';
import { fail, info, pass, warn, type Finding, type Fix } from '../core/finding.js';
import { plural } from '../util/format.js';
import type { EnvSnapshot } from '../probes/env.js';
import type { NnunetPaths, PathStat, PathVariableInfo } from '../probes/paths.js';
import { V1_PATH_VARIABLES, type PathVariable } from './nnunet-vars.js';

const REF = 'nnunetv2/paths.py; nnU-Net documentation/setting_up_paths.md';
const PURPOSE: Record<PathVariable, string> = {
  nnUNet_raw: 'the raw datasets (needed to plan and preprocess)',
  nnUNet_preprocessed: 'the preprocessed data (written by preprocessing, read on every training iteration)',
  nnUNet_results: 'the trained models and downloaded pretrained weights (needed for training and inference)',
};
/** nnU-Net writes into these; nnUNet_raw may be read-only once the datasets are in place. */
const WRITTEN: ReadonlySet<PathVariable> = new Set(['nnUNet_preprocessed', 'nnUNet_results']);
/** set_environment_variables.md's example values: /media/fabian/... and C:/Users/fabian/... (#964). */
const DOC_EXAMPLE = /^(\/media\/fabian|[a-z]:[\\/]+users[\\/]+fabian)([\\/]|$)/i;

export interface PathRuleInput {
  paths: NnunetPaths;
  env: EnvSnapshot;
  /** Environment names are case-insensitive on Windows only. */
  platform: NodeJS.Platform;
}

/** One finding per path variable, then the cross-checks: duplicates, nesting and nnU-Net v1 names. */
export function judgePaths({ paths, env, platform }: PathRuleInput): Finding[] {
  const findings = paths.folders.map((folder) => judgeFolder(folder, env, platform, paths.cwd));
  return [...findings, ...overlapFindings(paths.folders), ...v1Findings(env)];
}

function setFix(name: PathVariable, value = `$HOME/nnUNet_data/${name}`): Fix {
  const windowsValue = value.startsWith('$HOME/') ? `%USERPROFILE%\\nnUNet_data\\${name}` : value;
  return {
    default: `add export ${name}="${value}" to ~/.bashrc (~/.zshrc for zsh) and open a new shell; in SLURM jobs and notebooks set it there too`,
    win32: `setx ${name} "${windowsValue}" (then open a new terminal; with CMD's set, write the value without quotes)`,
  };
}

function judgeFolder(folder: PathVariableInfo, env: EnvSnapshot, platform: NodeJS.Platform, cwd: string): Finding {
  const { name } = folder;
  const hard = name === 'nnUNet_raw' ? warn : fail;
  if (!folder.set || folder.raw === undefined) {
    return hard(`${name} is not set`, {
      why: `This folder holds ${PURPOSE[name]}; without it nnU-Net raises "${name} is not defined" when it first needs the folder.${unsetHints(name, env, platform)}`,
      fix: setFix(name),
      ref: REF,
      evidence: { name, set: false },
    });
  }
  const evidence = { name, raw: folder.raw, ...(folder.asSet ? statEvidence(folder.asSet) : {}) };
  if (folder.raw === '') {
    return fail(`${name} is set but empty`, {
      why: `nnU-Net counts an empty value as set and then uses folders relative to the current directory (${cwd}), so every command works in a different place.`,
      fix: setFix(name),
      ref: REF,
      evidence,
    });
  }
  if (DOC_EXAMPLE.test(folder.cleaned ?? folder.raw)) {
    return fail(`${name} is the documentation's example path ${folder.cleaned}`, {
      why: 'The paths in set_environment_variables.md belong to the nnU-Net author\'s machine; copied verbatim they give "Permission denied: \'/media/fabian\'" (#964).',
      fix: setFix(name),
      ref: 'nnU-Net documentation/set_environment_variables.md; nnU-Net #964',
      evidence,
    });
  }
  if (folder.cleaned !== undefined && folder.cleaned !== folder.raw) {
    const found = folder.asCleaned?.exists ? ` Without them it names an existing folder, ${folder.asCleaned.resolved}.` : '';
    return fail(`${name} has stray quotes or spaces: ${JSON.stringify(folder.raw)}`, {
      why: `nnU-Net uses the value literally, quotes and spaces included, so it looks for ${JSON.stringify(folder.asSet?.resolved ?? folder.raw)}. Windows CMD's set x="C:\\..." keeps the quotes (PR #1526).${found}`,
      fix: setFix(name, folder.cleaned || undefined),
      ref: 'known-problems row 6; nnU-Net PR #1526, #1787',
      evidence,
    });
  }
  const stat = folder.asSet!;
  return judgeStat(name, stat, evidence, cwd);
}

function judgeStat(name: PathVariable, stat: PathStat, evidence: Record<string, unknown>, cwd: string): Finding {
  const where = stat.resolved;
  if (stat.error) return fail(`${name} (${where}) could not be read: ${stat.error}`, { fix: 'check the permissions of the folder and its parents, and that its file system is mounted and reachable', ref: REF, evidence });
  if (!stat.exists) {
    if (!WRITTEN.has(name)) {
      return fail(`${name} points to ${where}, which does not exist`, { why: 'nnU-Net looks for DatasetXXX_Name folders there.', fix: `create it (mkdir -p "${where}") and put the datasets in, or correct the variable`, ref: REF, evidence });
    }
    return warn(`${name} points to ${where}, which does not exist yet`, {
      why: 'nnU-Net creates it on first use; if you expected existing data there, the variable names the wrong place.',
      fix: `check the path, or create it now: mkdir -p "${where}"`,
      ref: REF,
      evidence,
    });
  }
  if (!stat.isDirectory) return fail(`${name} points to ${where}, which is a file, not a folder`, { fix: setFix(name), ref: REF, evidence });
  if (!stat.readable) return fail(`${name} (${where}) is not readable by this user`, { fix: `sudo chown -R "$USER" "${where}" or ask the owner for read access`, ref: REF, evidence });
  if (WRITTEN.has(name) && !stat.writable) {
    return fail(`${name} (${where}) is not writable by this user`, {
      why: `nnU-Net writes ${PURPOSE[name]} there.`,
      fix: `sudo chown -R "$USER" "${where}", or point ${name} at a folder you own`,
      ref: REF,
      evidence,
    });
  }
  const entries = stat.entryCount === undefined ? '' : ` (${stat.entryCountCapped ? `${stat.entryCount}+ entries` : plural(stat.entryCount, 'entry', 'entries')})`;
  if (!stat.absolute) {
    return warn(`${name} is a relative path (${stat.path}), here ${where}`, {
      why: `A relative value resolves against the directory a command runs in (now ${cwd}), so nnU-Net started elsewhere uses another folder.`,
      fix: setFix(name, where),
      ref: REF,
      evidence,
    });
  }
  return pass(`${name} = ${where}${entries}`, { evidence });
}

function statEvidence(stat: PathStat): Record<string, unknown> {
  return { resolved: stat.resolved, exists: stat.exists, isDirectory: stat.isDirectory, readable: stat.readable, writable: stat.writable, realPath: stat.realPath, entryCount: stat.entryCount, error: stat.error };
}

/** Explains an unset variable by the near-misses that are set: v1 names and wrong capitalisation. */
function unsetHints(name: PathVariable, env: EnvSnapshot, platform: NodeJS.Platform): string {
  const hints: string[] = [];
  for (const [old, replacement] of Object.entries(V1_PATH_VARIABLES)) {
    if (replacement === name && env.vars[old] !== undefined) hints.push(` ${old} is set, but that is nnU-Net v1's name, which v2 ignores.`);
  }
  if (platform !== 'win32') {
    const misspelt = Object.keys(env.vars).filter((v) => v !== name && v.toLowerCase() === name.toLowerCase());
    if (misspelt.length > 0) hints.push(` ${misspelt.join(' and ')} ${misspelt.length === 1 ? 'is' : 'are'} set, but names are case-sensitive: it must be ${name}.`);
  }
  return hints.join('');
}

/** Where a folder really is, for comparing: the real path when it exists, else the resolved one. */
function locationOf(folder: PathVariableInfo): string | undefined {
  const stat = folder.asCleaned?.exists ? folder.asCleaned : folder.asSet;
  return stat ? (stat.realPath ?? stat.resolved) : undefined;
}

function overlapFindings(folders: readonly PathVariableInfo[]): Finding[] {
  const located = folders.flatMap((f) => {
    const at = locationOf(f);
    return at ? [{ name: f.name, at }] : [];
  });
  const findings: Finding[] = [];
  for (let i = 0; i < located.length; i += 1) {
    for (let j = i + 1; j < located.length; j += 1) {
      const a = located[i]!;
      const b = located[j]!;
      const evidence = { [a.name]: a.at, [b.name]: b.at };
      if (a.at === b.at) {
        findings.push(fail(`${a.name} and ${b.name} are the same folder (${a.at})`, {
          why: 'nnU-Net expects three separate folders; in one folder raw datasets, preprocessed arrays and results share DatasetXXX names and get mixed up.',
          fix: `give each its own folder, e.g. ${path.dirname(a.at)}/${a.name} and ${path.dirname(a.at)}/${b.name}`,
          ref: REF,
          evidence,
        }));
      } else if (isInside(a.at, b.at) || isInside(b.at, a.at)) {
        const [outer, inner] = isInside(a.at, b.at) ? [b, a] : [a, b];
        findings.push(warn(`${inner.name} is inside ${outer.name}`, {
          why: `nnU-Net lists ${outer.name} to find DatasetXXX folders and treats what it finds as its own; keeping the folders side by side avoids surprises.`,
          fix: `move ${inner.at} next to ${outer.at} and update ${inner.name}`,
          ref: REF,
          evidence,
        }));
      }
    }
  }
  return findings;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function v1Findings(env: EnvSnapshot): Finding[] {
  return Object.entries(V1_PATH_VARIABLES)
    .filter(([old]) => env.vars[old] !== undefined)
    .map(([old, replacement]) =>
      info(`${old} is set: nnU-Net v1's variable, ignored by v2`, {
        details: `nnU-Net v2 reads ${replacement} instead. v1 task folders (TaskXXX_Name) convert with nnUNetv2_convert_old_nnUNet_dataset.`,
        fix: `remove ${old} once nothing uses nnU-Net v1, and set ${replacement}`,
        ref: 'nnU-Net documentation/setting_up_paths.md; known-problems row 6',
        evidence: { [old]: env.vars[old] },
      }),
    );
}
