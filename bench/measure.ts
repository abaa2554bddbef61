import { spawnSync } from 'node:child_process';
import { median } from '../src/util/math.js';

export interface Timing {
  label: string;
  medianMs: number;
  runsMs: number[];
  ok: boolean;
  note?: string;
}

export interface ProcessSpec {
  label: string;
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Median wall time of fresh processes, after one untimed warm-up each for the file cache. The runs take
 * turns (a, b, c, a, b, c, ...) so a slow spell on a shared machine lands on every peer alike and the
 * ratios between them stay fair.
 */
export function timeProcesses(specs: readonly ProcessSpec[], runs: number): Timing[] {
  const once = ({ file, args, env }: ProcessSpec) => {
    const started = performance.now();
    const r = spawnSync(file, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    return { ms: performance.now() - started, ok: r.status !== null && !r.error, note: r.error?.message ?? (r.status !== 0 ? `exit ${r.status}: ${String(r.stderr).trim().split('\n').pop()}` : undefined) };
  };
  const warm = specs.map(once);
  const runsMs = specs.map(() => [] as number[]);
  for (let i = 0; i < runs; i += 1) specs.forEach((spec, j) => runsMs[j]!.push(once(spec).ms));
  return specs.map((spec, j) => ({ label: spec.label, medianMs: median(runsMs[j]!), runsMs: runsMs[j]!, ok: warm[j]!.ok, note: warm[j]!.note }));
}


export function printTable(rows: Timing[]): void {
  const width = Math.max(...rows.map((r) => r.label.length));
  for (const r of rows) {
    console.log(`  ${r.label.padEnd(width)}  ${r.medianMs.toFixed(0).padStart(6)} ms  (runs: ${r.runsMs.map((m) => m.toFixed(0)).join(', ')})${r.note ? `  [${r.note}]` : ''}`);
  }
}
