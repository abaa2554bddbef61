/**
 * The hardware benchmark: nnU-Net's network as an ONNX graph, timed on the chosen execution provider.
 * A pure engine: configuration, device facts and a progress callback in; a plain result out (the `bench`
 * fact that checks/bench.*.ts judge).
 */
import { checkMemory, estimateCost, type CostEstimate } from './cost.js';
import { estimateEpoch, estimateInference, type EpochEstimate, type InferenceEstimate } from './estimates.js';
import { fillNormal, initWeights, seededRandom } from './init.js';
import type { PeakEstimate } from './peak.js';
import { referencesFor, type ReferenceComparison } from './references.js';
import { createSession, f32Tensor, type ProviderAttempt, type ProviderName } from './session.js';
import { buildUNetGraph } from './unet-graph.js';
import { describeUNet, type UNetConfig } from './unet.js';
import { median, product } from '../util/math.js';

export interface BenchProgress {
  phase: 'build' | 'warmup' | 'timed';
  done: number;
  total: number;
  detail?: string;
}

export interface BenchInput {
  /** The network the estimates are for (from plans, a preset or the planner rules). */
  target: UNetConfig;
  /** Notes about where the configuration came from and what was assumed. */
  configNotes: string[];
  provider: ProviderName;
  /** The peak of each provider's device; the chosen one is reported. */
  peaks: Partial<Record<ProviderName, PeakEstimate>>;
  /** Memory the chosen device can give the benchmark (RAM for cpu, free VRAM for a GPU). */
  availableMemoryBytes: Partial<Record<ProviderName, number>>;
  iterations: number;
  warmup: number;
  threads: number;
  /** Median case shape for the sliding-window estimate (the plans' or dataset's; else the patch). */
  medianCaseShape?: number[];
  /** Largest forward pass (seconds, estimated at 30% of peak) to run as is; bigger ones run a smaller patch. */
  maxForwardSeconds?: number;
  seed?: number;
  onProgress?(p: BenchProgress): void;
}

export interface BenchTiming {
  iterations: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  timesMs: number[];
}

export type BenchResult =
  | {
      status: 'measured';
      target: UNetConfig;
      /** The network that ran: the target, or the target at a smaller patch scaled back up by FLOPs. */
      measured: { patchSize: number[]; batchSize: number; scaledToTarget: boolean };
      notes: string[];
      provider: ProviderName;
      fallbacks: ProviderAttempt[];
      threads: number;
      cost: CostEstimate;
      measuredCost: CostEstimate;
      timing: BenchTiming;
      sessionCreateMs: number;
      /** Forward time of one batch of the target network. */
      forwardSecondsPerBatch: number;
      secondsPerPatch: number;
      voxelsPerSecond: number;
      gflops: number;
      peak?: PeakEstimate;
      /** Achieved convolution GFLOP/s over the estimated peak. */
      shareOfPeak?: number;
      /** Resident memory growth of this process while the session ran. */
      memoryUsedBytes: number;
      inference: InferenceEstimate;
      epoch: EpochEstimate;
      reference?: ReferenceComparison;
    }
  | {
      status: 'too-large';
      target: UNetConfig;
      notes: string[];
      provider: ProviderName;
      cost: CostEstimate;
      neededBytes: number;
      availableBytes: number;
    };

/** Protobuf messages are limited to 2 GiB; weights are stored inside the model. */
export const PROTOBUF_LIMIT_BYTES = 2 ** 31 - 2 ** 24;


/** Halves the largest patch axes while the network stays valid, until the estimated forward time fits. */
export function reducePatch(config: UNetConfig, forwardSeconds: (c: UNetConfig) => number, maxSeconds: number): UNetConfig {
  const totalStride = config.patchSize.map((_, a) => config.strides.reduce((p, s) => p * s[a]!, 1));
  let current = config;
  while (forwardSeconds(current) > maxSeconds) {
    const patch = [...current.patchSize];
    const axis = patch.reduce((best, p, i) => (p / totalStride[i]! > patch[best]! / totalStride[best]! ? i : best), 0);
    if (patch[axis]! / 2 < totalStride[axis]! || (patch[axis]! / 2) % totalStride[axis]! !== 0) break;
    patch[axis] = patch[axis]! / 2;
    current = { ...current, patchSize: patch };
  }
  return current;
}

