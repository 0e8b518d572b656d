// The fused graph step: a dense network's whole training step as one TensorFlow session call
// (trainGraph.ts), where the eager compiled step (native/denseStep.ts) dispatches about 40 ops
// through tfjs-node at about 24 µs of fixed cost each. Measured on the reference workload
// (bench/graphStepProbe.ts, CPU time, 2026-11-30): about 0.35 ms per batch-32 step against 0.9-1.2 ms.
// The session owns the weights while a phase trains: they are copied in when the step is
// made and back into the tfjs model by `sync`, which the loop calls before it evaluates.
import type * as TF from '@tensorflow/tfjs';
import type { ExperimentSpec } from '../../core/spec';
import type { WeightingDescription } from '../../core/weighting/method';
import type { Tf } from '../backend';
import type { TaskHead } from '../heads';
import type { BuiltModel } from '../model/build';
import type { LossWeights } from '../native/denseStep';
import { labelTensor, targetsOf } from '../deviceData';
import { isGraphConvLayer } from './convLayers';
import { isGraphRecurrentLayer } from './recurrentLayers';
import { buildTrainGraph } from './trainGraph';
import { openReusableSession } from './sessionCache';

/** The loop's step path (run log, LoopResult.stepPath) when this step runs. */
export const GRAPH_STEP_PATH = 'fused graph';

export interface GraphStep {
  /**
   * The training split the steps take their rows from: inputs by id, and each task's targets
   * from the host (uploaded once, one value a row, kept until `dispose`). The graph gathers
   * each batch and makes its labels itself.
   */
  bind(x: ReadonlyMap<string, TF.Tensor>, targets: ReadonlyMap<string, Float32Array>): void;
  /** These rows of the split as tensors (a measurement between steps needs them; caller disposes). */
  batch(rows: Int32Array): { x: Map<string, TF.Tensor>; y: Map<string, TF.Tensor>; weights: Map<string, TF.Tensor> };
  /** One step on these rows of the split; returns each task's per-example losses (caller disposes). */
  step(rows: Int32Array, lr: number, weights: LossWeights): TF.Tensor[];
  /** Copies the session's weights into the tfjs model (before it is evaluated or read). */
  sync(): void;
  dispose(): void;
}

/**
 * Why the fused graph cannot serve an experiment the eager compiled step serves
 * (nativeStepUnsupported passed), or undefined when it can. `partialLabels`: a task has
 * unlabelled training rows (masked losses, which stay with the eager step); `method`: the
 * task weighting that runs.
 */
export function graphStepUnsupported(spec: ExperimentSpec, heads: TaskHead[], partialLabels: boolean, method: WeightingDescription): string | undefined {
  const t = spec.training;
  if (t.optimizer.type !== 'sgd') return `optimizer ${t.optimizer.type}`;
  if (t.clipNorm) return 'gradient clipping';
  const d = method;
  // Loss weights given as numbers before the step; a rule that reads the batch's losses stays eager.
  if (d.family !== 'loss' || d.engine !== 'rule' || d.needs.losses || d.needs.lossesAfter) return `${d.id} task weighting`;
  if (partialLabels) return 'partial labels';
  // Affinity takes trial steps on the tfjs model between steps (conflict gets the weights: loop.ts).
  if (spec.evaluation?.taskAffinity) return 'task affinity measured';
  const layer = spec.model.layers.find((l) => l.type !== 'dense' && l.type !== 'concatenate' && l.type !== 'add' && !isGraphConvLayer(l) && !isGraphRecurrentLayer(l));
  if (layer) return `${layer.type} layer ${layer.id}`;
  const head = heads.find((h) => h.encoding === 'value' && h.loss !== 'meanSquaredError');
  if (head) return `loss ${head.loss} of task ${head.task.id}`;
  return undefined;
}

