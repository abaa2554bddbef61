import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { withDeadline } from '../core/deadline.js';
import { defineProbe, failure, type ProbeContext, type Probed } from '../core/index.js';
import { PACKAGE_ROOT } from '../core/version.js';
import { chooseInterpreter, scriptInterpreter } from '../python/interpreter.js';
import { joinReports, type ImportFailure, type PythonImportsReport, type PythonProbeResult, type PythonReport } from '../python/report.js';

/** Shipped with the package (sources and dist/ share PACKAGE_ROOT). */
export const PROBE_SCRIPT = path.join(PACKAGE_ROOT, 'src', 'probes', 'python', 'nnunet_doctor_probe.py');

/** The conv3d benchmark behind --deep runs inside the same interpreter launch; give it room. */
const DEEP_EXTRA_MS = 60_000;

export interface EntrypointCommand {
  name: string;
  path: string;
}

export interface EntrypointsInfo {
  /** `nnUNetv2_*` commands on PATH, the first of each name as a shell finds it. */
  commands: EntrypointCommand[];
  /** `nnUNetv2_train` and the interpreter its first line names. */
  train?: { path: string; interpreter?: string };
  /** The interpreter the `python` fact probed. */
  probedCommand?: string;
  /** A metadata-only report of the train script's interpreter, when it is not the probed one. */
  trainInterpreterReport?: Probed<PythonReport>;
}

declare module '../core/facts.js' {
  interface Facts {
    /** The Python nnU-Net runs under: versions, PyTorch (imported live), nnU-Net's install. */
    python: Probed<PythonProbeResult>;
    /** nnU-Net's console scripts on PATH and the interpreter they run under. */
    nnunetEntrypoints: Probed<EntrypointsInfo>;
  }
}

type ProbeOutput<T> = Probed<T & { stderrTail?: string }>;

/** Runs the probe script in one of its modes; returns its one JSON document, or why there is none. */
export async function runProbeScript<T extends PythonReport | PythonImportsReport>(
  ctx: ProbeContext,
  command: string,
  mode: { imports: boolean; deep?: boolean },
): Promise<ProbeOutput<T>> {
  const args = [PROBE_SCRIPT, ...(mode.imports ? ['--imports'] : []), ...(mode.deep ? ['--deep'] : [])];
  const timeoutMs = ctx.options.probeTimeoutMs + (mode.deep ? DEEP_EXTRA_MS : 0);
  const run = await ctx.exec(command, args, {
    timeoutMs,
    env: { ...ctx.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
  });
  const stderrTail = run.stderr.trim().slice(-4000) || undefined;
  if (!run.ok && run.timedOut) return failure(`${command} did not finish the Python probe within ${(timeoutMs / 1000).toFixed(0)} s (importing torch hung?)`, { timedOut: true, stderr: stderrTail });
  const line = run.stdout.split(/\r?\n/).reverse().find((l) => l.startsWith('{'));
  if (!line) {
    // A Python traceback's last line names the error; the first only says "Traceback".
    const lastLine = run.stderr.trim().split(/\r?\n/).pop()?.trim();
    const why = run.ok ? 'printed no report' : run.notFound ? run.reason : lastLine || run.reason;
    return failure(`${command} could not run the Python probe: ${why}`, { stderr: stderrTail, signal: run.ok ? undefined : run.signal });
  }
  try {
    return { ok: true, ...(JSON.parse(line) as T), stderrTail };
  } catch (error) {
    return failure(`the Python probe's output from ${command} is not JSON: ${(error as Error).message}`, { stderr: stderrTail });
  }
}

/** A live import that ended without a report (a hang, a segfault in a CUDA library) is still a finding about torch. */
function importFailureOf(run: Extract<ProbeOutput<PythonImportsReport>, { ok: false }>): ImportFailure {
  if (run.timedOut) return { ok: false, errorType: 'Timeout', message: run.reason };
  if (run.signal) return { ok: false, errorType: run.signal, message: `the interpreter was killed by ${run.signal} while importing torch` };
  return { ok: false, errorType: 'ProbeError', message: run.reason };
}

export const pythonProbe = defineProbe({
  fact: 'python',
  // An upper bound only: the probe's own subprocess deadline (the run's --timeout) decides first.
  timeoutMs: 10 * 60_000,
  async probe(ctx) {
    const choice = await chooseInterpreter(ctx.options.python, ctx.env, ctx.platform);
    if (!choice) return failure('no python3 or python on PATH; activate the environment nnU-Net runs in or pass --python <path>');
    // The import is the long half: it starts first.
    const [imports, metadata] = await Promise.all([
      runProbeScript<PythonImportsReport>(ctx, choice.command, { imports: true, deep: ctx.options.deep }),
      runProbeScript<PythonReport>(ctx, choice.command, { imports: false }),
    ]);
    if (!metadata.ok) return metadata;
    const live = imports.ok ? imports : { torchImport: importFailureOf(imports), nnunetImport: null };
    return {
      ok: true,
      ...joinReports(metadata, live),
      // Import-time warnings (the NumPy 1/2 ABI message) come from the live half.
      stderrTail: (imports.ok ? imports.stderrTail : imports.stderr) ?? metadata.stderrTail,
      command: choice.command,
      chosenBy: choice.chosenBy,
    };
  },
});

const PATH_DIR_DEADLINE_MS = 5000;

async function listEntrypoints(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<EntrypointCommand[]> {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const found = new Map<string, string>();
  for (const dir of dirs) {
    // A stale network mount on PATH (common on clusters) must not hold the run: skip what does not answer.
    const names = await withDeadline(readdir(dir), PATH_DIR_DEADLINE_MS).catch(() => [] as string[]);
    for (const file of names) {
      const match = /^(nnUNetv2_\w+?)(\.exe)?$/i.exec(file);
      if (match && !found.has(match[1]!)) found.set(match[1]!, path.join(dir, file));
    }
  }
  return [...found].map(([name, file]) => ({ name, path: file })).sort((a, b) => a.name.localeCompare(b.name));
}

export const entrypointsProbe = defineProbe({
  fact: 'nnunetEntrypoints',
  timeoutMs: 10 * 60_000,
  async probe(ctx) {
    const [commands, choice] = await Promise.all([
      listEntrypoints(ctx.env, ctx.platform),
      chooseInterpreter(ctx.options.python, ctx.env, ctx.platform),
    ]);
    const trainPath = commands.find((c) => c.name === 'nnUNetv2_train')?.path;
    const info: EntrypointsInfo = { commands, probedCommand: choice?.command };
    if (!trainPath) return { ok: true, ...info };
    const interpreter = await withDeadline(scriptInterpreter(trainPath, ctx.env, ctx.platform), PATH_DIR_DEADLINE_MS).catch(() => undefined);
    info.train = { path: trainPath, interpreter };
    // A second interpreter launch only when the script names another path (metadata only: ~0.1 s, no torch import).
    if (interpreter && interpreter !== choice?.command) {
      info.trainInterpreterReport = await runProbeScript<PythonReport>(ctx, interpreter, { imports: false });
    }
    return { ok: true, ...info };
  },
});
