// Raw TensorFlow ops for the compiled step's sharing blocks (parallelDense.ts, crossStitch.ts,
// mmoe.ts, ple.ts, select.ts), called by name as ops.ts calls the dense ones. Blocks carry
// their columns stacked, [n, columns, features]: one Einsum per product over the columns
// (TensorFlow turns it into one batched MatMul with the transposes it needs), where tfjs-core's
// path (blockLayers.ts) dispatches a transpose, a reshape and a MatMul each with its own
// bookkeeping. Float32 throughout.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { NativeOps, OpAttr } from './ops';

export type BlockOps = ReturnType<typeof blockOps>;

export function blockOps(tf: Tf, ops: NativeOps) {
  const be = ops.raw.backend;
  const b = be.binding;
  const T: OpAttr = { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT };
  const int32Type = (name: string): OpAttr => ({ name, type: b.TF_ATTR_TYPE, value: b.TF_INT32 });
  /** Paddings by column count and index: [rank, 2] int32 tensors, uploaded once each. */
  const paddings = new Map<string, TF.Tensor>();
  /** int32 scalars (GatherV2's index and axis), uploaded once each. */
  const scalars = new Map<number, TF.Tensor>();
  const scalarInt = (v: number) => scalars.get(v) ?? scalars.set(v, tf.keep(tf.scalar(v, 'int32'))).get(v)!;
  return {
    /** Einsum(equation, a, b), e.g. 'nd,cdu->ncu'. */
    einsum: (equation: string, x: TF.Tensor, y: TF.Tensor) => be.executeSingleOutput('Einsum',
      [T, { name: 'N', type: b.TF_ATTR_INT, value: 2 }, { name: 'equation', type: b.TF_ATTR_STRING, value: equation }], [x, y]),
    /** Batched MatMul over the leading axes, with broadcasting. */
    batchMatMul: (x: TF.Tensor, y: TF.Tensor, adjX = false, adjY = false) => be.executeSingleOutput('BatchMatMulV2',
      [T, { name: 'adj_x', type: b.TF_ATTR_BOOL, value: adjX }, { name: 'adj_y', type: b.TF_ATTR_BOOL, value: adjY }], [x, y]),
    /** Softmax over the last axis, any rank (tfjs' softmax, which tfjs-layers' activation calls). */
    softmax: (z: TF.Tensor) => be.executeSingleOutput('Softmax', [T], [z]),
    /** The gradient before a softmax over the last axis from its output p and the gradient after: p (g - sum(g p)). */
    softmaxGrad: (p: TF.Tensor, g: TF.Tensor) => ops.mul(p, ops.sub(g, ops.sumKeep(ops.mul(g, p), p.shape.length - 1))),
    /** Tensors of one shape [n, ...] stacked as columns: [n, columns, ...]. */
    packColumns: (xs: TF.Tensor[]) => be.executeSingleOutput('Pack', [T, { name: 'N', type: b.TF_ATTR_INT, value: xs.length }, { name: 'axis', type: b.TF_ATTR_INT, value: 1 }], xs),
    /** The columns of x [n, columns, ...], each [n, ...] (packColumns' inverse). */
    unpackColumns: (x: TF.Tensor) => be.executeMultipleOutputs('Unpack', [T, { name: 'num', type: b.TF_ATTR_INT, value: x.shape[1]! }, { name: 'axis', type: b.TF_ATTR_INT, value: 1 }], [x], x.shape[1]!),
    /** Column `index` of x [n, columns, ...]: [n, ...]. */
    column: (x: TF.Tensor, index: number) => be.executeSingleOutput('GatherV2',
      [{ name: 'Tparams', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT }, int32Type('Tindices'), int32Type('Taxis'), { name: 'batch_dims', type: b.TF_ATTR_INT, value: 0 }],
      [x, scalarInt(index), scalarInt(1)]),
    /** g [n, ...] as column `index` of `columns` with zeros in the others: [n, columns, ...] (the gradient of `column`). */
    placeColumn: (g: TF.Tensor, index: number, columns: number) => {
      const rank = g.shape.length + 1;
      const key = `${rank}/${index}/${columns}`;
      let p = paddings.get(key);
      if (!p) {
        const rows = Array.from({ length: rank }, (_, k) => (k === 1 ? [index, columns - 1 - index] : [0, 0]));
        paddings.set(key, p = tf.keep(tf.tensor2d(rows, [rank, 2], 'int32')));
      }
      const lifted = ops.reshape(g, [g.shape[0]!, 1, ...g.shape.slice(1)]);
      return be.executeSingleOutput('Pad', [T, int32Type('Tpaddings')], [lifted, p]);
    },
    dispose: () => { tf.dispose([...paddings.values(), ...scalars.values()]); paddings.clear(); scalars.clear(); },
  };
}
