import path from 'node:path';
import { runCommand } from '../../src/core/exec.js';
import { PACKAGE_ROOT } from '../../src/core/version.js';
import type { Weights } from '../../src/engine/init.js';
import type { UNetDescription } from '../../src/engine/unet.js';

/** Debian's interpreter with torch 1.13 (the pyenv python first on PATH has no torch). */
export const PEER_PYTHON = process.env.NNUNET_DOCTOR_PEER_PYTHON ?? '/usr/bin/python3';
// From the package root: tsc does not copy the script into dist/.
const SCRIPT = path.join(PACKAGE_ROOT, 'bench', 'peers', 'torch_unet.py');

interface Encoded {
  shape: number[];
  dtype: string;
  data: string;
}

function encode(data: Float32Array | BigInt64Array, shape: readonly number[]): Encoded {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { shape: [...shape], dtype: data instanceof Float32Array ? 'float32' : 'int64', data: bytes.toString('base64') };
}

function decode(e: Encoded): Float64Array {
  const bytes = Buffer.from(e.data, 'base64');
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export interface PeerBatch {
  input: Float32Array;
  labels: BigInt64Array;
  batchSize: number;
}

export interface PeerNetwork {
  description: UNetDescription;
  weights: Weights;
  dsWeights: number[];
  dsFactors: number[][];
  batchDice: boolean;
}

function spec(net: PeerNetwork, batch: PeerBatch, extra: Record<string, unknown>) {
  const { description } = net;
  return JSON.stringify({
    dims: description.config.dims,
    ops: description.ops,
    outputs: description.outputs,
    inputName: description.input.name,
    dsWeights: net.dsWeights,
    dsFactors: net.dsFactors,
    batchDice: net.batchDice,
    params: Object.fromEntries(description.params.map((p) => [p.name, encode(net.weights.get(p.name)!, p.shape)])),
    input: encode(batch.input, [batch.batchSize, ...description.input.shape]),
    target: encode(batch.labels, [batch.batchSize, 1, ...description.config.patchSize]),
    ...extra,
  });
}

async function runPeer(input: string, timeoutMs: number): Promise<unknown> {
  const result = await runCommand(PEER_PYTHON, [SCRIPT], { timeoutMs, input });
  if (!result.ok) throw new Error(`PyTorch peer failed: ${result.reason}\n${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout);
}

export interface PeerGradients {
  losses: number[];
  totalNorms: number[];
  grads: Map<string, Float64Array>;
  params: Map<string, Float64Array>;
  buffers: Map<string, Float64Array>;
}

/** float64 autograd: loss, gradients of the first step, parameters and buffers after one step per lr. */
export async function peerGradients(net: PeerNetwork, batch: PeerBatch, lrs: readonly number[]): Promise<PeerGradients> {
  const raw = (await runPeer(spec(net, batch, { mode: 'grad', lr: lrs }), 120_000)) as {
    losses: number[];
    totalNorms: number[];
    grads: Record<string, Encoded>;
    params: Record<string, Encoded>;
    buffers: Record<string, Encoded>;
  };
  const map = (m: Record<string, Encoded>) => new Map(Object.entries(m).map(([k, v]) => [k, decode(v)]));
  return { losses: raw.losses, totalNorms: raw.totalNorms, grads: map(raw.grads), params: map(raw.params), buffers: map(raw.buffers) };
}

export interface PeerTiming {
  threads: number;
  torch: string;
  trainStepMs: number;
  forwardMs: number;
}

/** float32 PyTorch CPU: median training step and forward pass of the same network and batch. */
export async function peerTiming(net: PeerNetwork, batch: PeerBatch, threads: number, repeats: number): Promise<PeerTiming> {
  return (await runPeer(spec(net, batch, { mode: 'bench', threads, repeats }), 600_000)) as PeerTiming;
}
