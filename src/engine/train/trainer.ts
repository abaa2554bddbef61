import type * as ort from 'onnxruntime-node';
import type { Weights } from '../init.js';
import { createSession, quietOrt, type ProviderAttempt, type ProviderName } from '../session.js';
import type { UNetDescription } from '../unet.js';
import { product } from '../../util/math.js';
import { buildTrainingStep, type StepParam, type TrainingStepGraph, type TrainingStepOptions } from './step-graph.js';

export interface StepResult {
  /** Total deep-supervised loss (unscaled). */
  loss: number;
  /** Gradient norm before clipping, after unscaling. */
  gradNorm: number;
  /** Per used output, the unweighted loss. */
  outputLosses: number[];
  /** Loss-scaling mode: the step was skipped because a gradient was Inf/NaN. */
  skipped: boolean;
  durationMs: number;
}

export interface TrainerOptions extends TrainingStepOptions {
  providers?: readonly ProviderName[];
  intraOpThreads?: number;
}

/**
 * Runs the training-step graph repeatedly, carrying parameters and momentum buffers from one step's
 * outputs to the next step's inputs (onnxruntime-node has no training API; dependencies.md §4). The
 * trained parameters live in one flat vector; each parameter's own input is a view of it, so a step
 * passes every value once and gets one vector back (step-graph.ts `FlatState`).
 */
export class Trainer {
  private flatParams: Float32Array;
  /** The flat parameters the last step started from (its forward ran with these). */
  private previousFlat: Float32Array;
  private momentum: Float32Array;
  /** Parameters without a gradient (never updated), by name. */
  private readonly frozen: Map<string, Float32Array>;
  /** The raw gradients of the last step, when the graph was built with `gradientOutputs`. */
  lastGradients = new Map<string, Float32Array>();

  private constructor(
    readonly graph: TrainingStepGraph,
    private readonly session: ort.InferenceSession,
    readonly provider: ProviderName,
    readonly fallbacks: ProviderAttempt[],
    weights: Weights,
  ) {
    this.flatParams = new Float32Array(graph.flat.size);
    for (const p of graph.params) if (p.offset !== undefined) this.flatParams.set(weights.get(p.name)!, p.offset);
    this.previousFlat = this.flatParams;
    this.momentum = new Float32Array(graph.flat.size);
    this.frozen = new Map(graph.params.filter((p) => p.offset === undefined).map((p) => [p.name, Float32Array.from(weights.get(p.name)!)]));
  }

  static async create(description: UNetDescription, weights: Weights, options: TrainerOptions): Promise<Trainer> {
    const graph = buildTrainingStep(description, options);
    // Default (spinning) intra-op threads, like the forward sessions bench:train compares with. Measured on
    // 2 busy cores (tiny preset): 7-16% faster steps than without spinning back to back, equal within noise
    // with a pause before each run.
    const { session, provider, fallbacks } = await createSession(graph.model, { providers: options.providers, intraOpThreads: options.intraOpThreads });
    return new Trainer(graph, session, provider, fallbacks, weights);
  }

  /** One optimizer step on a batch: `input` [N, C, ...patch] float32, `labels` [N, 1, ...patch] int64. */
  async step(input: Float32Array, labels: BigInt64Array, lr: number, lossScale?: number): Promise<StepResult> {
    const T = quietOrt().Tensor;
    const g = this.graph;
    const feeds: Record<string, ort.Tensor> = {
      [g.inputName]: new T('float32', input, g.inputShape),
      [g.labelsName]: new T('int64', labels, g.labelsShape),
      [g.lrName]: new T('float32', Float32Array.of(lr), []),
      [g.flat.params]: new T('float32', this.flatParams, [g.flat.size]),
      [g.flat.momentum]: new T('float32', this.momentum, [g.flat.size]),
    };
    if (g.lossScaleName) feeds[g.lossScaleName] = new T('float32', Float32Array.of(lossScale ?? 2 ** 16), []);
    for (const [p, values] of this.parameters(this.flatParams)) feeds[p.name] = new T('float32', values, p.shape);
    const started = performance.now();
    const out = await this.session.run(feeds);
    const durationMs = performance.now() - started;
    this.previousFlat = this.flatParams;
    this.flatParams = out[g.flat.newParams]!.data as Float32Array;
    this.momentum = out[g.flat.newMomentum]!.data as Float32Array;
    for (const p of g.params) {
      const grad = out[`${p.name}.grad`];
      if (grad) this.lastGradients.set(p.name, grad.data as Float32Array);
    }
    return {
      loss: scalarOf(out[g.lossName]!),
      gradNorm: scalarOf(out[g.gradNormName]!),
      outputLosses: g.outputLosses.map((o) => scalarOf(out[o.name]!)),
      skipped: g.foundInfName ? Boolean((out[g.foundInfName]!.data as Uint8Array)[0]) : false,
      durationMs,
    };
  }

  /** Each parameter's values: views of `flat` for the trained ones, the frozen copies for the others. */
  private parameters(flat: Float32Array): [StepParam, Float32Array][] {
    return this.graph.params.map((p) => [p, p.offset === undefined ? this.frozen.get(p.name)! : flat.subarray(p.offset, p.offset + product(p.shape))]);
  }

  /** The current parameters (copies), e.g. for inference or comparison with PyTorch. */
  weights(): Weights {
    return copies(this.parameters(this.flatParams));
  }

  /** The parameters before the last step: what its forward pass computed with. */
  weightsBeforeLastStep(): Weights {
    return copies(this.parameters(this.previousFlat));
  }

  /** Momentum per parameter; zero for the ones without a gradient, as PyTorch never creates theirs. */
  momentumBuffers(): Weights {
    return new Map(this.graph.params.map((p) => [p.name, p.offset === undefined ? new Float32Array(product(p.shape)) : this.momentum.slice(p.offset, p.offset + product(p.shape))]));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function copies(parameters: [StepParam, Float32Array][]): Weights {
  return new Map(parameters.map(([p, values]) => [p.name, Float32Array.from(values)]));
}

function scalarOf(t: ort.Tensor): number {
  return Number((t.data as Float32Array)[0]);
}
