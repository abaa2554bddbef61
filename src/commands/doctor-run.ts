import type { Check } from '../core/check.js';
import { commandRunnerReady } from '../core/exec.js';
import { FactStore, messageOf, type FactStoreEvents } from '../core/fact-store.js';
import type { FactName, Facts } from '../core/facts.js';
import type { DoctorOptions, Probe } from '../core/probe.js';
import { duplicateIds, findInstalledPlugins, loadBuiltinChecks, loadPlugin, selectChecks, sortChecks, unknownSelectors } from '../core/registry.js';
import { runChecks, type CheckResult, type RunnerEvents } from '../core/runner.js';
import { pythonProbe } from '../probes/python.js';
import { UsageError } from './usage-error.js';

export interface DoctorRunInput {
  only: string[];
  skip: string[];
  plugins: string[];
  options: DoctorOptions;
  recorded?: Partial<Facts>;
  /** The recorded facts are a whole machine (--facts): probe nothing about this one. */
  replay?: boolean;
  events?: RunnerEvents & FactStoreEvents;
  checkTimeoutMs: number;
}

export interface PreparedRun {
  /** What runs now. */
  checks: Check[];
  /** Every check --only/--skip select, including on-demand ones that have nothing to judge yet. */
  selected: Check[];
  /** Plugins that failed to load, or reused a check id, each already turned into a result. */
  pluginErrors: CheckResult[];
  store: FactStore;
}

/**
 * Facts that come from work `check` does not start by itself (a dataset scan, a benchmark, a sanity
 * training). Their checks join a run only when the fact is at hand or the user names them with --only, so
 * a plain `check` is not padded with rows that could only say "not run".
 */
const ON_DEMAND_FACTS: Partial<Record<FactName, (input: DoctorRunInput) => boolean>> = {
  dataset: (input) => Boolean(input.options.dataset),
  bench: () => false,
  sanity: () => false,
};

/** Facts about files named on the command line (--dataset, --results), read here even when replaying. */
const FILE_FACTS: readonly FactName[] = ['dataset', 'trainingLog', 'ticketSources'];

function isAtHand(check: Check, input: DoctorRunInput): boolean {
  return check.needs.every((name) => {
    const requested = ON_DEMAND_FACTS[name];
    return !requested || requested(input) || input.recorded?.[name] !== undefined;
  });
}

/** The OS whose rules apply: the recorded machine's when replaying one (a Linux report judged on a Mac). */
function judgedPlatform(input: Pick<DoctorRunInput, 'recorded' | 'replay'>): NodeJS.Platform {
  const os = input.replay ? input.recorded?.os : undefined;
  return os?.ok ? os.platform : process.platform;
}

/** Loads built-in and plugin checks, applies --only/--skip, and sets up the shared facts. */
export async function prepareRun(input: DoctorRunInput): Promise<PreparedRun> {
  const store = new FactStore({
    probes: [pythonProbe],
    options: input.options,
    recorded: input.recorded,
    replay: input.replay ? { liveFacts: FILE_FACTS } : undefined,
    events: input.events,
  });
  // Importing torch is the floor of a full run (1-2 s): start it before the other probes and the checks
  // are even loaded, so their modules do not hold the main thread while execa's load for the spawn.
  if (input.only.length === 0 && !input.replay) {
    void store.get('python');
    await commandRunnerReady();
  }
  store.addProbes((await import('../probes/index.js')).builtinProbes);
  const specifiers = [
    ...input.plugins.map((s) => ({ s, kind: 'file' as const })),
    ...(await findInstalledPlugins()).map((s) => ({ s, kind: 'package' as const })),
  ];
  const [builtin, loaded] = await Promise.all([
    loadBuiltinChecks(),
    Promise.all(
      specifiers.map(({ s, kind }) =>
        loadPlugin(s, kind).then(
          (plugin) => ({ plugin }),
          (error: unknown) => ({ error: messageOf(error).split('\n')[0], source: s }),
        ),
      ),
    ),
  ]);
  const pluginErrors: CheckResult[] = [];
  const pluginChecks: Check[] = [];
  const pluginProbes: Probe[] = [];
  for (const entry of loaded) {
    if ('plugin' in entry) {
      pluginChecks.push(...entry.plugin.checks);
      pluginProbes.push(...entry.plugin.probes);
    } else {
      pluginErrors.push(pluginError(`Plugin ${entry.source}`, `could not load plugin ${entry.source}: ${entry.error}`, 'fix or remove the plugin; the built-in checks ran without it'));
    }
  }
  // A plugin may not take over a built-in id (or another plugin's): tickets and --only rely on ids.
  for (const id of duplicateIds([...builtin, ...pluginChecks])) {
    pluginErrors.push(pluginError(`Plugin check ${id}`, `a plugin defines the check id "${id}" again; only the first one runs`, 'give the plugin check its own id (e.g. lab.<name>)'));
  }
  const seen = new Set<string>();
  const all = sortChecks([...builtin, ...pluginChecks].filter((c) => !seen.has(c.id) && seen.add(c.id)));
  const unknown = unknownSelectors(all, [...input.only, ...input.skip]);
  if (unknown.length > 0) throw new UsageError(`no check or category matches ${unknown.map((u) => `"${u}"`).join(', ')} (see --list)`);
  store.addProbes(pluginProbes);
  const selected = selectChecks(all, input.only, input.skip);
  const checks = input.only.length > 0 ? selected : selected.filter((c) => isAtHand(c, input));
  return { checks, selected, pluginErrors, store };
}

function pluginError(title: string, summary: string, fix: string): CheckResult {
  return { id: 'plugin.load', title, category: 'plugins', durationMs: 0, findings: [{ status: 'error', summary, fix }] };
}

export async function executeRun(run: PreparedRun, input: Pick<DoctorRunInput, 'events' | 'checkTimeoutMs' | 'recorded' | 'replay'>): Promise<CheckResult[]> {
  const results = await runChecks(run.checks, run.store, { platform: judgedPlatform(input), checkTimeoutMs: input.checkTimeoutMs, events: input.events });
  return [...results, ...run.pluginErrors];
}
