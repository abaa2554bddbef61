import { fail, info, pass, warn, type Finding } from '../core/finding.js';
import type { EnvSnapshot } from '../probes/env.js';
import { isPythonTruthyFlag, KNOWN_NNUNET_VARIABLES, parsePythonInt, PATH_VARIABLES, V1_PATH_VARIABLES } from './nnunet-vars.js';

const COMPILE_REF = 'nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py (_do_i_compile); nnunetv2/inference/predict_from_raw_data.py';
/** Words people use for "on" that nnU-Net reads as off. */
const LOOKS_ON = /^\s*(yes|y|on|enable|enabled|true|t|1)\s*$/i;

/** Judges the nnUNet_* switches; the path variables are env.paths' job, worker counts system.workers'. */
export function judgeFlags(env: EnvSnapshot, platform: NodeJS.Platform): Finding[] {
  const vars = env.vars;
  const findings = [
    compileFinding(vars.nnUNet_compile, platform),
    ...intFindings(vars),
    ...keepFilesOpenFinding(vars.nnUNet_keep_files_open),
    ...wandbFinding(vars.nnUNet_wandb_enabled),
    ...unknownFindings(vars, platform),
  ];
  const reported = sortedEntries(vars).filter(([name]) => /^nnunet_/i.test(name) && !(PATH_VARIABLES as readonly string[]).includes(name));
  if (reported.length > 0) {
    findings.push(info(`set: ${reported.map(([n, v]) => `${n}=${/^\S+$/.test(v) ? v : JSON.stringify(v)}`).join(', ')}`, { evidence: Object.fromEntries(reported) }));
  }
  return findings;
}

function compileFinding(value: string | undefined, platform: NodeJS.Platform): Finding {
  if (value === undefined) {
    return pass('nnUNet_compile is unset: torch.compile is on for CUDA training on Linux, off for inference', {
      details: 'Training compiles the network unless the device is CPU or MPS or the OS is Windows. Compiling needs triton, a C compiler and a GPU of compute capability 7.0 or newer; set nnUNet_compile=f if it fails.',
      ref: COMPILE_REF,
    });
  }
  const on = isPythonTruthyFlag(value);
  const evidence = { nnUNet_compile: value, compileOn: on };
  if (!on && LOOKS_ON.test(value)) {
    return warn(`nnUNet_compile=${JSON.stringify(value)} turns torch.compile OFF`, {
      why: 'nnU-Net compares value.lower() with "true", "1" and "t" only; anything else, "yes" and "on" included, means off.',
      fix: 'export nnUNet_compile=true to compile (or nnUNet_compile=f to say off plainly)',
      ref: COMPILE_REF,
      evidence,
    });
  }
  if (on && platform === 'win32') {
    return info(`nnUNet_compile=${value}, but nnU-Net never compiles on Windows`, { ref: COMPILE_REF, evidence });
  }
  return pass(`nnUNet_compile=${value}: torch.compile is ${on ? 'on (training and inference, CUDA only)' : 'off'}`, { ref: COMPILE_REF, evidence });
}

/** The worker counts nnUNet_n_proc_DA and nnUNet_def_n_proc are system.workers' to judge. */
function intFindings(vars: Record<string, string>): Finding[] {
  const findings: Finding[] = [];
  for (const name of ['nnUNet_npp', 'nnUNet_nps'] as const) {
    const value = vars[name];
    if (value === undefined || (parsePythonInt(value) ?? 0) > 0) continue;
    findings.push(warn(`${name}=${JSON.stringify(value)} is ignored: nnUNetv2_predict falls back to 3`, {
      fix: `export ${name}=3 (a positive whole number), or unset it`,
      ref: 'nnunetv2/inference/predict_from_raw_data.py (_getDefaultValue)',
      evidence: { [name]: value },
    }));
  }
  return findings;
}

function keepFilesOpenFinding(value: string | undefined): Finding[] {
  if (value === undefined) return [];
  return [
    info(`nnUNet_keep_files_open=${value} has no effect on nnU-Net 2.6 and later`, {
      details: 'Up to v2.5.2 the dataset loader kept memory-mapped .npy files open when it was true, 1 or t; since v2.6 the data is blosc2 and nothing reads the variable. benchmarking.md still recommends it.',
      fix: 'unset nnUNet_keep_files_open unless you run nnU-Net 2.5 or older',
      ref: 'nnunetv2/training/dataloading/nnunet_dataset.py (v2.5.2 vs v2.6.0)',
      evidence: { nnUNet_keep_files_open: value },
    }),
  ];
}

function wandbFinding(value: string | undefined): Finding[] {
  if (value === undefined || ['0', '1', 'True', 'true', 'False', 'false'].includes(value)) return [];
  return [
    fail(`nnUNet_wandb_enabled=${JSON.stringify(value)} stops training when the logger starts`, {
      why: 'Only 0, 1, True, true, False and false are accepted; anything else raises "nnU-Net logger environment variable has the wrong value".',
      fix: 'export nnUNet_wandb_enabled=1 (or 0)',
      ref: 'nnunetv2/training/logging/nnunet_logger.py',
      evidence: { nnUNet_wandb_enabled: value },
    }),
  ];
}

/** nnUNet_-like names nnU-Net does not read: wrong capitalisation (outside Windows) or typos. */
function unknownFindings(vars: Record<string, string>, platform: NodeJS.Platform): Finding[] {
  const known = new Set<string>([...KNOWN_NNUNET_VARIABLES, ...Object.keys(V1_PATH_VARIABLES)]);
  const byLower = new Map([...known].map((n) => [n.toLowerCase(), n]));
  return sortedEntries(vars)
    .map(([name]) => name)
    .filter((name) => /^nnunet_/i.test(name) && !known.has(name))
    .flatMap((name) => {
      const meant = byLower.get(name.toLowerCase());
      // Windows looks names up case-insensitively; env.paths explains the path variables.
      if (meant && (platform === 'win32' || (PATH_VARIABLES as readonly string[]).includes(meant))) return [];
      return [
        warn(`${name} is not read by nnU-Net${meant ? `; the name is ${meant}` : ''}`, {
          why: meant ? 'Environment variable names are case-sensitive on Linux and macOS.' : 'No nnU-Net v2 release reads this variable; it may be a typo or a leftover.',
          fix: meant ? `export ${meant}="$${name}"; unset ${name}` : `check the name against nnU-Net's documentation, or unset ${name}`,
          ref: 'nnunet-facts §1 (every os.environ read in nnunetv2/)',
          evidence: { [name]: vars[name] },
        }),
      ];
    });
}

function sortedEntries(vars: Record<string, string>): [string, string][] {
  return Object.entries(vars).sort(([a], [b]) => a.localeCompare(b));
}
