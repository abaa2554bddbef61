import type { ParamSpec, UNetDescription } from './unet.js';
import { product } from '../util/math.js';

export type Weights = Map<string, Float32Array>;

/** He init's negative slope, as nnU-Net passes it: InitWeights_He(1e-2) (dynamic_network_architectures/initialization/weight_init.py). */
export const HE_NEG_SLOPE = 1e-2;

/** mulberry32: a small, fast, seedable PRNG; the weights only need to be reproducible, not torch's. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box-Muller) from a uniform source. */
export function fillNormal(out: Float32Array, std: number, uniform: () => number): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = Math.max(uniform(), 1e-12);
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    const theta = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(theta);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}

/**
 * kaiming_normal_(a=1e-2, mode='fan_in', nonlinearity='leaky_relu') on conv and transposed-conv weights,
 * zero biases, and InstanceNorm's default affine (weight 1, bias 0). PyTorch's fan_in is size(1) times the
 * kernel volume, which for a transposed conv ([Cin, Cout, k]) is Cout x k (describeUNet records it).
 */
export function initWeights(description: UNetDescription, seed = 0): Weights {
  const uniform = seededRandom(seed);
  const gain = Math.sqrt(2 / (1 + HE_NEG_SLOPE ** 2));
  const weights: Weights = new Map();
  for (const p of description.params) weights.set(p.name, initParam(p, gain, uniform));
  return weights;
}

function initParam(p: ParamSpec, gain: number, uniform: () => number): Float32Array {
  const data = new Float32Array(product(p.shape));
  if (p.kind === 'norm.weight') return data.fill(1);
  if (p.fanIn === undefined) return data;
  return fillNormal(data, gain / Math.sqrt(p.fanIn), uniform);
}
