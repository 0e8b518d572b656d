// Attributions of a trained model (formulas: core/explain.ts): gradient × input and integrated
// gradients for chosen test examples, feature rankings for tabular inputs, and each task's
// reliance on the units of the shared layers. Only float inputs are attributed (integer inputs
// feed embeddings: no gradient).
import type * as TF from '@tensorflow/tfjs';
import { imageSize } from '../../core/dataShape';
import { EXPLAIN_DEFAULTS, type ExplainSpec, type Explanation, type FeatureImportance, type Saliency, type UnitReliance } from '../../core/explain';
import { analyzeGraph } from '../../core/graph';
import type { ExperimentSpec } from '../../core/spec';
import { trunkOf } from '../../core/trunk';
import type { Tf } from '../backend';
import type { ExperimentData } from '../data/index';
import { labelTensor, type DeviceSplit } from '../deviceData';
import type { TaskHead } from '../heads';
import { batchWeights, countLabelled, hasUnlabelled } from '../labelMask';
import type { ForwardFn } from '../model/forward';

/** Rows used for the split-wide averages (feature ranking, unit reliance): enough for a stable mean, bounded in cost. */
export const EXPLAIN_ROWS = 2000;

/** The task's score per example: the logit of `classes[i]` (multiclass), the one logit (binary), the output (regression). */
function scores(tf: Tf, head: TaskHead, out: TF.Tensor, classes?: TF.Tensor): TF.Tensor {
  if (head.encoding === 'onehot') return tf.sum(tf.mul(out, tf.oneHot(classes!, head.units)), -1);
  return tf.sum(out.reshape([out.shape[0]!, -1]), -1);
}

interface Attributor {
  floatIds: string[];
  /** ∇ₓ Σᵢ s(xᵢ) for each float input, and s per example. */
  grad(xs: TF.Tensor[], fixed: Map<string, TF.Tensor>, head: TaskHead, classes?: TF.Tensor): { grads: TF.Tensor[]; s: TF.Tensor };
}

function attributor(tf: Tf, forward: ForwardFn, split: DeviceSplit): Attributor {
  const floatIds = [...split.x].filter(([, v]) => v.dtype === 'float32').map(([id]) => id);
  return {
    floatIds,
    grad(xs, fixed, head, classes) {
      const run = (...vs: TF.Tensor[]) => {
        const inputs = new Map(fixed);
        floatIds.forEach((id, k) => inputs.set(id, vs[k]!));
        return scores(tf, head, forward(inputs, false).get(head.task.id)!, classes);
      };
      const s = run(...xs);
      const grads = tf.grads((...vs: TF.Tensor[]) => tf.sum(run(...vs)))(xs);
      return { grads, s };
    },
  };
}