/** A tfjs layer's weights by property (kernel, bias, gamma, movingMean...); a recurrent layer's are its cell's. */
type LayerWeights = Record<string, { read(): TF.Variable }> & { cell?: Record<string, { read(): TF.Variable }> };

export function compileGraphStep(tf: Tf, spec: ExperimentSpec, built: BuiltModel, heads: TaskHead[], topo: string[]): GraphStep {
  const o = spec.training.optimizer;
  const momentum = o.type === 'sgd' ? (o.momentum ?? 0) : 0;
  const graph = buildTrainGraph(spec, heads, topo, momentum, o.type === 'sgd' && !!o.nesterov && momentum > 0);
  const session = openReusableSession(tf, graph.savedModel);
  const variables = graph.weights.map((w) => {
    const layer = built.layers.get(w.layer) as unknown as LayerWeights;
    return (layer.cell ?? layer)[w.part]!.read();
  });
  tf.dispose(session.run(graph.setInputs.map((name) => ({ name })), variables, [graph.setDone]));
  const feeds = [...graph.inputs, ...graph.labels, { name: graph.rows, tfDtype: 'DT_INT32' }, graph.coef, graph.lr].map((f) => (typeof f === 'string' ? { name: f } : f));
  let split: TF.Tensor[] = [];
  let labels: TF.Tensor[] = [];
  let hostTargets: Float32Array[] = [];
  // Per-step scalars are uploaded only when they change (a constant rate, fixed weights: never).
  const cache = { coefKey: '', coef: undefined as TF.Tensor | undefined, lr: NaN, lrTensor: undefined as TF.Tensor | undefined };
  const coefFor = (n: number, weights: readonly number[]) => {
    const key = `${n}/${weights.join()}`;
    if (key !== cache.coefKey || !cache.coef) {
      cache.coef?.dispose();
      // The mean loss's gradient is the per-example one over n; MSE's has a factor 2.
      cache.coef = tf.keep(tf.tensor1d(heads.map((h, i) => (weights[i]! * (h.encoding === 'value' ? 2 : 1)) / n)));
      cache.coefKey = key;
    }
    return cache.coef;
  };
  const lrTensor = (lr: number) => {
    if (lr !== cache.lr || !cache.lrTensor) {
      cache.lrTensor?.dispose();
      cache.lrTensor = tf.keep(tf.scalar(lr));
      cache.lr = lr;
    }
    return cache.lrTensor;
  };
  return {
    bind(x, targets) {
      tf.dispose(labels);
      split = spec.model.inputs.map((i) => x.get(i.id)!);
      hostTargets = heads.map((h) => targets.get(h.task.id)!);
      labels = hostTargets.map((t) => tf.tensor2d(t, [t.length, 1]));
    },
    batch(rows) {
      const x = tf.tidy(() => { const idx = tf.tensor1d(rows, 'int32'); return split.map((t) => tf.gather(t, idx)); });
      return {
        x: new Map(spec.model.inputs.map((i, k) => [i.id, x[k]!])),
        y: new Map(heads.map((h, k) => [h.task.id, labelTensor(tf, h, targetsOf(hostTargets[k]!, rows))])),
        weights: new Map(),
      };
    },
    step(rows, lr, weights) {
      // No rule here reads the batch's losses (graphStepUnsupported): `means` is never called.
      const w = typeof weights === 'function' ? weights(() => { throw new Error('the fused graph step has no loss means'); }) : weights;
      const batchRows = tf.tensor1d(rows, 'int32');
      const out = session.run(feeds, [...split, ...labels, batchRows, coefFor(rows.length, w), lrTensor(lr)], graph.losses);
      batchRows.dispose();
      return out;
    },
    sync() {
      const read = session.run([], [], graph.getOutputs);
      variables.forEach((v, k) => v.assign(read[k]!));
      tf.dispose(read);
    },
    dispose() {
      session.dispose();
      tf.dispose([...labels, ...[cache.coef, cache.lrTensor].filter((t): t is TF.Tensor => !!t)]);
    },
  };
}
