/** The bench command's work, loaded only when `bench` runs: probe, measure, judge. */
import { messageOf, FactStore } from '../core/fact-store.js';
import { loadBuiltinChecks, selectChecks } from '../core/registry.js';
import { runChecks } from '../core/runner.js';
import { resolveBenchConfig } from '../engine/bench-config.js';
import type { BenchFact } from '../engine/bench-fact.js';
import { runBench } from '../engine/bench.js';
import { deviceView, readClockMhz } from '../engine/device.js';
import { bestProvider, probeProviders } from '../engine/providers.js';
import { builtinProbes } from '../probes/index.js';
import { buildReport, type ReportDocument } from '../report/document.js';
import type { ProgressHandle } from '../ui/progress.js';
import type { OutputMode } from '../ui/mode.js';
import { BENCH_SCHEMA, type BenchFlags } from './bench.js';

export interface BenchDocument {
  schema: typeof BENCH_SCHEMA;
  tool: { name: 'nnunet-doctor'; version: string };
  createdAt: string;
  platform: ReportDocument['platform'];
  /** The fact itself (ok: true), so `check --facts bench.json --only bench` replays the verdicts. */
  bench: { ok: true } & BenchFact;
  results: ReportDocument['results'];
  summary: ReportDocument['summary'];
}

export async function executeBench(flags: BenchFlags, mode: OutputMode): Promise<{ fact: BenchFact; report: ReportDocument; document: BenchDocument }> {
  const started = performance.now();
  const options = { probeTimeoutMs: 30_000 };
  const store = new FactStore({ probes: builtinProbes, options });
  const [cpu, memory, gpu, resolved, probe, clockMhz] = await Promise.all([
    store.get('cpu'),
    store.get('memory'),
    store.get('gpu'),
    resolveBenchConfig(flags, process.env),
    probeProviders(),
    readClockMhz(),
  ]);
  const device = deviceView({ cpu, memory, gpu }, { threads: flags.threads, clockMhz });
  let outcome: BenchFact['outcome'];
  if (resolved.status === 'invalid-config') {
    outcome = resolved;
  } else {
    const progress = mode === 'ink' ? await inkProgress(`Benchmarking ${resolved.config.name}`) : silentProgress;
    try {
      outcome = await runBench({
        target: resolved.config,
        configNotes: resolved.notes,
        provider: flags.provider ?? bestProvider(probe.statuses),
        peaks: device.peaks,
        availableMemoryBytes: device.availableMemoryBytes,
        iterations: flags.iterations,
        warmup: flags.warmup,
        threads: device.threads,
        medianCaseShape: resolved.medianCaseShape,
        onProgress: (p) => progress.update({ done: p.done, total: p.total, unit: 'passes', detail: p.detail }),
      });
    } catch (error) {
      outcome = { status: 'failed', reason: messageOf(error) };
    } finally {
      await progress.stop();
    }
  }
  const fact: BenchFact = { outcome, providers: probe.statuses, nvidiaGpus: device.nvidiaGpus, ...(probe.ok ? {} : { providerProbeFailure: probe.reason }) };
  const checks = selectChecks(await loadBuiltinChecks(), ['bench'], []);
  const judge = new FactStore({ probes: [], options, recorded: { bench: { ok: true, ...fact } } });
  const results = await runChecks(checks, judge, { platform: process.platform, checkTimeoutMs: 10_000 });
  const report = buildReport({
    command: 'bench',
    results,
    failOn: flags.failOn,
    facts: { bench: { ok: true, ...fact } },
    probeDurationsMs: store.durationsMs,
    durationMs: performance.now() - started,
  });
  const document: BenchDocument = {
    schema: BENCH_SCHEMA,
    tool: report.tool,
    createdAt: report.createdAt,
    platform: report.platform,
    bench: { ok: true, ...fact },
    results: report.results,
    summary: report.summary,
  };
  return { fact, report, document };
}

// Ink is loaded only in ink mode: --json and plain stay fast to start.
const silentProgress: Pick<ProgressHandle, 'update' | 'stop'> = { update() {}, async stop() {} };

async function inkProgress(title: string): Promise<Pick<ProgressHandle, 'update' | 'stop'>> {
  const { startProgress } = await import('../ui/progress.js');
  return startProgress(title);
}