/** Gradient × input and integrated gradients of the first `examples` test rows, per task. */
export function saliencyOf(tf: Tf, forward: ForwardFn, heads: TaskHead[], split: DeviceSplit, opts: ExplainSpec): Saliency[] {
  const n = Math.min(split.n, opts.examples ?? EXPLAIN_DEFAULTS.examples);
  const steps = opts.steps ?? EXPLAIN_DEFAULTS.steps;
  const a = attributor(tf, forward, split);
  const out: Saliency[] = [];
  const means = new Map(a.floatIds.map((id) => [id, tf.tidy(() => tf.mean(split.x.get(id)!, 0, true))]));
  try {
    for (let i = 0; i < n; i++) {
      for (const head of heads) {
        const records = tf.tidy(() => {
          const fixed = new Map([...split.x].filter(([id]) => !a.floatIds.includes(id)).map(([id, v]) => [id, v.slice(i, 1)]));
          const xs = a.floatIds.map((id) => split.x.get(id)!.slice(i, 1));
          const logits = forward(new Map([...fixed, ...a.floatIds.map((id, k): [string, TF.Tensor] => [id, xs[k]!])]), false).get(head.task.id)!;
          const cls = head.encoding === 'onehot' ? tf.argMax(logits, -1).toInt() : undefined;
          const plain = a.grad(xs, fixed, head, cls);
          // Integrated gradients: the m + 1 points x′ + (k/m)(x − x′), k = 0..m, as one batch;
          // the trapezoidal rule weighs them 1/m, the two ends 1/(2m).
          const points = steps + 1;
          const base = xs.map((x, k) => (opts.baseline === 'mean' ? means.get(a.floatIds[k]!)! : tf.zerosLike(x)));
          const alphas = tf.tensor1d(Array.from({ length: points }, (_, k) => k / steps));
          const rule = tf.tensor1d(Array.from({ length: points }, (_, k) => (k === 0 || k === steps ? 0.5 : 1) / steps));
          const column = (t: TF.Tensor, like: TF.Tensor) => t.reshape([points, ...like.shape.slice(1).map(() => 1)]);
          const path = xs.map((x, k) => {
            const shape = [points, ...x.shape.slice(1)];
            return tf.add(tf.broadcastTo(base[k]!, shape), tf.mul(column(alphas, x), tf.broadcastTo(tf.sub(x, base[k]!), shape)));
          });
          const tile = (t: TF.Tensor) => tf.tile(t, [points, ...t.shape.slice(1).map(() => 1)]);
          const pathFixed = new Map([...fixed].map(([id, v]) => [id, tile(v)]));
          const along = a.grad(path, pathFixed, head, cls && tf.tile(cls, [points]));
          const atBase = a.grad(base.map((b) => b), fixed, head, cls).s;
          return {
            gi: xs.map((x, k) => tf.mul(x, plain.grads[k]!)),
            ig: xs.map((x, k) => tf.mul(tf.sub(x, base[k]!), tf.sum(tf.mul(column(rule, x), along.grads[k]!), 0, true))),
            x: xs.map((x) => x.clone()),
            s: plain.s, sBase: atBase, cls: cls ?? tf.scalar(-1, 'int32'),
          };
        });
        const s = records.s.dataSync()[0]!, sBase = records.sBase.dataSync()[0]!, cls = records.cls.dataSync()[0]!;
        a.floatIds.forEach((id, k) => {
          const shape = split.x.get(id)!.shape.slice(1);
          const x = Array.from(records.x[k]!.dataSync());
          const common = { task: head.task.id, example: i, input: id, shape, x, score: s, ...(cls >= 0 ? { class: cls } : {}) };
          out.push({ ...common, method: 'gradientInput', values: Array.from(records.gi[k]!.dataSync()) });
          out.push({ ...common, method: 'integratedGradients', values: Array.from(records.ig[k]!.dataSync()), baselineScore: sBase });
        });
        tf.dispose([...records.gi, ...records.ig, ...records.x, records.s, records.sBase, records.cls]);
      }
    }
  } finally {
    tf.dispose([...means.values()]);
  }
  return out;
}

/** For each rank-1 float input with named features: mean |gradient × input| per feature over the first EXPLAIN_ROWS test rows, per task, ranked. */
export function featureImportance(tf: Tf, forward: ForwardFn, heads: TaskHead[], split: DeviceSplit, featureNames: Map<string, string[]>): FeatureImportance[] {
  const n = Math.min(split.n, EXPLAIN_ROWS);
  const a = attributor(tf, forward, split);
  const ids = a.floatIds.filter((id) => split.x.get(id)!.shape.length === 2 && featureNames.has(id));
  if (!ids.length || n === 0) return [];
  const out: FeatureImportance[] = [];
  for (const head of heads) {
    const sums = tf.tidy(() => {
      const fixed = new Map([...split.x].filter(([id]) => !a.floatIds.includes(id)).map(([id, v]) => [id, v.slice(0, n)]));
      const xs = a.floatIds.map((id) => split.x.get(id)!.slice(0, n));
      const logits = forward(new Map([...fixed, ...a.floatIds.map((id, k): [string, TF.Tensor] => [id, xs[k]!])]), false).get(head.task.id)!;
      const cls = head.encoding === 'onehot' ? tf.argMax(logits, -1).toInt() : undefined;
      const { grads } = a.grad(xs, fixed, head, cls);
      return ids.map((id) => tf.mean(tf.abs(tf.mul(xs[a.floatIds.indexOf(id)]!, grads[a.floatIds.indexOf(id)]!)), 0));
    });
    ids.forEach((id, k) => {
      const v = sums[k]!.dataSync();
      const names = featureNames.get(id)!;
      out.push({ task: head.task.id, input: id, features: names.map((name, j) => ({ name, meanAbs: v[j]! })).sort((p, q) => q.meanAbs - p.meanAbs) });
    });
    tf.dispose(sums);
  }
  return out;
}

