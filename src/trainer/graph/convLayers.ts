// Convolution, pooling, batch normalisation, flatten and reshape in the fused graph step
// (trainGraph.ts): each layer's forward ops and its backward ops, written into the same
// GraphDef as the dense layers. The ops are the kernels the eager compiled step calls one by
// one (native/conv.ts, pool.ts, batchNorm.ts, reshape.ts); in one graph TensorFlow's Grappler
// may also fuse them (Conv2D + BiasAdd + Relu into _FusedConv2D) and the whole step is one
// session call. The formulas are the tape's, as native/ states them; NHWC, float32.
import type { BatchNormLayer, Conv2dLayer, LayerSpec, Pool2dLayer } from '../../core/spec';
import type { Shape } from '../../core/shapeTypes';
import { pair } from '../native/layer';
import type { Attr, GraphBuilder } from './graphDef';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
const NHWC: Attr = { s: 'NHWC' };

/** The layer types written here. */
const CONV_TYPES = new Set<LayerSpec['type']>(['conv2d', 'maxPooling2d', 'averagePooling2d', 'batchNormalization', 'flatten', 'reshape']);
export const isGraphConvLayer = (l: LayerSpec): boolean => CONV_TYPES.has(l.type);

/** What a layer here needs from the graph it is written into (trainGraph.ts). */
export interface GraphLayerContext {
  g: GraphBuilder;
  /** Declares a variable `layer/part` of this shape (kept in the tfjs layer's property `part`). */
  variable(layer: string, part: string, shape: number[]): void;
  /** The step's read of variable `layer/part`. */
  read(key: string): string;
  /** The resource handle of variable `layer/part` (batch norm assigns its moving statistics). */
  handle(key: string): string;
  int(name: string, shape: number[], values: number[]): string;
  float(name: string, value: number): string;
  /** The layer's L2 coefficient on its kernel (0 for none). */
  l2(l: Conv2dLayer): number;
}

export interface GraphLayer {
  forward(x: string): string;
  /**
   * The layer in inference mode, for evaluation in the session (batch norm by its moving
   * statistics); absent: the layer has no such form here and the model is evaluated eagerly.
   */
  infer?(x: string): string;
  /**
   * From the gradient at the output `gy` (`x`, `y`: the forward's input and output): the
   * gradient at the input when `wantInput`, and each variable's gradient by key.
   */
  backward(gy: string, x: string, y: string, wantInput: boolean): { input?: string; params: Array<[string, string]> };
  /** Assignments the step runs besides the optimizer's (batch norm's moving statistics). */
  stateUpdates: string[];
}

/** Each activation the fused step writes (here and in recurrentLayers.ts): its forward op and its gradient from (gy, y). */
export const ACTIVATIONS: Record<string, { op: string; grad: (g: GraphBuilder, gy: string, y: string, name: string) => string }> = {
  relu: { op: 'Relu', grad: (g, gy, y, name) => g.op('ReluGrad', [gy, y], { T: F }, name) },
  sigmoid: { op: 'Sigmoid', grad: (g, gy, y, name) => g.op('SigmoidGrad', [y, gy], { T: F }, name) },
  tanh: { op: 'Tanh', grad: (g, gy, y, name) => g.op('TanhGrad', [y, gy], { T: F }, name) },
  elu: { op: 'Elu', grad: (g, gy, y, name) => g.op('EluGrad', [gy, y], { T: F }, name) },
};

/** The graph layer for `l` (isGraphConvLayer) on an input of this per-example shape; declares its variables. */
export function graphConvLayer(c: GraphLayerContext, l: LayerSpec, input: Shape, output: Shape): GraphLayer {
  switch (l.type) {
    case 'conv2d': return conv(c, l, input);
    case 'maxPooling2d': case 'averagePooling2d': return pool(c, l);
    case 'batchNormalization': return batchNorm(c, l, input);
    case 'flatten': case 'reshape': return reshape(c, l.id, input, output);
    default: throw new Error(`layer ${l.id} (${l.type}) has no fused graph form`);
  }
}

interface Window { size: [number, number]; strides: [number, number]; padding: 'valid' | 'same' }
/** An int list attr (strides, ksize, dilations). */
const ints = (values: number[]): Attr => ({ list: values });
/** Conv2D's attrs (its two gradient ops take the same) and the pooling ops' without ksize. */
const windowAttrs = (w: Window): Record<string, Attr> => ({
  T: F, strides: ints([1, w.strides[0], w.strides[1], 1]), padding: { s: w.padding === 'same' ? 'SAME' : 'VALID' }, data_format: NHWC,
});

