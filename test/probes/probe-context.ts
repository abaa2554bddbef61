import { FactStore } from '../../src/core/fact-store.js';
import { builtinProbes } from '../../src/probes/index.js';

/** The real probes on this machine, with a made-up environment. */
export function storeWith(env: NodeJS.ProcessEnv = {}): FactStore {
  return new FactStore({ probes: builtinProbes, options: { probeTimeoutMs: 10_000 }, env });
}