export async function runBench(input: BenchInput): Promise<BenchResult> {
  const notes = [...input.configNotes];
  const targetDescription = describeUNet(input.target);
  const cost = estimateCost(targetDescription);
  const peak = input.peaks[input.provider];
  const available = input.availableMemoryBytes[input.provider];

  // Run a smaller patch when the target's forward pass would take too long on this device.
  const assumedGflops = (peak?.gflops ?? 50) * 0.3;
  const forwardSeconds = (c: UNetConfig) => estimateCost(describeUNet(c)).forward.convFlops / 1e9 / assumedGflops;
  let config = reducePatch(input.target, forwardSeconds, input.maxForwardSeconds ?? 20);
  let description = config === input.target ? targetDescription : describeUNet(config);
  let measuredCost = config === input.target ? cost : estimateCost(description);
  if (cost.parameterBytes > PROTOBUF_LIMIT_BYTES) {
    notes.push(`its ${(cost.parameterBytes / 2 ** 30).toFixed(1)} GiB of weights exceed the 2 GiB an ONNX protobuf can hold`);
    return { status: 'too-large', target: input.target, notes, provider: input.provider, cost, neededBytes: cost.parameterBytes, availableBytes: PROTOBUF_LIMIT_BYTES };
  }
  if (available !== undefined && !checkMemory(measuredCost, available).fits) {
    // The device is short of memory even for the reduced patch: try halving further before giving up.
    const smaller = reducePatch(config, (c) => checkMemory(estimateCost(describeUNet(c)), available).neededBytes / available, 0.8);
    if (checkMemory(estimateCost(describeUNet(smaller)), available).fits) {
      config = smaller;
      description = describeUNet(config);
      measuredCost = estimateCost(description);
    } else {
      const verdict = checkMemory(measuredCost, available);
      return { status: 'too-large', target: input.target, notes, provider: input.provider, cost, neededBytes: verdict.neededBytes, availableBytes: verdict.availableBytes };
    }
  }
  const scaled = config !== input.target;
  if (scaled) {
    notes.push(`ran the network at patch [${config.patchSize.join(', ')}] and scaled the times to [${input.target.patchSize.join(', ')}] by FLOPs, so the benchmark stays short on this device`);
  }

  input.onProgress?.({ phase: 'build', done: 0, total: 1, detail: 'building the ONNX graph' });
  const rssBefore = process.memoryUsage().rss;
  const weights = initWeights(description, input.seed ?? 0);
  const graph = buildUNetGraph(description, { weights, batch: config.batchSize });
  const bytes = graph.builder.toBytes();
  weights.clear();
  const createStarted = performance.now();
  const { session, provider, fallbacks } = await createSession(bytes, { providers: [input.provider], intraOpThreads: input.threads });
  const sessionCreateMs = performance.now() - createStarted;
  if (provider !== input.provider) notes.push(`${input.provider} could not run the network, so it ran on ${provider}`);
  const inputData = fillNormal(new Float32Array(config.batchSize * product(description.input.shape)), 1, seededRandom((input.seed ?? 0) + 1));
  const feeds = { [graph.inputName]: f32Tensor(inputData, [config.batchSize, ...description.input.shape]) };

  let rssPeak = process.memoryUsage().rss;
  const times: number[] = [];
  const total = input.warmup + input.iterations;
  try {
    for (let i = 0; i < total; i++) {
      const warm = i < input.warmup;
      input.onProgress?.({ phase: warm ? 'warmup' : 'timed', done: i, total, detail: warm ? 'warm-up' : `${times.length}/${input.iterations} timed` });
      const started = performance.now();
      await session.run(feeds);
      const ms = performance.now() - started;
      if (!warm) times.push(ms);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    input.onProgress?.({ phase: 'timed', done: total, total });
  } finally {
    await session.release();
  }

  const medianMs = median(times);
  const flopScale = cost.forward.convFlops / measuredCost.forward.convFlops;
  const forwardSecondsPerBatch = (medianMs / 1000) * flopScale;
  const secondsPerPatch = forwardSecondsPerBatch / input.target.batchSize;
  const gflops = measuredCost.forward.convFlops / 1e9 / (medianMs / 1000);
  const medianCase = input.medianCaseShape ?? (input.target.dims === 3 ? input.target.patchSize : [1, ...input.target.patchSize]);
  return {
    status: 'measured',
    target: input.target,
    measured: { patchSize: config.patchSize, batchSize: config.batchSize, scaledToTarget: scaled },
    notes,
    provider,
    fallbacks,
    threads: input.threads,
    cost,
    measuredCost,
    timing: { iterations: times.length, medianMs, minMs: Math.min(...times), maxMs: Math.max(...times), timesMs: times },
    sessionCreateMs,
    forwardSecondsPerBatch,
    secondsPerPatch,
    voxelsPerSecond: measuredCost.voxelsPerBatch / (medianMs / 1000),
    gflops,
    ...(input.peaks[provider] ? { peak: input.peaks[provider], shareOfPeak: gflops / input.peaks[provider].gflops } : {}),
    memoryUsedBytes: Math.max(0, rssPeak - rssBefore),
    inference: estimateInference(medianCase, input.target.patchSize, secondsPerPatch),
    epoch: estimateEpoch(forwardSecondsPerBatch, cost.trainingStep.convFlops / cost.forward.convFlops),
    reference: referencesFor(input.target.dims, product(input.target.patchSize), input.target.batchSize),
  };
}
