import { describe, expect, it } from 'vitest';
import { peerGradients, type PeerNetwork } from '../../../bench/peers/torch-peer.js';
import { initWeights, seededRandom, fillNormal } from '../../../src/engine/init.js';
import { describeUNet, type UNetConfig } from '../../../src/engine/unet.js';
import { Trainer } from '../../../src/engine/train/trainer.js';
import { dsWeightsFor } from '../../../src/engine/train/step-graph.js';
import { deepSupervisionFactors } from '../../../src/engine/train/loss.js';

const NET_3D: UNetConfig = {
  name: 'parity3d', dims: 3, inputChannels: 2, numClasses: 3,
  featuresPerStage: [3, 4, 5, 6],
  kernelSizes: [[1, 3, 3], [3, 3, 3], [3, 3, 3], [3, 3, 3]],
  strides: [[1, 1, 1], [2, 2, 2], [1, 2, 2], [2, 2, 2]],
  nConvPerStage: [2, 2, 2, 2], nConvPerStageDecoder: [2, 2, 2],
  deepSupervision: true, patchSize: [8, 16, 16], batchSize: 2, source: 'test',
};

const NET_2D: UNetConfig = {
  name: 'parity2d', dims: 2, inputChannels: 1, numClasses: 3,
  featuresPerStage: [4, 6, 8],
  kernelSizes: [[3, 3], [3, 3], [3, 3]],
  strides: [[1, 1], [2, 2], [2, 2]],
  nConvPerStage: [2, 2, 2], nConvPerStageDecoder: [1, 1],
  deepSupervision: true, patchSize: [16, 16], batchSize: 2, source: 'test',
};

function batchFor(config: UNetConfig, seed: number) {
  const rand = seededRandom(seed);
  const voxels = config.patchSize.reduce((a, b) => a * b, 1) * config.batchSize;
  const input = fillNormal(new Float32Array(voxels * config.inputChannels), 1, rand);
  // Blocky labels so every class is present at every deep-supervision scale.
  const labels = BigInt64Array.from({ length: voxels }, () => BigInt(Math.floor(rand() * config.numClasses)));
  return { input, labels, batchSize: config.batchSize };
}

/** A conv bias in front of InstanceNorm: its gradient is analytically zero. */
const isAbsorbedBias = (name: string) => /\.convs\.\d+\.conv\.bias$/.test(name);

function maxRelError(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(ours[i]! - ref[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return diff / scale;
}

describe.each([NET_3D, NET_2D])('training step of $name against PyTorch float64 autograd', (config) => {
  it('matches the loss, every gradient and the parameters after two SGD steps', async () => {
    const description = describeUNet(config);
    const weights = initWeights(description, 7);
    // Non-trivial norm parameters, so their gradients are exercised away from gamma = 1, beta = 0.
    const rand = seededRandom(3);
    for (const p of description.params) {
      if (p.kind === 'norm.weight' || p.kind === 'norm.bias' || p.kind.endsWith('bias')) {
        const w = weights.get(p.name)!;
        for (let i = 0; i < w.length; i++) w[i] = (p.kind === 'norm.weight' ? 1 : 0) + 0.2 * (rand() - 0.5);
      }
    }
    const batch = batchFor(config, 11);
    const trainer = await Trainer.create(description, weights, { batchSize: config.batchSize, batchDice: config.dims === 2, gradientOutputs: true, providers: ['cpu'] });
    const lrs = [0.01, 0.0099];
    const steps = [await trainer.step(batch.input, batch.labels, lrs[0]!)];
    const firstGrads = new Map(trainer.lastGradients);
    steps.push(await trainer.step(batch.input, batch.labels, lrs[1]!));
    const net: PeerNetwork = { description, weights, dsWeights: dsWeightsFor(description), dsFactors: deepSupervisionFactors(config.strides, description.outputs.length), batchDice: config.dims === 2 };
    const ref = await peerGradients(net, batch, lrs);

    expect(Math.abs(steps[0]!.loss - ref.losses[0]!) / Math.abs(ref.losses[0]!)).toBeLessThan(1e-4);
    expect(Math.abs(steps[1]!.loss - ref.losses[1]!) / Math.abs(ref.losses[1]!)).toBeLessThan(1e-3);
    expect(Math.abs(steps[0]!.gradNorm - ref.totalNorms[0]!) / ref.totalNorms[0]!).toBeLessThan(1e-3);

    // The same parameters have gradients in both (the zero-weight head has none).
    expect([...firstGrads.keys()].sort()).toEqual([...ref.grads.keys()].sort());
    expect(ref.grads.has(`decoder.seg_layers.0.weight`)).toBe(false);
    const gradScale = Math.max(...[...ref.grads.values()].map((g) => Math.max(...g.map(Math.abs))));
    for (const [name, refGrad] of ref.grads) {
      const ours = firstGrads.get(name)!;
      const refMax = Math.max(...refGrad.map(Math.abs));
      if (isAbsorbedBias(name)) {
        // Analytically zero (InstanceNorm absorbs a per-channel constant): rounding noise in both.
        expect(Math.max(...ours.map(Math.abs)), name).toBeLessThan(1e-5 * gradScale);
        continue;
      }
      expect(refMax, name).toBeGreaterThan(0);
      expect(maxRelError(ours, refGrad), name).toBeLessThan(1e-3);
    }
    const newWeights = trainer.weights();
    const newBuffers = trainer.momentumBuffers();
    for (const p of description.params) {
      expect(maxRelError(newWeights.get(p.name)!, ref.params.get(p.name)!), p.name).toBeLessThan(1e-5);
      const refBuffer = ref.buffers.get(p.name);
      const ours = newBuffers.get(p.name)!;
      if (refBuffer && isAbsorbedBias(p.name)) {
        // Weight decay plus rounding noise of an analytically zero gradient: compare on the gradient scale.
        expect(Math.max(...ours.map((v, i) => Math.abs(v - refBuffer[i]!))), p.name).toBeLessThan(1e-5 * gradScale);
      } else if (refBuffer) expect(maxRelError(ours, refBuffer), p.name).toBeLessThan(1e-3);
      else expect(Math.max(...ours.map(Math.abs)), p.name).toBe(0);
    }
    await trainer.release();
  });
});
