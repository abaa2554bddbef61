import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { withDeadline } from '../core/deadline.js';
import { defineProbe, failure, type ProbeContext, type Probed } from '../core/index.js';
import { PACKAGE_ROOT } from '../core/version.js';
import { chooseInterpreter, scriptInterpreter } from '../python/interpreter.js';
import type { PythonProbeResult, PythonReport } from '../python/report.js';

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

/** Runs the probe script; returns its one JSON document, or why there is none. */
export async function runProbeScript(
  ctx: ProbeContext,
  command: string,
  mode: { live: boolean; deep?: boolean },
): Promise<Probed<PythonReport & { stderrTail?: string }>> {
  const args = [PROBE_SCRIPT, ...(mode.live ? [] : ['--no-import']), ...(mode.deep ? ['--deep'] : [])];
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
    return failure(`${command} could not run the Python probe: ${why}`, { stderr: stderrTail });
  }
  try {
    return { ok: true, ...(JSON.parse(line) as PythonReport), stderrTail };
  } catch (error) {
    return failure(`the Python probe's output from ${command} is not JSON: ${(error as Error).message}`, { stderr: stderrTail });
  }
}

export const pythonProbe = defineProbe({
  fact: 'python',
  // An upper bound only: the probe's own subprocess deadline (the run's --timeout) decides first.
  timeoutMs: 10 * 60_000,
  async probe(ctx) {
    const choice = await chooseInterpreter(ctx.options.python, ctx.env, ctx.platform);
    if (!choice) return failure('no python3 or python on PATH; activate the environment nnU-Net runs in or pass --python <path>');
    const report = await runProbeScript(ctx, choice.command, { live: true, deep: ctx.options.deep });
    return report.ok ? { ...report, command: choice.command, chosenBy: choice.chosenBy } : report;
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
      info.trainInterpreterReport = await runProbeScript(ctx, interpreter, { live: false });
    }
    return { ok: true, ...info };
  },
});
