
export interface CommandOutput {
  ok: true;
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface CommandFailure {
  ok: false;
  reason: string;
  stdout: string;
  stderr: string;
  exitCode?: number;
  signal?: string;
  timedOut: boolean;
  notFound: boolean;
}

export type CommandResult = CommandOutput | CommandFailure;

export interface CommandOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  /** Treat these exit codes as success (some tools exit non-zero with useful output). */
  okExitCodes?: readonly number[];
}

let execaModule: Promise<typeof import('execa')> | undefined;

/**
 * Loads execa (about 150 modules) once. Most runs that print JSON for a few checks never start a process;
 * a full run awaits this before loading its checks, so the Python probe, the run's critical path, starts
 * without waiting for every check module as well.
 */
export function commandRunnerReady(): Promise<typeof import('execa')> {
  execaModule ??= import('execa');
  return execaModule;
}

/**
 * The one way the doctor runs a program: no shell, a hard deadline, and the process tree killed when
 * it is passed (a wedged `nvidia-smi` must never hang a run). Never throws.
 */
export async function runCommand(file: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const { execa } = await commandRunnerReady();
  const subprocess = execa(file, args, {
    timeout: options.timeoutMs,
    // Its own process group on POSIX, so the deadline kills what it started too: a wrapper script's
    // child (a shell around python, `sleep`) would otherwise hold the pipes open long after the kill.
    detached: process.platform !== 'win32',
    forceKillAfterDelay: 500,
    reject: false,
    stripFinalNewline: false,
    extendEnv: options.env === undefined,
    env: options.env,
    cwd: options.cwd,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    windowsHide: true,
    maxBuffer: 32 * 1024 * 1024,
  });
  const groupKill = setTimeout(() => killGroup(subprocess.pid), options.timeoutMs);
  const result = await subprocess.finally(() => clearTimeout(groupKill));
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  const okCodes = options.okExitCodes ?? [0];
  if (!result.failed || (result.exitCode !== undefined && okCodes.includes(result.exitCode) && !result.timedOut)) {
    return { ok: true, stdout, stderr, exitCode: result.exitCode ?? 0 };
  }
  const code = (result as { code?: string }).code;
  const notFound = code === 'ENOENT';
  const reason = result.timedOut
    ? `${file} did not finish within ${(options.timeoutMs / 1000).toFixed(1)} s and was killed`
    : notFound
      ? `${file} was not found`
      : result.signal
        ? `${file} was killed by ${result.signal}`
        : `${file} exited with code ${result.exitCode}${firstLine(stderr) ? `: ${firstLine(stderr)}` : ''}`;
  return {
    ok: false,
    reason,
    stdout,
    stderr,
    exitCode: result.exitCode,
    signal: result.signal ?? undefined,
    timedOut: Boolean(result.timedOut),
    notFound,
  };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined || process.platform === 'win32') return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0]?.slice(0, 200) ?? '';
}
