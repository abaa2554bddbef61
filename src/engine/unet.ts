/**
 * nnU-Net's PlainConvUNet as plain data: the architecture (UNetConfig, what a plans file's arch_kwargs say)
 * and its description (describeUNet): every parameter with its shape, and every op in forward order with
 * its tensors and sizes. The ONNX forward graph, the FLOP count and the training graph are all built by
 * walking `ops`, so they cannot disagree about the network.
 *
 * Architecture facts (nnunet-facts.md §5.1; dynamic_network_architectures/architectures/unet.py,
 * building_blocks/plain_conv_encoder.py, building_blocks/unet_decoder.py):
 * - encoder stage s: n_conv_per_stage[s] x (conv -> InstanceNorm(eps 1e-5, affine) -> LeakyReLU(0.01)),
 *   the first conv strided by strides[s] (pool='conv'); padding (k-1)/2; conv_bias True.
 * - decoder stage s (0 = just above the bottleneck): ConvTranspose(kernel = stride = strides[-(s+1)], bias)
 *   -> Concat([up, skip], axis 1) -> n_conv_per_stage_decoder[s] conv blocks with kernel_sizes[-(s+2)]
 *   -> a 1x1 seg head (always built; used only for the last stage unless deep supervision is on).
 * - outputs: full resolution first, then the deep-supervision outputs from fine to coarse.
 * Parameter names are the PyTorch state_dict keys, so checkpoints map 1:1.
 */
import { product } from '../util/math.js';

export interface UNetConfig {
  /** Configuration name, e.g. '3d_fullres'. */
  name: string;
  dims: 2 | 3;
  inputChannels: number;
  numClasses: number;
  featuresPerStage: number[];
  kernelSizes: number[][];
  /** Per stage; the first is all 1s. */
  strides: number[][];
  nConvPerStage: number[];
  /** One entry per decoder stage (n_stages - 1). */
  nConvPerStageDecoder: number[];
  deepSupervision: boolean;
  patchSize: number[];
  batchSize: number;
  /** Where the configuration came from, for reports. */
  source: string;
}

export type ParamKind = 'conv.weight' | 'conv.bias' | 'norm.weight' | 'norm.bias' | 'transp.weight' | 'transp.bias' | 'seg.weight' | 'seg.bias';

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  shape: number[];
  /** Fan-in used by He initialisation (conv and transposed-conv weights). */
  fanIn?: number;
}

interface OpBase {
  /** Output tensor name. */
  output: string;
  /** Output shape without the batch axis: [C, ...spatial]. */
  outShape: number[];
}

/** A convolution or transposed convolution: one input, a weight and a bias. */
interface KernelOpBase extends OpBase {
  input: string;
  inShape: number[];
  weight: string;
  bias: string;
  kernel: number[];
  stride: number[];
}

export interface ConvOp extends KernelOpBase {
  kind: 'conv';
  role: 'encoder' | 'decoder' | 'seg';
  /** ONNX form: all begins then all ends. */
  pads: number[];
}

export interface ConvTransposeOp extends KernelOpBase {
  kind: 'convTranspose';
}

export interface InstanceNormOp extends OpBase {
  kind: 'instanceNorm';
  input: string;
  scale: string;
  bias: string;
  epsilon: number;
}

export interface LeakyReluOp extends OpBase {
  kind: 'leakyRelu';
  input: string;
  alpha: number;
}

export interface ConcatOp extends OpBase {
  kind: 'concat';
  /** [upsampled, skip]: upsampled first, as unet_decoder.py concatenates. */
  inputs: [string, string];
  splitChannels: [number, number];
}

export type UNetOp = ConvOp | ConvTransposeOp | InstanceNormOp | LeakyReluOp | ConcatOp;

export interface UNetOutput {
  /** The seg head's output tensor (logits). */
  tensor: string;
  /** 0 = full resolution; i = the i-th deep-supervision output. */
  scale: number;
  shape: number[];
}

export interface UNetDescription {
  config: UNetConfig;
  params: ParamSpec[];
  parameterCount: number;
  ops: UNetOp[];
  /** Full resolution first; only the first when deep supervision is off. */
  outputs: UNetOutput[];
  input: { name: string; shape: number[] };
}

export const INSTANCE_NORM_EPS = 1e-5;
export const LEAKY_RELU_SLOPE = 0.01;
export const INPUT_NAME = 'data';

