// LSTM and GRU layers as ONNX's LSTM and GRU ops. What differs from TensorFlow.js:
// - layout: tfjs keeps kernels as [input, gates * units] with gates side by side, ONNX as
//   [gates * units, input] (transposed); recurrent kernels likewise.
// - gate order: tfjs' LSTM has i, f, c, o; ONNX's LSTM i, o, f, c. GRU is z, r, h in both.
// - tfjs' GRU applies the reset gate before the recurrent matrix (Keras' reset_after=false),
//   ONNX's linear_before_reset=0; it has one bias, which goes in ONNX's input bias (Wb), the
//   recurrent bias (Rb) being zero.
// - tfjs' default recurrent activation is hardSigmoid (clip(0.2 x + 0.5, 0, 1)), not sigmoid.
// - ONNX wants [time, batch, features]; tfjs has [batch, time, features].
import type { LayerSpec } from '../../../core/spec';
import { recurrentActivation } from './activations';
import { type LayerContext, unsupported } from './layerContext';
import { transpose2d } from './matrices';

type Recurrent = Extract<LayerSpec, { type: 'lstm' | 'gru' }>;

/** Gate blocks of tfjs' column order, taken in ONNX's order. */
const ONNX_GATES = { lstm: [0, 3, 1, 2], gru: [0, 1, 2] } as const;

/** A tfjs [rows, gates * units] matrix as ONNX's [1, gates * units, rows], gates reordered. */
function onnxWeights(data: Float32Array, rows: number, units: number, order: readonly number[]): Float32Array {
  const t = transpose2d(data, rows, order.length * units); // [gates * units, rows], tfjs' gate order
  const out = new Float32Array(t.length);
  order.forEach((gate, k) => out.set(t.subarray(gate * units * rows, (gate + 1) * units * rows), k * units * rows));
  return out;
}

export function emitRecurrent(ctx: LayerContext, l: Recurrent): string {
  const { b } = ctx;
  const features = ctx.inShapes[0]![1];
  if (ctx.inShapes[0]!.length !== 2) throw unsupported(ctx, `reads a ${ctx.inShapes[0]!.length}-d input; ONNX export handles sequences [time, features].`);
  const act = recurrentActivation(l.activation ?? 'tanh');
  if (!act) throw unsupported(ctx, `has activation "${l.activation}", which ONNX's ${l.type.toUpperCase()} op does not offer: use tanh, sigmoid, relu, elu, softsign, softplus or linear.`);
  const gate = recurrentActivation('hardSigmoid')!;
  const order = ONNX_GATES[l.type];
  const u = l.units, g = order.length;
  const kernel = ctx.weight('kernel'), recurrent = ctx.weight('recurrent_kernel'), bias = ctx.maybeWeight('bias');
  const w = b.floats(`${l.id}/W`, [1, g * u, features!], onnxWeights(kernel.data, features!, u, order));
  const r = b.floats(`${l.id}/R`, [1, g * u, u], onnxWeights(recurrent.data, u, u, order));
  const biasData = new Float32Array(2 * g * u); // [Wb, Rb]
  if (bias) order.forEach((gateIndex, k) => biasData.set(bias.data.subarray(gateIndex * u, (gateIndex + 1) * u), k * u));
  const bAll = b.floats(`${l.id}/B`, [1, 2 * g * u], biasData);
  const x = b.op(l.id, 'Transpose', [ctx.inputs[0]!], { perm: [1, 0, 2] });
  // LSTM: f (gates), g (cell input), h (cell output); GRU: f (gates), g (candidate).
  const acts = l.type === 'lstm' ? [gate, act, act] : [gate, act];
  const [y, yH] = b.opN(l.id, l.type === 'lstm' ? 'LSTM' : 'GRU', [x, w, r, bAll], 2, {
    hidden_size: u,
    activations: { strings: acts.map((a) => a.name) },
    activation_alpha: { floats: acts.map((a) => a.alpha) },
    activation_beta: { floats: acts.map((a) => a.beta) },
    ...(l.type === 'gru' ? { linear_before_reset: 0 } : {}),
  });
  if (l.returnSequences) {
    // Y: [time, directions = 1, batch, units] -> [batch, time, units]
    const seq = b.op(l.id, 'Squeeze', [y!, b.int64s(`${l.id}/axis1`, [1])]);
    return b.op(l.id, 'Transpose', [seq], { perm: [1, 0, 2] });
  }
  // Y_h: [directions = 1, batch, units] -> [batch, units]
  return b.op(l.id, 'Squeeze', [yH!, b.int64s(`${l.id}/axis0`, [0])]);
}
