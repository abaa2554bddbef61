import { spawnSync } from 'node:child_process';

export interface Timing {
  label: string;
  medianMs: number;
  runsMs: number[];
  ok: boolean;
  note?: string;
}

/** Median wall time of a fresh process, `runs` times, after one untimed warm-up for the file cache. */
export function timeProcess(label: string, file: string, args: string[], runs: number, env: NodeJS.ProcessEnv = process.env): Timing {
  const once = () => {
    const started = performance.now();
    const r = spawnSync(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    return { ms: performance.now() - started, ok: r.status !== null && !r.error, note: r.error?.message ?? (r.status !== 0 ? `exit ${r.status}: ${String(r.stderr).trim().split('\n').pop()}` : undefined) };
  };
  const warm = once();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i += 1) runsMs.push(once().ms);
  return { label, medianMs: median(runsMs), runsMs, ok: warm.ok, note: warm.note };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function printTable(rows: Timing[]): void {
  const width = Math.max(...rows.map((r) => r.label.length));
  for (const r of rows) {
    console.log(`  ${r.label.padEnd(width)}  ${r.medianMs.toFixed(0).padStart(6)} ms  (runs: ${r.runsMs.map((m) => m.toFixed(0)).join(', ')})${r.note ? `  [${r.note}]` : ''}`);
  }
}
