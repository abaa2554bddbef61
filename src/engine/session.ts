import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { ProviderName } from './provider-names.js';

export { PROVIDERS, type ProviderName } from './provider-names.js';

export interface ProviderAttempt {
  provider: ProviderName;
  /** Why session creation threw with this provider (a missing shared library, no adapter...). */
  reason: string;
}

export interface SessionOptions {
  /** Tried in order; 'cpu' is always tried last. Default: the platform's GPU provider, then cpu. */
  providers?: readonly ProviderName[];
  /** Default: every core (nnU-Net itself sets torch threads to the core count on CPU). */
  intraOpThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Pre-allocate activation memory in an arena; off for one-shot graphs of very different sizes. */
  memoryArena?: boolean;
  /**
   * Whether idle intra-op threads busy-wait for the next parallel op (onnxruntime's default). Graphs of
   * thousands of small serial nodes (the training step) lose more to a spinning thread on a busy machine
   * than they gain on an idle one.
   */
  spinning?: boolean;
  /**
   * Turns on onnxruntime's per-kernel profiler, writing `<prefix>_<date>.json` when the session calls
   * endProfiling() (read it with ./profile.ts). It times every node, so leave it off for timed runs.
   */
  profilePrefix?: string;
}

export interface CreatedSession {
  session: ort.InferenceSession;
  provider: ProviderName;
  /** Providers that were tried first and failed, with the reason. */
  fallbacks: ProviderAttempt[];
}

/** The GPU provider worth trying first on each platform; WebGPU is opt-in (experimental, noisy). */
export function defaultProviders(platform: NodeJS.Platform = process.platform): ProviderName[] {
  if (platform === 'darwin') return ['coreml', 'cpu'];
  if (platform === 'win32') return ['dml', 'cpu'];
  return ['cuda', 'cpu'];
}

let quieted = false;
/** Native ORT log lines go straight to stderr and would tear through the Ink UI. */
export function quietOrt(): typeof ort {
  if (!quieted) {
    ort.env.logLevel = 'fatal';
    quieted = true;
  }
  return ort;
}

/**
 * Creates a session on the first provider that loads. onnxruntime does not fall back by itself: with
 * ['cuda', 'cpu'] and no CUDA libraries, create() throws (dependencies.md §2), so each provider is tried alone.
 */
export async function createSession(model: Uint8Array, options: SessionOptions = {}): Promise<CreatedSession> {
  quietOrt();
  const wanted = [...(options.providers ?? defaultProviders())];
  if (!wanted.includes('cpu')) wanted.push('cpu');
  const fallbacks: ProviderAttempt[] = [];
  for (const provider of wanted) {
    try {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: [provider],
        graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
        intraOpNumThreads: options.intraOpThreads ?? availableParallelism(),
        interOpNumThreads: 1,
        executionMode: 'sequential',
        enableCpuMemArena: options.memoryArena ?? true,
        logSeverityLevel: 4,
        ...(options.profilePrefix === undefined ? {} : { enableProfiling: true, profileFilePrefix: options.profilePrefix }),
        ...(options.spinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
      });
      return { session, provider, fallbacks };
    } catch (error) {
      fallbacks.push({ provider, reason: firstLine(error) });
    }
  }
  const detail = fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ');
  throw new Error(`no execution provider could create the session (${detail})`);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(/\r?\n/)[0]!.slice(0, 300);
}

/** Wraps a Float32Array as an ORT tensor. */
export function f32Tensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}