function conv(c: GraphLayerContext, l: Conv2dLayer, input: Shape): GraphLayer {
  const { g } = c;
  const size = pair(l.kernelSize, [1, 1]);
  const w: Window = { size, strides: pair(l.strides, [1, 1]), padding: l.padding ?? 'valid' };
  const filterShape = [size[0], size[1], input[input.length - 1]!, l.filters];
  c.variable(l.id, 'kernel', filterShape);
  const bias = l.useBias !== false;
  if (bias) c.variable(l.id, 'bias', [l.filters]);
  const kernel = c.read(`${l.id}/kernel`);
  const act = ACTIVATIONS[l.activation ?? 'linear'];
  const attrs = { ...windowAttrs(w), use_cudnn_on_gpu: { b: true }, dilations: ints([1, 1, 1, 1]) };
  const forward = (x: string) => {
    const z0 = g.op('Conv2D', [x, kernel], attrs, `${l.id}/conv`);
    const z = bias ? g.op('BiasAdd', [z0, c.read(`${l.id}/bias`)], { T: F, data_format: NHWC }, `${l.id}/biasadd`) : z0;
    return act ? g.op(act.op, [z], { T: F }, `${l.id}/${l.activation}`) : z;
  };
  return {
    forward,
    infer: forward,
    backward(gy, x, y, wantInput) {
      const gz = act ? act.grad(g, gy, y, `${l.id}/${l.activation}_grad`) : gy;
      let kernelGrad = g.op('Conv2DBackpropFilter', [x, c.int(`${l.id}/filter_shape`, [4], filterShape), gz], attrs, `${l.id}/kernel_grad`);
      // d(l2 * sum(W^2))/dW = 2 * l2 * W, as for a dense kernel.
      if (c.l2(l) > 0) kernelGrad = g.op('AddV2', [kernelGrad, g.op('Mul', [kernel, c.float(`${l.id}/decay`, 2 * c.l2(l))], { T: F }, `${l.id}/decay_grad`)], { T: F }, `${l.id}/kernel_grad_l2`);
      const params: Array<[string, string]> = [[`${l.id}/kernel`, kernelGrad]];
      // The bias's gradient as a Sum over batch, rows and columns, not BiasAddGrad: with oneDNN on,
      // TensorFlow fuses BiasAddGrad into the kernel's gradient (one oneDNN primitive) whose bias
      // part is a scalar loop; Eigen's vectorised Sum made the bench's CNN step 8 % cheaper at batch
      // 32 on one thread (4.9 against 5.35 ms of CPU; 3 % at 256; 2026-11-30, rounds interleaved).
      if (bias) params.push([`${l.id}/bias`, g.op('Sum', [gz, c.int(`${l.id}/bias_axes`, [3], [0, 1, 2])], { T: F, Tidx: I32, keep_dims: { b: false } }, `${l.id}/bias_grad`)]);
      // The input's shape holds the batch's size, known only when the step runs.
      const inputGrad = () => g.op('Conv2DBackpropInput', [g.op('Shape', [x], { T: F, out_type: I32 }, `${l.id}/input_shape`), kernel, gz], attrs, `${l.id}/input_grad`);
      return { ...(wantInput ? { input: inputGrad() } : {}), params };
    },
    stateUpdates: [],
  };
}

/** Max and average pooling; the window strides by the pool size unless the spec says otherwise (tfjs-layers). */
function pool(c: GraphLayerContext, l: Pool2dLayer): GraphLayer {
  const { g } = c;
  const size = pair(l.poolSize, [2, 2]);
  const w: Window = { size, strides: pair(l.strides, size), padding: l.padding ?? 'valid' };
  const attrs = { ...windowAttrs(w), ksize: ints([1, size[0], size[1], 1]) };
  const max = l.type === 'maxPooling2d';
  const forward = (x: string) => g.op(max ? 'MaxPool' : 'AvgPool', [x], attrs, `${l.id}/pool`);
  return {
    forward,
    infer: forward,
    backward(gy, x, y, wantInput) {
      if (!wantInput) return { params: [] };
      // MaxPoolGrad sends dy to each window's (first) maximum; AvgPoolGrad spreads it over the window.
      return {
        input: max ? g.op('MaxPoolGrad', [x, y, gy], attrs, `${l.id}/pool_grad`)
          : g.op('AvgPoolGrad', [g.op('Shape', [x], { T: F, out_type: I32 }, `${l.id}/input_shape`), gy], attrs, `${l.id}/pool_grad`),
        params: [],
      };
    },
    stateUpdates: [],
  };
}