export function validateConfig(c: UNetConfig): string[] {
  const problems: string[] = [];
  const n = c.featuresPerStage.length;
  const spatial = c.dims;
  if (n < 2) problems.push(`a U-Net needs at least 2 stages, this one has ${n}`);
  if (c.kernelSizes.length !== n) problems.push(`${c.kernelSizes.length} kernel sizes for ${n} stages`);
  if (c.strides.length !== n) problems.push(`${c.strides.length} strides for ${n} stages`);
  if (c.nConvPerStage.length !== n) problems.push(`${c.nConvPerStage.length} n_conv_per_stage entries for ${n} stages`);
  if (c.nConvPerStageDecoder.length !== n - 1) problems.push(`${c.nConvPerStageDecoder.length} n_conv_per_stage_decoder entries for ${n} stages (need ${n - 1})`);
  if (c.patchSize.length !== spatial) problems.push(`patch size [${c.patchSize.join(', ')}] is not ${spatial}-D`);
  for (const [i, k] of [...c.kernelSizes, ...c.strides].entries()) {
    if (!Array.isArray(k) || k.length !== spatial || k.some((v) => !Number.isInteger(v) || v < 1)) {
      problems.push(`kernel/stride entry ${i} is [${String(k)}], not ${spatial} positive integers`);
    }
  }
  const positive = (v: number) => Number.isInteger(v) && v > 0;
  if (!c.featuresPerStage.every(positive)) problems.push('features_per_stage must be positive integers');
  if (!c.patchSize.every(positive)) problems.push('patch size must be positive integers');
  if (!positive(c.batchSize)) problems.push('batch size must be a positive integer');
  if (!positive(c.inputChannels) || !positive(c.numClasses)) problems.push('input channels and classes must be positive integers');
  if (problems.length === 0) {
    // Every strided axis must divide evenly, or the decoder's upsampled tensor cannot be concatenated.
    const total = c.patchSize.map((_, a) => c.strides.reduce((p, s) => p * s[a]!, 1));
    const bad = c.patchSize.filter((p, a) => p % total[a]! !== 0);
    if (bad.length > 0) problems.push(`patch size [${c.patchSize.join(', ')}] is not divisible by the total stride [${total.join(', ')}]`);
  }
  return problems;
}

