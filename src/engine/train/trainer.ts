import type * as ort from 'onnxruntime-node';
import type { Weights } from '../init.js';
import { createSession, quietOrt, type ProviderAttempt, type ProviderName } from '../session.js';
import type { UNetDescription } from '../unet.js';
import { buildTrainingStep, type TrainingStepGraph, type TrainingStepOptions } from './step-graph.js';

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
 * outputs to the next step's inputs (onnxruntime-node has no training API; dependencies.md §4).
 */
export class Trainer {
  private params: Map<string, ort.Tensor>;
  /** The parameters the last step started from (its forward ran with these). */
  private previous: Map<string, ort.Tensor>;
  /** The raw gradients of the last step, when the graph was built with `gradientOutputs`. */
  lastGradients = new Map<string, Float32Array>();
  private buffers: Map<string, ort.Tensor>;

  private constructor(
    readonly graph: TrainingStepGraph,
    private readonly session: ort.InferenceSession,
    readonly provider: ProviderName,
    readonly fallbacks: ProviderAttempt[],
    weights: Weights,
  ) {
    const T = quietOrt().Tensor;
    this.params = new Map(graph.params.map((p) => [p.name, new T('float32', Float32Array.from(weights.get(p.name)!), p.shape)]));
    this.previous = this.params;
    this.buffers = new Map(graph.params.map((p) => [p.name, new T('float32', new Float32Array(p.shape.reduce((a, b) => a * b, 1)), p.shape)]));
  }

  static async create(description: UNetDescription, weights: Weights, options: TrainerOptions): Promise<Trainer> {
    const graph = buildTrainingStep(description, options);
    const { session, provider, fallbacks } = await createSession(graph.model, {
      providers: options.providers,
      intraOpThreads: options.intraOpThreads,
      // Measured (bench:train, 2 busy cores): same step time when the machine is idle, ~40% less when busy.
      spinning: false,
    });
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
    };
    if (g.lossScaleName) feeds[g.lossScaleName] = new T('float32', Float32Array.of(lossScale ?? 2 ** 16), []);
    for (const p of g.params) {
      feeds[p.name] = this.params.get(p.name)!;
      feeds[p.buffer] = this.buffers.get(p.name)!;
    }
    const started = performance.now();
    const out = await this.session.run(feeds);
    this.previous = new Map(this.params);
    const durationMs = performance.now() - started;
    for (const p of g.params) {
      const grad = out[`${p.name}.grad`];
      if (grad) this.lastGradients.set(p.name, grad.data as Float32Array);
      this.params.set(p.name, out[p.newParam]!);
      this.buffers.set(p.name, out[p.newBuffer]!);
    }
    return {
      loss: scalarOf(out[g.lossName]!),
      gradNorm: scalarOf(out[g.gradNormName]!),
      outputLosses: g.outputLosses.map((o) => scalarOf(out[o.name]!)),
      skipped: g.foundInfName ? Boolean((out[g.foundInfName]!.data as Uint8Array)[0]) : false,
      durationMs,
    };
  }

  /** The current parameters (copies), e.g. for inference or comparison with PyTorch. */
  weights(): Weights {
    return new Map([...this.params].map(([name, t]) => [name, Float32Array.from(t.data as Float32Array)]));
  }

  /** The parameters before the last step: what its forward pass computed with. */
  weightsBeforeLastStep(): Weights {
    return new Map([...this.previous].map(([name, t]) => [name, Float32Array.from(t.data as Float32Array)]));
  }

  momentumBuffers(): Weights {
    return new Map([...this.buffers].map(([name, t]) => [name, Float32Array.from(t.data as Float32Array)]));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function scalarOf(t: ort.Tensor): number {
  return Number((t.data as Float32Array)[0]);
}