/**
 * Training-mode batch norm as tfjs-layers trains it (native/batchNorm.ts): normalised by the
 * batch's mean and biased variance over every axis but the last (FusedBatchNormV3, its
 * reserve outputs 1 and 2), each moving statistic m moved as m - (m - batch value) * (1 -
 * momentum). A rank other than 4 is viewed as [n, (middle axes), 1, c].
 */
function batchNorm(c: GraphLayerContext, l: BatchNormLayer, input: Shape): GraphLayer {
  const { g } = c;
  const channels = input[input.length - 1]!;
  for (const part of ['gamma', 'beta', 'movingMean', 'movingVariance']) c.variable(l.id, part, [channels]);
  const epsilon = l.epsilon ?? 1e-3;
  const attrs: Record<string, Attr> = { T: F, U: F, epsilon: { f: epsilon }, data_format: NHWC, is_training: { b: true } };
  const rank4 = input.length === 3;
  const view = rank4 ? [] : [-1, input.slice(0, -1).reduce((a, b) => a * b, 1), 1, channels];
  const as4d = (t: string, name: string) => (rank4 ? t : g.op('Reshape', [t, c.int(`${l.id}/${name}_shape`, [4], view)], { T: F, Tshape: I32 }, `${l.id}/${name}_4d`));
  const back = (t: string, name: string) => (rank4 ? t : g.op('Reshape', [t, c.int(`${l.id}/${name}_shape`, [input.length + 1], [-1, ...input])], { T: F, Tshape: I32 }, `${l.id}/${name}`));
  const empty = g.constant(`${l.id}/no_statistics`, { dtype: 'float', shape: [0], values: [] });
  let bn = '';
  let x4 = '';
  const stateUpdates: string[] = [];
  return {
    forward(x) {
      x4 = as4d(x, 'x');
      bn = g.op('FusedBatchNormV3', [x4, c.read(`${l.id}/gamma`), c.read(`${l.id}/beta`), empty, empty], { ...attrs, exponential_avg_factor: { f: 1 } }, `${l.id}/bn`);
      const decay = c.float(`${l.id}/decay`, 1 - (l.momentum ?? 0.99));
      // Outputs 3 and 4 (reserve 1 and 2): the batch mean and biased variance (output 2 is Bessel-corrected).
      for (const [part, k] of [['movingMean', 3], ['movingVariance', 4]] as const) {
        const key = `${l.id}/${part}`;
        const delta = g.op('Mul', [g.op('Sub', [c.read(key), `${bn}:${k}`], { T: F }, `${key}/diff`), decay], { T: F }, `${key}/delta`);
        stateUpdates.push(g.op('AssignSubVariableOp', [c.handle(key), delta], { dtype: F }, `${key}/move`));
      }
      return back(bn, 'y');
    },
    infer(x) {
      const stats = ['gamma', 'beta', 'movingMean', 'movingVariance'].map((part) => c.read(`${l.id}/${part}`));
      return back(g.op('FusedBatchNormV3', [as4d(x, 'eval_x'), ...stats], { ...attrs, is_training: { b: false } }, `${l.id}/eval_bn`), 'eval_y');
    },
    backward(gy, _x, _y, wantInput) {
      const grads = g.op('FusedBatchNormGradV3', [as4d(gy, 'dy'), x4, c.read(`${l.id}/gamma`), `${bn}:3`, `${bn}:4`, `${bn}:5`], attrs, `${l.id}/bn_grad`);
      return {
        ...(wantInput ? { input: back(grads, 'dx') } : {}),
        params: [[`${l.id}/gamma`, `${grads}:1`], [`${l.id}/beta`, `${grads}:2`]],
      };
    },
    stateUpdates,
  };
}

/** flatten and reshape: a Reshape to the output's shape, and back to the input's for the gradient. */
function reshape(c: GraphLayerContext, id: string, input: Shape, output: Shape): GraphLayer {
  const { g } = c;
  const to = (t: string, shape: Shape, name: string) => g.op('Reshape', [t, c.int(`${id}/${name}_shape`, [shape.length + 1], [-1, ...shape])], { T: F, Tshape: I32 }, `${id}/${name}`);
  const same = input.length === output.length && input.every((d, k) => d === output[k]);
  const forward = (x: string) => (same ? x : to(x, output, 'reshape'));
  return {
    forward,
    infer: forward,
    backward: (gy, _x, _y, wantInput) => ({ ...(wantInput ? { input: same ? gy : to(gy, input, 'reshape_grad') } : {}), params: [] }),
    stateUpdates: [],
  };
}
