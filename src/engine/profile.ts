/**
 * Where a forward pass spends its time, from onnxruntime's own profiler (SessionOptions.enableProfiling):
 * a Chrome-trace JSON array in which every kernel is an event `<node>_kernel_time` with args.op_name and
 * a duration in microseconds, and every session.run a `model_run` event.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { median } from '../util/math.js';

export interface OrtTraceEvent {
  cat?: string;
  name: string;
  /** Start, microseconds. */
  ts: number;
  /** Duration, microseconds. */
  dur: number;
  args?: { op_name?: string };
}

export interface OpTime {
  opType: string;
  msPerRun: number;
  /** Of the summed kernel time. */
  share: number;
}

/** Kernel time per op type, averaged over the runs after the first `skipRuns` (warm-up) ones; largest first. */
export function opTimes(events: readonly OrtTraceEvent[], skipRuns = 0): OpTime[] {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const counted = runs.length - skipRuns;
  if (counted <= 0) return [];
  const from = skipRuns === 0 ? -Infinity : runs[skipRuns]!.ts;
  const totals = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < from) continue;
    const op = e.args?.op_name ?? '?';
    totals.set(op, (totals.get(op) ?? 0) + e.dur);
  }
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals]
    .map(([opType, us]) => ({ opType, msPerRun: us / 1000 / counted, share: sum > 0 ? us / sum : 0 }))
    .sort((a, b) => b.msPerRun - a.msPerRun);
}

export interface NodeTime {
  opType: string;
  /** Median kernel time over the runs counted. */
  ms: number;
}

/**
 * Kernel time per node (median over the runs after the first `skipRuns`: load from other processes shows
 * up as single spikes), and the median whole run (kernels plus the executor's per-node overhead).
 */
export function nodeTimes(events: readonly OrtTraceEvent[], skipRuns = 0): { nodes: Map<string, NodeTime>; runMs: number } {
  const samples = new Map<string, { opType: string; us: number[] }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const name = e.name.slice(0, -'_kernel_time'.length);
    const entry = samples.get(name) ?? { opType: e.args?.op_name ?? '?', us: [] };
    entry.us.push(e.dur);
    samples.set(name, entry);
  }
  const nodes = new Map<string, NodeTime>();
  for (const [name, { opType, us }] of samples) nodes.set(name, { opType, ms: median(us.slice(skipRuns)) / 1000 });
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  return { nodes, runMs: median(runs.slice(skipRuns).map((e) => e.dur)) / 1000 };
}

/**
 * The events of the newest profile written under `prefix` (SessionOptions.profilePrefix). onnxruntime-node's
 * endProfiling() does not return the file name, and onnxruntime appends a date to the prefix.
 */
export async function readOrtProfile(prefix: string): Promise<OrtTraceEvent[]> {
  const dir = path.dirname(prefix);
  const stem = `${path.basename(prefix)}_`;
  const files = (await readdir(dir)).filter((f) => f.startsWith(stem) && f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no onnxruntime profile ${prefix}_*.json (was endProfiling() called?)`);
  return JSON.parse(await readFile(path.join(dir, files.at(-1)!), 'utf8')) as OrtTraceEvent[];
}
