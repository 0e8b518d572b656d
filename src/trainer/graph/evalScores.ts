// Evaluation's losses and predictions in the fused graph's session, beside its inference
// forward (trainGraph.ts `evalOutputs`): each head's mean loss on the rows fed and its
// predictions as the head's `predict` makes them (softmax or sigmoid of logits, a value as it
// is), so that evaluate() reads them back instead of running each head's loss and prediction
// as eager ops (about 40 a call: 4-8 ms of CPU an epoch end, 15 ms at the first, on the dense
// reference workload; bench/firstEpochProbe.ts, 2026-11-30). Labels are fed as the step takes
// them (a value [n, 1] float32, a class number int32 [n]). Rows without a label (partial
// labels) are not served here: evaluate() measures those on the eager ops.
import type { TaskHead } from '../heads';
import type { Attr, GraphBuilder } from './graphDef';
import { huberLossAndGrad } from './huber';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

export interface EvalScoreNodes {
  /** Per head, its labels' placeholder. */
  labels: string[];
  /** Fetch [heads]: each head's mean loss over the rows fed. */
  losses: string;
  /** Per head, fetch [n * width]: its predictions, flattened. */
  predictions: string[];
}

/**
 * The nodes, or undefined where a head's loss is not one the graph writes as the eager one is
 * (a class head whose output is not logits, a value head's other than the squared error or Huber).
 * `outputs`: each head's output node of the inference forward.
 */
export function graphEvalScores(g: GraphBuilder, heads: TaskHead[], outputs: string[], labelTypes: ReadonlyArray<'float' | 'int32'>): EvalScoreNodes | undefined {
  if (heads.some((h) => (h.encoding === 'value' ? h.loss !== 'meanSquaredError' && h.loss !== 'huber' : !h.logits))) return undefined;
  const int = (name: string, shape: number[], values: number[]) => g.constant(name, { dtype: 'int32', shape, values });
  const flat = int('eval/flat', [1], [-1]);
  const labels = heads.map((h, i) => g.placeholder(`eval/label_${h.task.id}`, labelTypes[i] === 'float' ? [-1, 1] : [-1], labelTypes[i]));
  const means: string[] = [];
  const predictions = heads.map((h, i) => {
    const out = outputs[i]!;
    const name = `eval/${h.task.id}`;
    let perElement: string;
    let rank = 1;
    if (h.encoding === 'value') {
      const d = g.op('Sub', [out, labels[i]!], { T: F }, `${name}/error`);
      perElement = h.loss === 'huber' ? huberLossAndGrad(g, d, `${name}/huber`).loss : g.op('Square', [d], { T: F }, `${name}/squared`);
      rank = 2;
    } else {
      // A binary head's logit z: the two-class softmax over [0, z] is the sigmoid's cross-entropy.
      const logits = h.encoding === 'binary' ? g.op('Pad', [out, int(`${name}/padding`, [2, 2], [0, 0, 1, 0])], { T: F, Tpaddings: I32 }, `${name}/logits`) : out;
      perElement = g.op('SparseSoftmaxCrossEntropyWithLogits', [logits, labels[i]!], { T: F, Tlabels: I32 }, `${name}/xent`);
    }
    means.push(g.op('Mean', [perElement, int(`${name}/axes`, [rank], Array.from({ length: rank }, (_, a) => a))], { T: F, Tidx: I32, keep_dims: { b: false } }, `${name}/loss`));
    const p = h.encoding === 'value' ? out : g.op(h.encoding === 'onehot' ? 'Softmax' : 'Sigmoid', [out], { T: F }, `${name}/probability`);
    return g.op('Reshape', [p, flat], { T: F, Tshape: I32 }, `${name}/predictions`);
  });
  return { labels, losses: g.op('Pack', means, { T: F, N: { i: heads.length }, axis: { i: 0 } }, 'eval/losses'), predictions };
}