/** Per shared layer with a [n, units] output: mean |∂L_t/∂h_u| over the first EXPLAIN_ROWS test rows (each task's labelled ones), per task. */
export function unitReliance(tf: Tf, spec: ExperimentSpec, forward: ForwardFn, heads: TaskHead[], split: DeviceSplit): UnitReliance[] {
  const n = Math.min(split.n, EXPLAIN_ROWS);
  if (n === 0) return [];
  const graph = analyzeGraph(spec);
  const downstream = (id: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(graph.consumers.get(id) ?? [])];
    while (stack.length) {
      const c = stack.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      stack.push(...(graph.consumers.get(c) ?? []));
    }
    return seen;
  };
  const out: UnitReliance[] = [];
  const inputs = new Map([...split.x].map(([id, v]) => [id, v.slice(0, n)]));
  try {
    const all = forward.values(inputs, false);
    for (const layer of trunkOf(spec, graph).layers) {
      const h = all.get(layer);
      if (!h || h.shape.length !== 2) continue;
      const below = downstream(layer);
      const given = new Map([...all].filter(([id]) => !below.has(id)));
      const tasks: Record<string, number[]> = {};
      for (const head of heads) {
        const outputId = spec.model.outputs[head.task.id]!;
        const truth = split.targets.get(head.task.id)!.subarray(0, n);
        const labelled = hasUnlabelled(truth) ? countLabelled(truth) : n;
        if (!below.has(outputId) || labelled === 0) { tasks[head.task.id] = new Array<number>(h.shape[1]!).fill(0); continue; }
        const mask = hasUnlabelled(truth) ? batchWeights(truth, Int32Array.from({ length: n }, (_, k) => k), [n]) : undefined;
        const mean = tf.tidy(() => {
          const labels = labelTensor(tf, head, truth);
          const weights = mask && tf.tensor2d(mask.weights, [n, 1]);
          // The batch loss is a mean over labelled rows: × labelled makes each row's gradient its own loss's.
          const g = tf.grad((hv: TF.Tensor) => {
            const values = forward.values(new Map([...given, [layer, hv]]), false, below);
            return tf.mul(head.lossFn(labels, values.get(outputId)!, weights), labelled);
          })(h);
          return tf.div(tf.sum(tf.abs(g), 0), labelled);
        });
        tasks[head.task.id] = Array.from(mean.dataSync());
        mean.dispose();
      }
      out.push({ layer, tasks });
    }
    tf.dispose([...all.values()].filter((t) => ![...inputs.values()].includes(t)));
  } finally {
    tf.dispose([...inputs.values()]);
  }
  return out;
}

/** Feature names of each input that is a table's columns (not an image's pixels), for the feature ranking. */
export function tabularFeatureNames(spec: ExperimentSpec, data: ExperimentData): Map<string, string[]> {
  return new Map(spec.model.inputs.filter((i) => !imageSize(i.shape, spec)).map((i) => [i.id, i.features ?? data.test.featureNames]));
}

export function explain(tf: Tf, spec: ExperimentSpec, forward: ForwardFn, heads: TaskHead[], split: DeviceSplit, opts: ExplainSpec,
  featureNames: Map<string, string[]>): Explanation {
  return {
    steps: opts.steps ?? EXPLAIN_DEFAULTS.steps,
    baseline: opts.baseline ?? EXPLAIN_DEFAULTS.baseline,
    saliency: saliencyOf(tf, forward, heads, split, opts),
    features: featureImportance(tf, forward, heads, split, featureNames),
    units: unitReliance(tf, spec, forward, heads, split),
  };
}
