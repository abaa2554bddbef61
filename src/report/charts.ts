import type { ReportDocument } from './document.js';
import { factsNamed, findSeries, isRecord, type Json } from './fact-search.js';

export interface BarChart {
  kind: 'bar';
  title: string;
  unit: string;
  /** What the bars are compared against, shown under the chart. */
  source: string;
  bars: { label: string; value: number; highlight: boolean }[];
}

export interface LineChart {
  kind: 'line';
  title: string;
  xLabel: string;
  yLabel: string;
  /** Where the numbers came from, shown under the chart. */
  source: string;
  values: number[];
  /** Durations start the axis at 0 so a 2 % wobble does not look like a trend. */
  zeroBased: boolean;
}

/** A chart, or why there is none ("not run"): the report says so instead of leaving a gap. */
export type ChartSlot<T> = { ok: true; chart: T } | { ok: false; placeholder: string };

export interface ReportCharts {
  bench: ChartSlot<BarChart>;
  loss: ChartSlot<LineChart>;
  epochTimes: ChartSlot<LineChart>;
}

export function extractCharts(doc: ReportDocument): ReportCharts {
  const facts = doc.facts as Record<string, Json>;
  return { bench: benchChart(facts), loss: lossChart(facts), epochTimes: epochChart(facts) };
}

/**
 * The bench fact (src/engine/bench-fact.ts): this machine's estimated epoch time next to nnU-Net's published
 * epoch times for the same configuration, when the benchmark measured one that has references.
 */
function benchChart(facts: Record<string, Json>): ChartSlot<BarChart> {
  const outcome = isRecord(facts.bench) && facts.bench.ok !== false ? facts.bench.outcome : undefined;
  const notRun = 'Benchmark not run: `nnunet-doctor bench` measures this machine against nnU-Net’s reference epoch times.';
  if (!isRecord(outcome) || outcome.status !== 'measured') {
    return { ok: false, placeholder: isRecord(outcome) ? `Benchmark ${String(outcome.status)}: ${String(outcome.reason ?? 'no measurement')}` : notRun };
  }
  const epoch = isRecord(outcome.epoch) ? outcome.epoch.secondsPerEpoch : undefined;
  const references = isRecord(outcome.reference) && Array.isArray(outcome.reference.references) ? outcome.reference.references.filter(isRecord) : [];
  if (typeof epoch !== 'number') return { ok: false, placeholder: notRun };
  const bars = [
    { label: 'This machine', value: epoch, highlight: true },
    ...references.map((r) => ({ label: String(r.label), value: Number(r.secondsPerEpoch), highlight: false })),
  ];
  const source = isRecord(outcome.reference) ? `estimate from the ONNX benchmark vs ${String(outcome.reference.what)}` : 'estimate from the ONNX benchmark; no published reference for this configuration';
  return { ok: true, chart: { kind: 'bar', title: 'Seconds per epoch (lower is faster)', unit: 'seconds per epoch', source, bars } };
}

function lossChart(facts: Record<string, Json>): ChartSlot<LineChart> {
  const sanity = factsNamed(facts, /sanity/i);
  const values = findSeries(sanity, /^(losses|loss|lossCurve|steps|history)$/i, /^(loss|trainLoss)$/i);
  if (!values || values.length < 2) {
    return { ok: false, placeholder: 'Sanity training not run: `nnunet-doctor sanity` trains a few steps and plots the loss here.' };
  }
  return { ok: true, chart: { kind: 'line', title: 'Sanity training loss', xLabel: 'step', yLabel: 'loss', source: 'from the sanity run', values, zeroBased: false } };
}

const EPOCH_TIME = /Epoch time:\s*([\d.]+)\s*s/;

function epochChart(facts: Record<string, Json>): ChartSlot<LineChart> {
  // The log explainer's per-epoch records (trainingLog.explanation.training.epochs), or any epoch-time list.
  const logs = factsNamed(facts, /log|training/i);
  const fromFacts = findSeries(logs, /^epochs$/i, /^epochTime(S|Seconds)?$/i) ?? findSeries(logs, /^epochTimes?(S|Seconds)?$/i, /^(seconds|s|value)$/i);
  const values = fromFacts ?? epochTimesFromTail(facts.ticketSources);
  if (!values || values.length < 2) {
    return { ok: false, placeholder: 'No training log with epoch times: pass `--results DIR` (or set nnUNet_results) to plot them.' };
  }
  const source = fromFacts ? 'from the training log' : 'from the last lines of the training log';
  return { ok: true, chart: { kind: 'line', title: 'Epoch times', xLabel: 'epoch', yLabel: 'seconds', source, values, zeroBased: true } };
}

/** nnU-Net prints `Epoch time: 123.45 s` once per epoch (nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py, on_epoch_end). */
function epochTimesFromTail(sources: Json): number[] | undefined {
  const results = isRecord(sources) ? sources.results : undefined;
  const log = isRecord(results) ? results.trainingLog : undefined;
  const tail = isRecord(log) && Array.isArray(log.tail) ? (log.tail as Json[]) : [];
  const values = tail.map((l) => EPOCH_TIME.exec(String(l))?.[1]).filter((v): v is string => v !== undefined).map(Number);
  return values.length > 0 ? values : undefined;
}
