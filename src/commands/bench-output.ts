import { Chalk } from 'chalk';
import type { BenchFact } from '../engine/bench-fact.js';
import { fmtDuration, ITERATIONS_PER_EPOCH, VALIDATION_ITERATIONS_PER_EPOCH } from '../engine/estimates.js';
import { LIMITS_OF_AN_ONNX_BENCHMARK } from '../engine/references.js';
import { fmtBytes, plural } from '../util/format.js';

export interface BarRow {
  label: string;
  value: number;
  /** The measured row, drawn apart from the references. */
  highlight?: boolean;
}

/**
 * Horizontal bars, one per row. Values spanning more than 20x are drawn on a log scale (a CPU epoch can
 * be 100x a GPU's) and the axis says so.
 */
export function barChart(rows: readonly BarRow[], options: { width?: number; unit: string; colorLevel?: 0 | 1 | 2 | 3 }): string[] {
  const c = new Chalk({ level: options.colorLevel ?? 0 });
  const width = options.width ?? 40;
  const values = rows.map((r) => r.value).filter((v) => v > 0);
  if (values.length === 0) return [];
  const max = Math.max(...values);
  const min = Math.min(...values);
  const log = max / min > 20;
  const scale = (v: number) => (log ? Math.log10(v / (min / 2)) / Math.log10(max / (min / 2)) : v / max);
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const lines = rows.map((r) => {
    const n = Math.max(1, Math.round(scale(Math.max(r.value, min)) * width));
    const bar = '█'.repeat(n);
    const value = `${fmtValue(r.value)} ${options.unit}`;
    return `${r.label.padEnd(labelWidth)} ${r.highlight ? c.cyan(bar) : c.dim(bar)} ${value}`;
  });
  if (log) lines.push(c.dim(`${' '.repeat(labelWidth)} (log scale)`));
  return lines;
}

function fmtValue(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2);
}

/** The measurement as text: the same lines in the terminal (coloured) and in plain logs. */
export function renderBench(fact: BenchFact, options: { colorLevel: 0 | 1 | 2 | 3; verbose: boolean }): string {
  const c = new Chalk({ level: options.colorLevel });
  const o = fact.outcome;
  if (o.status === 'invalid-config' || o.status === 'failed') return '';
  const t = o.target;
  const lines: string[] = [c.bold('Network')];
  lines.push(`  ${t.name}: ${t.dims}D PlainConvUNet, ${t.featuresPerStage.length} stages, features ${t.featuresPerStage.join('/')}, patch [${t.patchSize.join(', ')}], batch ${t.batchSize}`);
  lines.push(`  ${(o.cost.parameterCount / 1e6).toFixed(1)} M parameters · ${(o.cost.forward.convFlops / 1e9).toFixed(0)} GFLOP forward, ${(o.cost.trainingStep.convFlops / 1e9).toFixed(0)} GFLOP per training step · ${c.dim(t.source)}`);
  for (const note of o.notes) lines.push(`  ${c.dim(`note: ${note}`)}`);
  if (o.status === 'too-large') return `${lines.join('\n')}\n`;

  lines.push('', c.bold('Measured') + c.dim(` on ${o.provider}, ${o.threads} threads, ${o.timing.iterations} timed iterations after warm-up`));
  const measuredPatch = o.measured.scaledToTarget ? ` (ran at [${o.measured.patchSize.join(', ')}], scaled)` : '';
  lines.push(`  forward pass      ${fmtDuration(o.timing.medianMs / 1000)} per batch of ${o.measured.batchSize} (min ${fmtDuration(o.timing.minMs / 1000)}, max ${fmtDuration(o.timing.maxMs / 1000)})${measuredPatch}`);
  lines.push(`  per patch         ${fmtDuration(o.secondsPerPatch)} at [${t.patchSize.join(', ')}]`);
  lines.push(`  throughput        ${(o.voxelsPerSecond / 1e6).toFixed(2)} Mvoxel/s · ${o.gflops.toFixed(1)} GFLOP/s${o.shareOfPeak === undefined ? '' : ` · ${(o.shareOfPeak * 100).toFixed(0)}% of the estimated peak`}`);
  if (o.peak) lines.push(`  ${c.dim(`peak estimate: ${o.peak.basis} = ${o.peak.gflops.toFixed(0)} GFLOP/s`)}`);
  lines.push(`  memory            ${fmtBytes(o.memoryUsedBytes)} resident growth · estimated peak activations ${fmtBytes(o.measuredCost.inferencePeakActivationBytes)}`);
  lines.push(`  session create    ${fmtDuration(o.sessionCreateMs / 1000)}`);

  lines.push('', c.bold('Estimated'));
  lines.push(`  training step     ${fmtDuration(o.epoch.secondsPerIteration)} (forward x ${o.epoch.trainingToForwardFlopRatio.toFixed(2)} by FLOPs); training memory about ${fmtBytes(o.cost.trainingActivationBytes + o.cost.trainingParameterStateBytes)} in fp32`);
  lines.push(`  epoch             ${fmtDuration(o.epoch.secondsPerEpoch)} (${ITERATIONS_PER_EPOCH} iterations + ${VALIDATION_ITERATIONS_PER_EPOCH} validation) · 1000 epochs: ${fmtDuration(o.epoch.hoursFor1000Epochs * 3600)}`);
  lines.push(`  inference         ${fmtDuration(o.inference.secondsNoMirroring)} for a [${o.inference.caseShape.join(', ')}] case (${plural(o.inference.tiles, 'tile')}, step 0.5) · ${fmtDuration(o.inference.secondsMirrored)} with mirroring`);

  if (o.reference) {
    lines.push('', c.bold('Epoch time') + c.dim(` vs ${o.reference.what}`));
    const rows: BarRow[] = [{ label: 'this machine (est.)', value: o.epoch.secondsPerEpoch, highlight: true }, ...o.reference.references.map((r) => ({ label: r.label, value: r.secondsPerEpoch }))];
    lines.push(...barChart(rows, { unit: 's/epoch', colorLevel: options.colorLevel }).map((l) => `  ${l}`));
  }
  lines.push('', c.bold('What this can and cannot say'));
  for (const line of LIMITS_OF_AN_ONNX_BENCHMARK) lines.push(`  ${c.dim('·')} ${line}`);
  if (options.verbose) lines.push('', c.dim(`  times (ms): ${o.timing.timesMs.map((t) => t.toFixed(0)).join(', ')}`));
  return `${lines.join('\n')}\n`;
}
