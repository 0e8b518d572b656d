// Direct TensorFlow eager ops on the native backend. tfjs-core adds about 30 µs of
// bookkeeping (kernel lookup, tape, reshapes around BatchMatMulV2) to every op; calling
// the TensorFlow op by name through tfjs-node's backend skips it. Tensors made here are
// ordinary tfjs tensors (tracked, disposable, usable inside tf.tidy).
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';

interface Binding { TF_ATTR_TYPE: number; TF_ATTR_BOOL: number; TF_ATTR_INT: number; TF_ATTR_STRING: number; TF_ATTR_FLOAT: number; TF_FLOAT: number; TF_INT32: number; TF_BOOL: number }
export interface OpAttr { name: string; type: number; value: unknown }
export interface NativeBackend {
  binding: Binding;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: TF.Tensor[]): TF.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: TF.Tensor[], n: number): TF.Tensor[];
}

export type NativeOps = ReturnType<typeof nativeOps>;

/** Raw ops on the 'tensorflow' backend; float32 throughout. */
export function nativeOps(tf: Tf) {
  const be = tf.backend() as unknown as NativeBackend;
  const b = be.binding;
  const T: OpAttr = { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT };
  const bool = (name: string, value: boolean): OpAttr => ({ name, type: b.TF_ATTR_BOOL, value });
  const nhwc: OpAttr = { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' };
  const int32Type = (name: string): OpAttr => ({ name, type: b.TF_ATTR_TYPE, value: b.TF_INT32 });
  const one = (name: string, attrs: OpAttr[], inputs: TF.Tensor[]) => be.executeSingleOutput(name, attrs, inputs);
  const unary = (name: string) => (x: TF.Tensor) => one(name, [T], [x]);
  const binary = (name: string) => (x: TF.Tensor, y: TF.Tensor) => one(name, [T], [x, y]);
  const axisCache = new Map<string, TF.Tensor>();
  /** Constants uploaded once and reused: a tensor made per call would cost an upload per step. */
  const cached = (key: string, make: () => TF.Tensor) => {
    let t = axisCache.get(key);
    if (!t) { t = tf.keep(make()); axisCache.set(key, t); }
    return t;
  };
  const constInt = (values: number[]) => cached(`v${values.join(',')}`, () => tf.tensor1d(values, 'int32'));
  const scalarInt = (value: number) => cached(`s${value}`, () => tf.scalar(value, 'int32'));
  const castToFloat = (x: TF.Tensor) => {
    const y = one('Cast', [{ name: 'SrcT', type: b.TF_ATTR_TYPE, value: b.TF_BOOL }, { name: 'DstT', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT }, bool('Truncate', false)], [x]);
    x.dispose();
    return y;
  };
  return {
    matMul: (a: TF.Tensor, w: TF.Tensor, transposeA = false, transposeB = false) =>
      one('MatMul', [T, bool('transpose_a', transposeA), bool('transpose_b', transposeB)], [a, w]),
    biasAdd: (x: TF.Tensor, bias: TF.Tensor) => one('BiasAdd', [T, nhwc], [x, bias]),
    biasAddGrad: (g: TF.Tensor) => one('BiasAddGrad', [T, nhwc], [g]),
    add: binary('AddV2'),
    sub: binary('Sub'),
    mul: binary('Mul'),
    square: unary('Square'),
    // For the optimizers (optimizers.ts) and clipping.
    sqrt: unary('Sqrt'),
    exp: unary('Exp'),
    neg: unary('Neg'),
    div: binary('RealDiv'),
    maximum: binary('Maximum'),
    minimum: binary('Minimum'),
    abs: unary('Abs'),
    relu: unary('Relu'),
    /** ReluGrad(gradients, features): features may be the relu output (same sign pattern). */
    reluGrad: binary('ReluGrad'),
    sigmoid: unary('Sigmoid'),
    /** SigmoidGrad(y, dy) */
    sigmoidGrad: binary('SigmoidGrad'),
    tanh: unary('Tanh'),
    /** TanhGrad(y, dy) */
    tanhGrad: binary('TanhGrad'),
    elu: unary('Elu'),
    /** EluGrad(gradients, outputs) */
    eluGrad: binary('EluGrad'),
    addN: (xs: TF.Tensor[]) => (xs.length === 1 ? xs[0]! : one('AddN', [T, { name: 'N', type: b.TF_ATTR_INT, value: xs.length }], xs)),
    /** Per-example loss and d(loss)/d(logits) in one op. */
    softmaxCrossEntropy: (logits: TF.Tensor, labels: TF.Tensor) => {
      const [loss, backprop] = be.executeMultipleOutputs('SoftmaxCrossEntropyWithLogits', [T], [logits, labels], 2);
      return { loss: loss!, backprop: backprop! };
    },
    concat: (xs: TF.Tensor[], axis: number) =>
      one('ConcatV2', [T, { name: 'N', type: b.TF_ATTR_INT, value: xs.length }, int32Type('Tidx')], [...xs, scalarInt(axis)]),
    reshape: (x: TF.Tensor, shape: number[]) => one('Reshape', [T, int32Type('Tshape')], [x, constInt(shape)]),
    /** Splits `axis` into parts of the given sizes. */
    split: (x: TF.Tensor, sizes: number[], axis: number) =>
      be.executeMultipleOutputs('SplitV', [T, { name: 'num_split', type: b.TF_ATTR_INT, value: sizes.length }, int32Type('Tlen')],
        [x, constInt(sizes), scalarInt(axis)], sizes.length),
    /** Splits the last axis (rank 2) into the given widths. */
    splitColumns: (x: TF.Tensor, widths: number[]) =>
      be.executeMultipleOutputs('SplitV', [T, { name: 'num_split', type: b.TF_ATTR_INT, value: widths.length }, int32Type('Tlen')],
        [x, constInt(widths), scalarInt(1)], widths.length),
    /** Pads [n, 1] logits to [n, 2] with a zero column in front: binary logit -> two-class softmax logits. */
    padLeftColumn: (x: TF.Tensor) =>
      one('Pad', [T, int32Type('Tpaddings')], [x, cached('pad', () => tf.tensor2d([[0, 0], [1, 0]], [2, 2], 'int32'))]),
    /** [n] -> [n, 1] */
    expandColumn: (x: TF.Tensor) => one('ExpandDims', [T, int32Type('Tdim')], [x, scalarInt(1)]),
    /** The mean, or the sum, of all entries: a scalar. */
    meanAll: (x: TF.Tensor) => one('Mean', [T, bool('keep_dims', false), int32Type('Tidx')], [x, constInt(x.shape.map((_, k) => k))]),
    /** Mean over one axis, which goes. */
    mean: (x: TF.Tensor, axis: number) => one('Mean', [T, bool('keep_dims', false), int32Type('Tidx')], [x, scalarInt(axis)]),
    sumAll: (x: TF.Tensor) => one('Sum', [T, bool('keep_dims', false), int32Type('Tidx')], [x, constInt(x.shape.map((_, k) => k))]),
    /** Sum over one axis, which goes. */
    sum: (x: TF.Tensor, axis: number) => one('Sum', [T, bool('keep_dims', false), int32Type('Tidx')], [x, scalarInt(axis)]),
    sign: unary('Sign'),
    /** Sum over one axis, kept as a dimension of size 1. */
    sumKeep: (x: TF.Tensor, axis: number) => one('Sum', [T, bool('keep_dims', true), int32Type('Tidx')], [x, scalarInt(axis)]),
    divNoNan: binary('DivNoNan'),
    /** Scalars (or equal shapes) stacked along a new first axis: several values in one read-back. */
    pack: (xs: TF.Tensor[]) => one('Pack', [T, { name: 'N', type: b.TF_ATTR_INT, value: xs.length }, { name: 'axis', type: b.TF_ATTR_INT, value: 0 }], xs),
    /** 1 where x > y, else 0 (float32): a comparison and its cast in two ops. */
    greaterAsFloat: (x: TF.Tensor, y: TF.Tensor) => castToFloat(one('Greater', [T], [x, y])),
    /** For the layer modules (spatialOps.ts): the backend, and int32 constants uploaded once. */
    raw: { backend: be, constInt },
    dispose: () => { for (const t of axisCache.values()) t.dispose(); axisCache.clear(); },
  };
}
