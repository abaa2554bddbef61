import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { exportTorchOnnx } from '../../bench/peers/torch-forward.js';
import { runCommand } from '../../src/core/exec.js';
import { initWeights, fillNormal, seededRandom } from '../../src/engine/init.js';
import { createSession, f32Tensor } from '../../src/engine/session.js';
import { buildUNetGraph } from '../../src/engine/unet-graph.js';
import { describeUNet, type UNetConfig } from '../../src/engine/unet.js';

const { onnx } = pkg;
const PEER = fileURLToPath(new URL('../../fixtures/engine/unet_torch.py', import.meta.url));
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const small3d: UNetConfig = {
  name: 'small3d', dims: 3, inputChannels: 2, numClasses: 3,
  featuresPerStage: [4, 8, 16],
  // Anisotropic first stages, as the planner makes for thick-slice data.
  kernelSizes: [[1, 3, 3], [3, 3, 3], [3, 3, 3]],
  strides: [[1, 1, 1], [1, 2, 2], [2, 2, 2]],
  nConvPerStage: [2, 2, 2], nConvPerStageDecoder: [2, 1],
  deepSupervision: true, patchSize: [8, 16, 12], batchSize: 2, source: 'test',
};
const small2d: UNetConfig = {
  name: 'small2d', dims: 2, inputChannels: 1, numClasses: 4,
  featuresPerStage: [4, 8, 16, 32],
  kernelSizes: [[3, 3], [3, 3], [3, 3], [3, 3]],
  strides: [[1, 1], [2, 2], [2, 2], [2, 2]],
  nConvPerStage: [2, 2, 2, 2], nConvPerStageDecoder: [2, 2, 2],
  deepSupervision: true, patchSize: [32, 24], batchSize: 3, source: 'test',
};

async function compareWithTorch(config: UNetConfig) {
  const description = describeUNet(config);
  const weights = initWeights(description, 7);
  // Non-trivial norm and bias values, so a swapped scale/bias or a dropped bias shows up.
  const rng = seededRandom(99);
  for (const p of description.params) {
    if (p.kind !== 'conv.weight' && p.kind !== 'transp.weight' && p.kind !== 'seg.weight') {
      const w = weights.get(p.name)!;
      fillNormal(w, 0.3, rng);
      if (p.kind === 'norm.weight') for (let i = 0; i < w.length; i++) w[i]! += 1;
    }
  }
  const batch = config.batchSize;
  const input = fillNormal(new Float32Array(batch * description.input.shape.reduce((a, b) => a * b, 1)), 1, seededRandom(3));

  const { builder, inputName, outputNames } = buildUNetGraph(description, { weights, batch: 'N' });
  const { session } = await createSession(builder.toBytes(), { providers: ['cpu'] });
  const onnxOut = await session.run({ [inputName]: f32Tensor(input, [batch, ...description.input.shape]) });

  const dir = await mkdtemp(path.join(tmpdir(), 'unet-peer-'));
  dirs.push(dir);
  const flat = new Float32Array(description.parameterCount);
  let offset = 0;
  for (const p of description.params) {
    flat.set(weights.get(p.name)!, offset);
    offset += weights.get(p.name)!.length;
  }
  await writeFile(path.join(dir, 'weights.bin'), flat);
  await writeFile(path.join(dir, 'input.bin'), input);
  await writeFile(path.join(dir, 'spec.json'), JSON.stringify({ config, batch, params: description.params }));
  const result = await runCommand('/usr/bin/python3', [PEER, 'forward', dir], { timeoutMs: 120_000 });
  if (!result.ok) throw new Error(`${result.reason}\n${result.stderr}`);

  expect(outputNames).toHaveLength(config.featuresPerStage.length - 1);
  const diffs: number[] = [];
  for (const [i, name] of outputNames.entries()) {
    const ours = onnxOut[name]!;
    expect(ours.dims).toEqual([batch, ...description.outputs[i]!.shape]);
    const buf = await readFile(path.join(dir, `out_${i}.bin`));
    const theirs = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const data = ours.data as Float32Array;
    expect(data.length).toBe(theirs.length);
    let maxDiff = 0;
    let maxAbs = 0;
    for (let j = 0; j < data.length; j++) {
      maxDiff = Math.max(maxDiff, Math.abs(data[j]! - theirs[j]!));
      maxAbs = Math.max(maxAbs, Math.abs(theirs[j]!));
    }
    expect(maxAbs).toBeGreaterThan(0.1); // the outputs are not trivially zero
    diffs.push(maxDiff);
  }
  return diffs;
}

