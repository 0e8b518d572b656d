// One layer of the experiment as ONNX nodes, computing what its tfjs-layers layer computes in
// inference (dropout passes its input on; batch normalisation uses the moving statistics).
// Images stay NHWC between layers, as in TensorFlow.js: a convolution or pooling transposes
// to ONNX's NCHW and back, so flatten and dense see the same element order as in training.
import type { LayerSpec } from '../../../core/spec';
import { activate } from './activations';
import { emitBlock } from './blocks';
import { type LayerContext, unsupported } from './layerContext';
import { hwioToOihw } from './matrices';
import { emitRecurrent } from './recurrent';

type Of<T extends LayerSpec['type']> = Extract<LayerSpec, { type: T }>;

export function emitLayer(ctx: LayerContext): string {
  const l = ctx.layer;
  switch (l.type) {
    case 'dense': return dense(ctx, l);
    case 'conv2d': return conv2d(ctx, l);
    case 'maxPooling2d': case 'averagePooling2d': return pool(ctx, l);
    case 'flatten': return ctx.b.op(l.id, 'Flatten', [ctx.inputs[0]!], { axis: 1 });
    case 'reshape': return ctx.b.op(l.id, 'Reshape', [ctx.inputs[0]!, ctx.b.int64s(`${l.id}/shape`, [0, ...l.targetShape])]);
    case 'dropout': return ctx.inputs[0]!;
    case 'batchNormalization': return batchNorm(ctx, l);
    case 'embedding': return ctx.b.op(l.id, 'Gather', [weightConst(ctx, 'embeddings'), ctx.inputs[0]!], { axis: 0 });
    case 'concatenate': return ctx.b.op(l.id, 'Concat', ctx.inputs, { axis: l.axis ?? -1 });
    case 'add': return ctx.b.op(l.id, 'Sum', ctx.inputs);
    case 'lstm': case 'gru': return emitRecurrent(ctx, l);
    case 'parallelDense': case 'crossStitch': case 'mmoe': case 'ple': case 'select': return emitBlock(ctx, l);
    // A type this build does not know (an experiment.json written by a newer version).
    default: throw unsupported(ctx, 'is a layer type this version cannot export to ONNX.');
  }
}

/** A trained weight as a constant named after it. */
export function weightConst(ctx: LayerContext, name: string): string {
  const w = ctx.weight(name);
  return ctx.b.floats(`${ctx.layer.id}/${name}`, w.shape, w.data);
}

function dense(ctx: LayerContext, l: Of<'dense'>): string {
  let y = ctx.b.op(l.id, 'MatMul', [ctx.inputs[0]!, weightConst(ctx, 'kernel')]);
  if (ctx.maybeWeight('bias')) y = ctx.b.op(l.id, 'Add', [y, weightConst(ctx, 'bias')]);
  return activate(ctx.b, l.id, y, l.activation ?? 'linear');
}

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** ONNX pads [top, left, bottom, right] of TensorFlow's padding: "same" puts the odd pixel at the end. */
function pads(ctx: LayerContext, padding: 'valid' | 'same', kernel: [number, number], strides: [number, number]): number[] {
  if (padding === 'valid') return [0, 0, 0, 0];
  const [h, w] = ctx.inShapes[0]!;
  const total = [h!, w!].map((size, k) => Math.max((Math.ceil(size / strides[k]!) - 1) * strides[k]! + kernel[k]! - size, 0));
  return [Math.floor(total[0]! / 2), Math.floor(total[1]! / 2), total[0]! - Math.floor(total[0]! / 2), total[1]! - Math.floor(total[1]! / 2)];
}

/** `make` applied to x in NCHW, with x given and returned in NHWC. */
function inNchw(ctx: LayerContext, make: (nchw: string) => string): string {
  const nchw = ctx.b.op(ctx.layer.id, 'Transpose', [ctx.inputs[0]!], { perm: [0, 3, 1, 2] });
  return ctx.b.op(ctx.layer.id, 'Transpose', [make(nchw)], { perm: [0, 2, 3, 1] });
}

function conv2d(ctx: LayerContext, l: Of<'conv2d'>): string {
  if (ctx.inShapes[0]!.length !== 3) throw unsupported(ctx, `reads a ${ctx.inShapes[0]!.length}-d input; ONNX export handles images [height, width, channels].`);
  const kernel = ctx.weight('kernel');
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const w = ctx.b.floats(`${l.id}/kernel`, [cout, cin, kh, kw], hwioToOihw(kernel.data, kh, kw, cin, cout));
  const strides = pair(l.strides ?? 1);
  const inputs = ctx.maybeWeight('bias') ? [w, weightConst(ctx, 'bias')] : [w];
  const y = inNchw(ctx, (x) => ctx.b.op(l.id, 'Conv', [x, ...inputs], {
    kernel_shape: [kh, kw], strides, pads: pads(ctx, l.padding ?? 'valid', [kh, kw], strides),
  }));
  return activate(ctx.b, l.id, y, l.activation ?? 'linear');
}

function pool(ctx: LayerContext, l: Of<'maxPooling2d' | 'averagePooling2d'>): string {
  if (ctx.inShapes[0]!.length !== 3) throw unsupported(ctx, `reads a ${ctx.inShapes[0]!.length}-d input; ONNX export handles images [height, width, channels].`);
  const size = pair(l.poolSize ?? 2);
  const strides = pair(l.strides ?? size);
  const attributes = { kernel_shape: size, strides, pads: pads(ctx, l.padding ?? 'valid', size, strides) };
  // TensorFlow's average leaves padding out of the count: ONNX's default (count_include_pad 0).
  return inNchw(ctx, (x) => ctx.b.op(l.id, l.type === 'maxPooling2d' ? 'MaxPool' : 'AveragePool', [x], attributes));
}

/** Inference batch norm over the last axis as one multiply and one add: x * g/sqrt(v + eps) + (beta - mean * g/sqrt(v + eps)). */
function batchNorm(ctx: LayerContext, l: Of<'batchNormalization'>): string {
  const gamma = ctx.maybeWeight('gamma'), beta = ctx.maybeWeight('beta');
  const mean = ctx.weight('moving_mean').data, variance = ctx.weight('moving_variance').data;
  const eps = l.epsilon ?? 1e-3;
  const n = mean.length;
  const scale = Float64Array.from({ length: n }, (_, i) => (gamma ? gamma.data[i]! : 1) / Math.sqrt(variance[i]! + eps));
  const shift = Float64Array.from({ length: n }, (_, i) => (beta ? beta.data[i]! : 0) - mean[i]! * scale[i]!);
  const y = ctx.b.op(l.id, 'Mul', [ctx.inputs[0]!, ctx.b.floats(`${l.id}/scale`, [n], scale)]);
  return ctx.b.op(l.id, 'Add', [y, ctx.b.floats(`${l.id}/shift`, [n], shift)]);
}