export function describeUNet(config: UNetConfig): UNetDescription {
  const problems = validateConfig(config);
  if (problems.length > 0) throw new Error(`invalid network configuration: ${problems.join('; ')}`);
  const params: ParamSpec[] = [];
  const ops: UNetOp[] = [];
  const outputs: UNetOutput[] = [];
  const n = config.featuresPerStage.length;

  const addParam = (name: string, kind: ParamKind, shape: number[], fanIn?: number) => {
    params.push({ name, kind, shape, ...(fanIn === undefined ? {} : { fanIn }) });
    return name;
  };

  /** conv -> norm -> nonlin; returns the activation tensor and its shape. */
  const convBlock = (prefix: string, role: 'encoder' | 'decoder', input: string, inShape: number[], out: number, kernel: number[], stride: number[]) => {
    const inC = inShape[0]!;
    const pad = kernel.map((k) => Math.floor((k - 1) / 2));
    const spatial = inShape.slice(1).map((d, a) => Math.floor((d + 2 * pad[a]! - kernel[a]!) / stride[a]!) + 1);
    const outShape = [out, ...spatial];
    const weight = addParam(`${prefix}.conv.weight`, 'conv.weight', [out, inC, ...kernel], inC * product(kernel));
    const bias = addParam(`${prefix}.conv.bias`, 'conv.bias', [out]);
    const conv = `${prefix}.conv`;
    ops.push({ kind: 'conv', role, input, inShape, weight, bias, kernel, stride, pads: [...pad, ...pad], output: conv, outShape });
    const scale = addParam(`${prefix}.norm.weight`, 'norm.weight', [out]);
    const normBias = addParam(`${prefix}.norm.bias`, 'norm.bias', [out]);
    const norm = `${prefix}.norm`;
    ops.push({ kind: 'instanceNorm', input: conv, scale, bias: normBias, epsilon: INSTANCE_NORM_EPS, output: norm, outShape });
    const act = `${prefix}.nonlin`;
    ops.push({ kind: 'leakyRelu', input: norm, alpha: LEAKY_RELU_SLOPE, output: act, outShape });
    return { tensor: act, shape: outShape };
  };

  const inputShape = [config.inputChannels, ...config.patchSize];
  let current = { tensor: INPUT_NAME, shape: inputShape };
  const skips: { tensor: string; shape: number[] }[] = [];
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < config.nConvPerStage[s]!; i++) {
      const stride = i === 0 ? config.strides[s]! : config.strides[s]!.map(() => 1);
      current = convBlock(`encoder.stages.${s}.0.convs.${i}`, 'encoder', current.tensor, current.shape, config.featuresPerStage[s]!, config.kernelSizes[s]!, stride);
    }
    skips.push(current);
  }

  const decoderOutputs: { tensor: string; shape: number[] }[] = [];
  for (let s = 0; s < n - 1; s++) {
    const below = current;
    const skip = skips[n - 2 - s]!;
    const stride = config.strides[n - 1 - s]!;
    const skipC = skip.shape[0]!;
    const belowC = below.shape[0]!;
    const tWeight = addParam(`decoder.transpconvs.${s}.weight`, 'transp.weight', [belowC, skipC, ...stride], skipC * product(stride));
    const tBias = addParam(`decoder.transpconvs.${s}.bias`, 'transp.bias', [skipC]);
    const upShape = [skipC, ...below.shape.slice(1).map((d, a) => d * stride[a]!)];
    const up = `decoder.transpconvs.${s}`;
    ops.push({ kind: 'convTranspose', input: below.tensor, inShape: below.shape, weight: tWeight, bias: tBias, kernel: stride, stride, output: up, outShape: upShape });
    if (upShape.slice(1).join() !== skip.shape.slice(1).join()) {
      throw new Error(`decoder stage ${s}: upsampled [${upShape.slice(1)}] does not match skip [${skip.shape.slice(1)}]`);
    }
    const catShape = [2 * skipC, ...skip.shape.slice(1)];
    const cat = `decoder.stages.${s}.concat`;
    ops.push({ kind: 'concat', inputs: [up, skip.tensor], splitChannels: [skipC, skipC], output: cat, outShape: catShape });
    current = { tensor: cat, shape: catShape };
    for (let i = 0; i < config.nConvPerStageDecoder[s]!; i++) {
      current = convBlock(`decoder.stages.${s}.convs.${i}`, 'decoder', current.tensor, current.shape, skipC, config.kernelSizes[n - 2 - s]!, config.kernelSizes[0]!.map(() => 1));
    }
    decoderOutputs.push(current);
  }

  // Seg heads exist for every decoder stage (checkpoints carry them); ops only for the outputs used.
  for (let s = 0; s < n - 1; s++) {
    const skipC = skips[n - 2 - s]!.shape[0]!;
    addParam(`decoder.seg_layers.${s}.weight`, 'seg.weight', [config.numClasses, skipC, ...config.kernelSizes[0]!.map(() => 1)], skipC);
    addParam(`decoder.seg_layers.${s}.bias`, 'seg.bias', [config.numClasses]);
  }
  const used = config.deepSupervision ? decoderOutputs.map((_, s) => s) : [n - 2];
  for (const s of used.reverse()) {
    const source = decoderOutputs[s]!;
    const ones = config.kernelSizes[0]!.map(() => 1);
    const zeros = [...ones, ...ones].map(() => 0);
    const shape = [config.numClasses, ...source.shape.slice(1)];
    const tensor = `decoder.seg_layers.${s}`;
    ops.push({
      kind: 'conv', role: 'seg', input: source.tensor, inShape: source.shape, weight: `decoder.seg_layers.${s}.weight`,
      bias: `decoder.seg_layers.${s}.bias`, kernel: ones, stride: ones, pads: zeros, output: tensor, outShape: shape,
    });
    outputs.push({ tensor, scale: n - 2 - s, shape });
  }
  return {
    config,
    params,
    parameterCount: params.reduce((sum, p) => sum + product(p.shape), 0),
    ops,
    outputs,
    input: { name: INPUT_NAME, shape: inputShape },
  };
}

/** Deep-supervision output names in the order the network returns them (full resolution first). */
export function outputName(scale: number): string {
  return scale === 0 ? 'seg' : `seg_ds${scale}`;
}