describe('the ONNX PlainConvUNet computes what PyTorch computes', () => {
  it('small 3D config with anisotropic kernels and all deep-supervision outputs', async () => {
    const diffs = await compareWithTorch(small3d);
    for (const d of diffs) expect(d).toBeLessThanOrEqual(1e-4);
  }, 120_000);

  it('small 2D config with all deep-supervision outputs', async () => {
    const diffs = await compareWithTorch(small2d);
    for (const d of diffs) expect(d).toBeLessThanOrEqual(1e-4);
  }, 120_000);

  it('without deep supervision, one full-resolution output', () => {
    const d = describeUNet({ ...small2d, deepSupervision: false });
    const { outputNames } = buildUNetGraph(d, { weights: 'inputs' });
    expect(outputNames).toEqual(['seg']);
    expect(d.outputs[0]!.shape).toEqual([4, 32, 24]);
  });
});

/** What onnxruntime's optimizer and kernels see: op types (renaming Identity left out) and where data lives. */
function graphShape(model: Uint8Array) {
  const graph = onnx.ModelProto.decode(model).graph!;
  const ops: Record<string, number> = {};
  for (const n of graph.node ?? []) if (n.opType !== 'Identity') ops[n.opType!] = (ops[n.opType!] ?? 0) + 1;
  const inputs = (graph.input ?? []).map((i) => ({ name: i.name, dims: i.type?.tensorType?.shape?.dim?.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue))) }));
  return { ops, inputs, initializers: new Set((graph.initializer ?? []).map((t) => t.name)) };
}

describe('the inference graph is what PyTorch\'s own exporter writes', () => {
  // bench:onnx holds us to PyTorch-exported graphs' speed; these are the properties that decide it.
  it('same native ops, weights as initializers (prepacked), static shapes', async () => {
    const description = describeUNet(small3d);
    const { builder } = buildUNetGraph(description, { weights: initWeights(description, 1), batch: small3d.batchSize });
    const ours = graphShape(builder.toBytes());
    const dir = await mkdtemp(path.join(tmpdir(), 'unet-export-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'spec.json'), JSON.stringify(small3d));
    await exportTorchOnnx(path.join(dir, 'spec.json'), path.join(dir, 'torch.onnx'), 120_000);
    const theirs = graphShape(await readFile(path.join(dir, 'torch.onnx')));

    expect(ours.ops).toEqual(theirs.ops);
    expect(ours.ops.InstanceNormalization).toBe(2 * 3 + 3);
    expect(ours.inputs).toEqual([{ name: 'data', dims: [2, 2, 8, 16, 12] }]);
    expect(theirs.inputs).toEqual(ours.inputs);
    for (const p of description.params) expect(ours.initializers).toContain(p.name);
  }, 120_000);

  it('training keeps the weights as graph inputs instead', () => {
    const description = describeUNet(small3d);
    const { inputs, initializers } = graphShape(buildUNetGraph(description, { weights: 'inputs' }).builder.toBytes());
    expect(inputs.map((i) => i.name)).toEqual(['data', ...description.params.map((p) => p.name)]);
    expect(inputs[0]!.dims).toEqual(['N', 2, 8, 16, 12]);
    expect(initializers.size).toBe(0);
  });
});
