// The sharing blocks (trainer/model/blockLayers.ts) as primitive ONNX ops, following the
// trainer's own computation step by step. Columns travel stacked, [batch, columns, features].
//   parallelDense  y_c = act(x_c W_c + b_c)
//   crossStitch    y_i = sum_j alpha_ij x_j
//   mmoe           out_k = sum_i softmax(x G_k + g_k)_i act(x E_i + e_i)
//   ple            per level: task k mixes its own and the shared experts by its gate; below
//                  the top level the shared output mixes all experts by the shared gate
//   select         column `index`
import { pleLevels } from '../../../core/blockLayers';
import type { Activation, LayerSpec } from '../../../core/spec';
import { activate } from './activations';
import type { LayerContext } from './layerContext';
import { sideBySide } from './matrices';

type Block = Extract<LayerSpec, { type: 'parallelDense' | 'crossStitch' | 'mmoe' | 'ple' | 'select' }>;

export function emitBlock(ctx: LayerContext, l: Block): string {
  switch (l.type) {
    case 'parallelDense': return parallelDense(ctx, l);
    case 'crossStitch': return crossStitch(ctx, l);
    case 'mmoe': return mmoe(ctx, l);
    case 'ple': return ple(ctx, l);
    case 'select':
      return ctx.b.op(l.id, 'Gather', [ctx.inputs[0]!, ctx.b.int64s(`${l.id}/index`, [l.index], [])], { axis: 1 });
  }
}

/**
 * act(x [batch, d] times each matrix of the weight `kernel` [n, d, u], plus `bias` [n, u]):
 * [batch, n, u], as one MatMul against the matrices side by side.
 */
function experts(ctx: LayerContext, x: string, kernel: string, bias: string | undefined, activation: Activation): string {
  const { b } = ctx, id = ctx.layer.id;
  const k = ctx.weight(kernel);
  const [n, d, u] = k.shape as [number, number, number];
  const flat = b.op(id, 'MatMul', [x, b.floats(`${id}/${kernel}`, [d, n * u], sideBySide(k.data, n, d, u))]);
  let y = b.op(id, 'Reshape', [flat, b.int64s(`${id}/shape`, [0, n, u])]);
  if (bias !== undefined) {
    const w = ctx.maybeWeight(bias);
    if (w) y = b.op(id, 'Add', [y, b.floats(`${id}/${bias}`, w.shape, w.data)]);
  }
  return activate(b, id, y, activation);
}

/** x [batch, d] times the [d, m] matrix `kernel[row]` plus `bias[row]`, softmaxed: [batch, m]. */
function gate(ctx: LayerContext, x: string, kernel: string, bias: string, row: number): string {
  const { b } = ctx, id = ctx.layer.id;
  const k = ctx.weight(kernel), g = ctx.weight(bias);
  const [, d, m] = k.shape as [number, number, number];
  const w = b.floats(`${id}/${kernel}_${row}`, [d, m], k.data.subarray(row * d * m, (row + 1) * d * m));
  const gb = b.floats(`${id}/${bias}_${row}`, [m], g.data.subarray(row * m, (row + 1) * m));
  return b.op(id, 'Softmax', [b.op(id, 'Add', [b.op(id, 'MatMul', [x, w]), gb])], { axis: -1 });
}

/** Weighted sum of experts: gates [batch, m], experts [batch, m, u] -> [batch, u]. */
function mix(ctx: LayerContext, gates: string, expertValues: string): string {
  const { b } = ctx, id = ctx.layer.id;
  const row = b.op(id, 'Unsqueeze', [gates, b.int64s(`${id}/axis1`, [1])]);
  return b.op(id, 'Squeeze', [b.op(id, 'MatMul', [row, expertValues]), b.int64s(`${id}/axis1`, [1])]);
}

function parallelDense(ctx: LayerContext, l: Extract<Block, { type: 'parallelDense' }>): string {
  const activation = l.activation ?? 'linear';
  if (ctx.inShapes[0]!.length === 1) return experts(ctx, ctx.inputs[0]!, 'kernel', 'bias', activation);
  // Columns [batch, n, d]: column c times its own kernel [d, u], as [n, batch, d] x [n, d, u].
  const { b } = ctx, id = l.id;
  const k = ctx.weight('kernel');
  const byColumn = b.op(id, 'Transpose', [ctx.inputs[0]!], { perm: [1, 0, 2] });
  const product = b.op(id, 'MatMul', [byColumn, b.floats(`${id}/kernel`, k.shape, k.data)]);
  let y = b.op(id, 'Transpose', [product], { perm: [1, 0, 2] });
  const bias = ctx.maybeWeight('bias');
  if (bias) y = b.op(id, 'Add', [y, b.floats(`${id}/bias`, bias.shape, bias.data)]);
  return activate(b, id, y, activation);
}

function crossStitch(ctx: LayerContext, l: Extract<Block, { type: 'crossStitch' }>): string {
  const { b } = ctx, id = l.id;
  const [n, ...rest] = ctx.inShapes[0]!;
  const alpha = ctx.weight('alpha');
  const alphaConst = b.floats(`${id}/alpha`, alpha.shape, alpha.data);
  // alpha [n, n] times each example's columns [n, features] (MatMul broadcasts over the batch).
  if (rest.length === 1) return b.op(id, 'MatMul', [alphaConst, ctx.inputs[0]!]);
  const flat = b.op(id, 'Reshape', [ctx.inputs[0]!, b.int64s(`${id}/flat`, [0, n!, rest.reduce((x, y) => x * y, 1)])]);
  return b.op(id, 'Reshape', [b.op(id, 'MatMul', [alphaConst, flat]), b.int64s(`${id}/shape`, [0, n!, ...rest])]);
}

function mmoe(ctx: LayerContext, l: Extract<Block, { type: 'mmoe' }>): string {
  const { b } = ctx, id = l.id;
  const x = ctx.inputs[0]!;
  const values = experts(ctx, x, 'experts', 'expert_bias', l.activation ?? 'relu'); // [b, e, u]
  const gateValues = experts(ctx, x, 'gates', 'gate_bias', 'softmax'); // [b, tasks, e]
  return b.op(id, 'MatMul', [gateValues, values]); // [b, tasks, u]
}

function ple(ctx: LayerContext, l: Extract<Block, { type: 'ple' }>): string {
  const { b } = ctx, id = l.id;
  const act = l.activation ?? 'relu';
  const n = l.tasks, levels = pleLevels(l);
  let tasks: string[] = Array.from({ length: n }, () => ctx.inputs[0]!);
  let shared = ctx.inputs[0]!;
  for (let j = 0; j < levels; j++) {
    const own = tasks.map((h, k) => experts(ctx, h, `l${j}_task${k}_experts`, `l${j}_task${k}_bias`, act));
    const common = experts(ctx, shared, `l${j}_shared_experts`, `l${j}_shared_bias`, act);
    const next = tasks.map((h, k) => mix(ctx, gate(ctx, h, `l${j}_gates`, `l${j}_gate_bias`, k), b.op(id, 'Concat', [own[k]!, common], { axis: 1 })));
    if (j < levels - 1) {
      shared = mix(ctx, gate(ctx, shared, `l${j}_shared_gate`, `l${j}_shared_gate_bias`, 0), b.op(id, 'Concat', [...own, common], { axis: 1 }));
    }
    tasks = next;
  }
  const stacked = tasks.map((t) => b.op(id, 'Unsqueeze', [t, b.int64s(`${id}/axis1`, [1])]));
  return stacked.length === 1 ? stacked[0]! : b.op(id, 'Concat', stacked, { axis: 1 });
}
