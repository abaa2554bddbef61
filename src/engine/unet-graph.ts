import { GraphBuilder, type Dim } from './graph.js';
import type { Weights } from './init.js';
import { outputName, type UNetDescription } from './unet.js';

export interface UNetGraphOptions {
  /** Initializers (inference) or 'inputs' (training: parameters are fed and returned each step). */
  weights: Weights | 'inputs';
  /** A fixed batch size, or a symbolic one. */
  batch?: number | 'N';
}

export interface UNetGraph {
  builder: GraphBuilder;
  inputName: string;
  /** Graph output names, full resolution first (seg, seg_ds1, ...). */
  outputNames: string[];
}

/**
 * The forward graph of a described U-Net. Tensor names are the description's, so a training graph can be
 * built by adding backward nodes to `builder` before serialising it.
 */
export function buildUNetGraph(description: UNetDescription, options: UNetGraphOptions): UNetGraph {
  const g = new GraphBuilder(description.config.name);
  const batch: Dim = options.batch ?? 'N';
  const input = g.input(description.input.name, 'float32', [batch, ...description.input.shape]);
  for (const p of description.params) {
    if (options.weights === 'inputs') {
      g.input(p.name, 'float32', p.shape);
    } else {
      const data = options.weights.get(p.name);
      if (!data) throw new Error(`no weights for ${p.name}`);
      g.initializer(p.name, data, p.shape);
    }
  }
  for (const op of description.ops) {
    switch (op.kind) {
      case 'conv':
        g.node('Conv', [op.input, op.weight, op.bias], { kernel_shape: op.kernel, strides: op.stride, pads: op.pads }, [op.output]);
        break;
      case 'convTranspose':
        g.node('ConvTranspose', [op.input, op.weight, op.bias], { kernel_shape: op.kernel, strides: op.stride }, [op.output]);
        break;
      case 'instanceNorm':
        g.node('InstanceNormalization', [op.input, op.scale, op.bias], { epsilon: { float: op.epsilon } }, [op.output]);
        break;
      case 'leakyRelu':
        g.node('LeakyRelu', [op.input], { alpha: { float: op.alpha } }, [op.output]);
        break;
      case 'concat':
        g.node('Concat', op.inputs, { axis: 1 }, [op.output]);
        break;
    }
  }
  const outputNames = description.outputs.map((o) => g.output(o.tensor, { as: outputName(o.scale), shape: [batch, ...o.shape] }));
  return { builder: g, inputName: input, outputNames };
}
