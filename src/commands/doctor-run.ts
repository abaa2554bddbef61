import type { Check } from '../core/check.js';
import { FactStore, messageOf, type FactStoreEvents } from '../core/fact-store.js';
import type { Facts } from '../core/facts.js';
import type { DoctorOptions, Probe } from '../core/probe.js';
import { findInstalledPlugins, loadBuiltinChecks, loadPlugin, selectChecks, sortChecks, unknownSelectors } from '../core/registry.js';
import { runChecks, type CheckResult, type RunnerEvents } from '../core/runner.js';
import { builtinProbes } from '../probes/index.js';

export interface DoctorRunInput {
  only: string[];
  skip: string[];
  plugins: string[];
  options: DoctorOptions;
  recorded?: Partial<Facts>;
  /** The recorded facts are a whole machine (--facts): probe nothing here. */
  replay?: boolean;
  events?: RunnerEvents & FactStoreEvents;
  checkTimeoutMs: number;
}

export interface PreparedRun {
  checks: Check[];
  /** Plugins that failed to load, each already turned into a result. */
  pluginErrors: CheckResult[];
  store: FactStore;
}

export class UsageError extends Error {}

/** Loads built-in and plugin checks, applies --only/--skip, and sets up the shared facts. */
export async function prepareRun(input: DoctorRunInput): Promise<PreparedRun> {
  const builtin = await loadBuiltinChecks();
  const specifiers = [
    ...input.plugins.map((s) => ({ s, kind: 'file' as const })),
    ...(await findInstalledPlugins()).map((s) => ({ s, kind: 'package' as const })),
  ];
  const loaded = await Promise.all(
    specifiers.map(({ s, kind }) =>
      loadPlugin(s, kind).then(
        (plugin) => ({ plugin }),
        (error: unknown) => ({ error: messageOf(error).split('\n')[0], source: s }),
      ),
    ),
  );
  const pluginErrors: CheckResult[] = [];
  const pluginChecks: Check[] = [];
  const pluginProbes: Probe[] = [];
  for (const entry of loaded) {
    if ('plugin' in entry) {
      pluginChecks.push(...entry.plugin.checks);
      pluginProbes.push(...entry.plugin.probes);
    } else {
      pluginErrors.push({
        id: 'plugin.load',
        title: `Plugin ${entry.source}`,
        category: 'plugins',
        durationMs: 0,
        findings: [{ status: 'error', summary: `could not load plugin ${entry.source}: ${entry.error}`, fix: 'fix or remove the plugin; the built-in checks ran without it' }],
      });
    }
  }
  const all = sortChecks([...builtin, ...pluginChecks]);
  const unknown = unknownSelectors(all, [...input.only, ...input.skip]);
  if (unknown.length > 0) throw new UsageError(`no check or category matches ${unknown.map((u) => `"${u}"`).join(', ')} (see --list)`);
  const store = new FactStore({
    probes: [...builtinProbes, ...pluginProbes],
    options: input.options,
    recorded: input.recorded,
    replay: input.replay,
    events: input.events,
  });
  return { checks: selectChecks(all, input.only, input.skip), pluginErrors, store };
}

export async function executeRun(run: PreparedRun, input: Pick<DoctorRunInput, 'events' | 'checkTimeoutMs'>, platform: NodeJS.Platform): Promise<CheckResult[]> {
  const results = await runChecks(run.checks, run.store, { platform, checkTimeoutMs: input.checkTimeoutMs, events: input.events });
  return [...results, ...run.pluginErrors];
}
