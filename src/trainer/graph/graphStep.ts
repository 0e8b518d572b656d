// The fused graph step: a dense network's whole training step as one TensorFlow session call
// (trainGraph.ts), where the eager compiled step (native/denseStep.ts) dispatches about 40 ops
// through tfjs-node at about 24 µs of fixed cost each. Measured on the reference workload
// (bench/graphStepProbe.ts, CPU time, 2026-11-30): about 0.35 ms per batch-32 step against 0.9-1.2 ms.
// The session owns the weights while a phase trains: they are copied in when the step is
// made and back into the tfjs model by `sync`, which the loop calls before it evaluates.
import type * as TF from '@tensorflow/tfjs';
import type { ExperimentSpec } from '../../core/spec';
import { trunkOf } from '../../core/trunk';
import type { WeightingDescription } from '../../core/weighting/method';
import type { Tf } from '../backend';
import type { TaskHead } from '../heads';
import type { BuiltModel } from '../model/build';
import type { LossWeights } from '../native/denseStep';
import type { TaskWeighting } from '../weighting/index';
import { inputRows, labelTensor, targetsOf, type DeviceSplit, type InputSource } from '../deviceData';
import type { EvalForward, EvalScores } from '../evaluate';
import { isGraphConvLayer } from './convLayers';
import { isGraphRecurrentLayer } from './recurrentLayers';
import { trainGraphFor } from './graphCache';
import { gradDropCompiles, gradDropJitNote } from './gradDropJit';
import { graphGradientStep, toGramians } from './graphGradientStep';
import { hasGraphRule } from './graphRules';
import { nativeRuleKernels, ruleKernelFor } from './ruleKernels';
import { openReusableSession } from './sessionCache';
import { grapplerForGraph } from './sessionConfig';
import type { MetricSumNodes } from './metricSums';
import { epochEndReads } from './epochEndReads';
import { layersTakeHalves } from '../threads';
import type { PreparedFeed, PreparedRun } from './preparedRun';

/** The loop's step path (run log, LoopResult.stepPath) when this step runs. */
export const GRAPH_STEP_PATH = 'fused graph';
/** The step's note (after the path) when it runs each batch in halves. */
export const HALVES_NOTE = 'each batch in two halves, side by side';

export interface GraphStep {
  /**
   * The training split the steps take their rows from: inputs by id, and each task's targets
   * from the host (uploaded once, one value a row, kept until `dispose`). The graph gathers
   * each batch and makes its labels itself.
   */
  bind(x: ReadonlyMap<string, TF.Tensor>, targets: ReadonlyMap<string, Float32Array>, coded?: DeviceSplit['coded']): void;
  /** These rows of the split as tensors (a measurement between steps needs them; caller disposes). */
  batch(rows: Int32Array): { x: Map<string, TF.Tensor>; y: Map<string, TF.Tensor>; weights: Map<string, TF.Tensor> };
  /**
   * One step on these rows of the split. Its losses stay in the session (lossSums.ts): it
   * returns no tensor, and `takeLossMeans` reads them (the one-call step's: from its last call).
   */
  step(rows: Int32Array, lr: number, weights: LossWeights): void;
  /**
   * Whether `stepMeasured` serves the gradient-conflict measurement (a gradient method on the
   * shared parameters, without dropout: its task gradients are the measurement's).
   */
  servesConflict: boolean;
  /** What the step chose from the run's length, for the run log (GradDrop's mask: gradDropJit.ts). */
  note?: string;
  /** For the run log, after the step path: the form the method's graph rule ran in, for a method with a native op (ruleKernels.ts). */
  ruleForm?: string;
  /** `step` that also returns each conflict block's Gramian of the tasks' gradients on the batch, before the update. */
  stepMeasured(rows: Int32Array, lr: number, weights: LossWeights): number[][][];
  /**
   * A loss-family method's conflict measurement in the session (conflictGramians.ts): each
   * conflict block's Gramian of the tasks' gradients on these rows, on the current weights,
   * without a step; absent where the loop measures on the tape (dropout, batch normalisation).
   */
  measureConflict?(rows: Int32Array): number[][][];
  /** Each task's mean per-example loss over the steps since the last call (or the phase's start). */
  takeLossMeans(): Float32Array;
  /**
   * The model's outputs by task id for evaluation (evaluate.ts), computed in the session on its
   * current weights; undefined where the graph has no inference form of a layer.
   */
  evaluationForward?: EvalForward;
  /** Evaluation's losses and predictions computed in the session too (evalScores.ts), where the graph writes every head's loss. */
  evaluationScores?: EvalScores;
  /**
   * evaluation.trainMetrics "running": the train metrics' statistics the steps counted since the
   * last call (metricSums.ts), read in one run; absent when no head has a metric.
   */
  takeMetricSums?(): { nodes: MetricSumNodes; taken: Float32Array[] };
  /**
   * Copies the session's weights into the tfjs model (before it is evaluated or read), unless a
   * session run has since the last step. `withMetricSums` (the epoch's end, where `takeMetricSums`
   * follows before any step): the same run takes the metric sums too (epochEndReads.ts).
   */
  sync(withMetricSums?: boolean): void;
  /** `sync` done by the next evaluation's session run, with its fetches (one TensorFlow signature fewer: epochEndReads.ts); `sync` after it then reads nothing. */
  syncWithNextRun(withMetricSums: boolean): void;
  /** Copies the learned loss weighting's variables only (before the loop reports the weights). */
  syncLearned(): void;
  dispose(): void;
}

/**
 * Why the fused graph cannot serve an experiment the eager compiled step serves
 * (nativeStepUnsupported passed), or undefined when it can. `partialLabels`: a task has
 * unlabelled training rows (masked losses, which stay with the eager step); `method`: the
 * task weighting that runs.
 */
export function graphStepUnsupported(spec: ExperimentSpec, heads: TaskHead[], partialLabels: boolean, method: WeightingDescription): string | undefined {
  const d = method;
  // Loss weights given as numbers before the step, or learned in the graph (uncertainty.ts); a rule that reads the batch's losses stays eager.
  const learned = d.id === 'uncertainty' && d.family === 'loss';
  // A gradient-family rule takes two calls a step (taskGradients.ts), and so does GradDrop, whose masks the second call draws (gradDrop.ts).
  const taskGradients = d.family === 'gradient' && (d.engine === 'rule' || d.id === 'graddrop') && !d.needs.lossesAfter;
  if (!learned && !taskGradients && (d.family !== 'loss' || d.engine !== 'rule' || d.needs.losses || d.needs.lossesAfter)) return `${d.id} task weighting`;
  if (partialLabels) return 'partial labels';
  // Affinity takes trial steps on the tfjs model between steps (conflict gets the weights: loop.ts).
  if (spec.evaluation?.taskAffinity) return 'task affinity measured';
  const layer = spec.model.layers.find((l) => l.type !== 'dense' && l.type !== 'concatenate' && l.type !== 'add' && l.type !== 'dropout' && !isGraphConvLayer(l) && !isGraphRecurrentLayer(l));
  if (layer) return `${layer.type} layer ${layer.id}`;
  // Each task's backward pass would move the moving statistics again (the eager step refuses it too).
  const norm = taskGradients && spec.model.layers.find((l) => l.type === 'batchNormalization');
  if (norm) return `batch normalization ${norm.id} with task gradients`;
  // No shared weights, no Gramian to take: the eager step then leaves the method out, as it should.
  const trunk = taskGradients ? trunkOf(spec).layers : undefined;
  if (trunk && !spec.model.layers.some((l) => (l.type === 'dense' || l.type === 'conv2d' || isGraphRecurrentLayer(l)) && trunk.has(l.id))) return 'task gradients without a shared layer';
  const head = heads.find((h) => h.encoding === 'value' && h.loss !== 'meanSquaredError' && h.loss !== 'huber');
  if (head) return `loss ${head.loss} of task ${head.task.id}`;
  return undefined;
}

/** A tfjs layer's weights by property (kernel, bias, gamma, movingMean...); a recurrent layer's are its cell's. */
type LayerWeights = Record<string, { read(): TF.Variable }> & { cell?: Record<string, { read(): TF.Variable }> };

/**
 * `learned`: uncertainty weighting's log-variances (weighting.variables), which the graph then
 * trains; none for other methods. `coded`: the training split's inputs held as byte codes
 * (deviceData.ts), which the graph decodes after its gather. `gradient`: a gradient-family
 * method's weighting, whose step takes two calls (graphGradientStep.ts). `plannedSteps`: the
 * steps the phase will take with this step (GradDrop compiles its mask with XLA for a long run only: gradDropJit.ts).
 * `halves`: TensorFlow runs two inter-op threads: a plain step (no learned or gradient weighting,
 * layers threads.ts `layersTakeHalves` accepts) splits each batch in two (trainGraph.ts `halves`).
 */
export function compileGraphStep(tf: Tf, spec: ExperimentSpec, built: BuiltModel, heads: TaskHead[], topo: string[], learned: readonly TF.Variable[] = [],
  coded: ReadonlySet<string> = new Set(), gradient?: TaskWeighting, conflictBlocks?: readonly string[], plannedSteps = Infinity, halves = false): GraphStep {
  const xla = gradient?.signDrop && gradient.mode === 'parameters' ? gradDropCompiles(plannedSteps) : undefined;
  const inHalves = halves && !learned.length && !gradient && layersTakeHalves(spec);
  const graph = trainGraphFor(spec, heads, topo, { uncertainty: learned.length > 0, coded, ...(inHalves ? { halves: true } : {}),
    ...(gradient ? { gradient: { mode: gradient.mode, weightsOwnLayers: !!gradient.description.weightsOwnLayers, ...(conflictBlocks ? { conflictBlocks } : {}),
      ...(gradient.signDrop ? { signDrop: { leak: gradient.signDrop.leak, xla: !!xla } } : {}),
      ...(gradient.graphRule && hasGraphRule(gradient.graphRule.id, heads.length, gradient.graphRule.params)
        ? { rule: { id: gradient.graphRule.id, params: gradient.graphRule.params, kernels: nativeRuleKernels(tf) } } : {}) } } : conflictBlocks ? { conflict: conflictBlocks } : {}) });
  const ruleForm = gradient?.graphRule && graph.gradient?.ruled ? ruleKernelFor(gradient.graphRule.id, gradient.description.title, graph.gradient.ruled.kernel) : undefined;
  const grappler = grapplerForGraph({ conv: spec.model.layers.some(isGraphConvLayer) });
  const session = openReusableSession(tf, graph.savedModel, grappler);
  const taskGradients = gradient && graph.gradient ? graphGradientStep(session, graph.gradient, graph.stepDone, graph.lr, gradient) : undefined;
  const variables = graph.weights.map((w) => {
    if (w.learned !== undefined) return learned[w.learned]!;
    const layer = built.layers.get(w.layer) as unknown as LayerWeights;
    return (layer.cell ?? layer)[w.part]!.read();
  });
  const learnedAt = graph.weights.flatMap((w, k) => (w.learned === undefined ? [] : [k]));
  const metricSums = graph.metricSums;
  const epochEnd = epochEndReads(tf, session, graph.getOutputs, metricSums, (read) => variables.forEach((v, k) => v.assign(read[k]!)));
  tf.dispose(session.run(graph.setInputs.map((name) => ({ name })), variables, [graph.setDone]));
  const labelFeeds = graph.labels.map((name, i) => (graph.labelTypes[i] === 'int32' ? { name, tfDtype: 'DT_INT32' } : { name }));
  const feeds = [...graph.inputs, ...labelFeeds, { name: graph.rows, tfDtype: 'DT_INT32' }, graph.coef, graph.lr].map((f) => (typeof f === 'string' ? { name: f } : f));
  let split: TF.Tensor[] = [];
  let bound: InputSource = { x: new Map() };
  let labels: TF.Tensor[] = [];
  let hostTargets: Float32Array[] = [];
  /** Rows of the steps whose losses the session has summed since the last read. */
  let rowsSinceTake = 0;
  // Per-step scalars are uploaded only when they change (a constant rate, fixed weights: never;
  // compared as numbers, not joined into a key: this runs every step).
  const cache = { coefRows: 0, coefWeights: [] as number[], coef: undefined as TF.Tensor | undefined, lr: NaN, lrTensor: undefined as TF.Tensor | undefined };
  const coefFor = (n: number, weights: readonly number[]) => {
    if (n !== cache.coefRows || !cache.coef || weights.length !== cache.coefWeights.length || weights.some((w, i) => w !== cache.coefWeights[i])) {
      cache.coef?.dispose();
      // The mean loss's gradient is the per-example one over n; the squared error's has a factor 2 (Huber's none).
      cache.coef = tf.keep(tf.tensor1d(heads.map((h, i) => (weights[i]! * (h.encoding === 'value' && h.loss !== 'huber' ? 2 : 1)) / n)));
      cache.coefRows = n;
      cache.coefWeights = [...weights];
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
  const { evalInputs, evalOutputs } = graph;
  const evalFeeds = evalInputs?.map((name) => ({ name }));
  const evaluationForward: EvalForward | undefined = evalFeeds && evalOutputs ? (inputs) => {
    const outs = epochEnd.run(evalFeeds, spec.model.inputs.map((i) => inputs.get(i.id)!), evalOutputs);
    return new Map(heads.map((h, k) => [h.task.id, outs[k]!]));
  } : undefined;
  const conflictFeeds = feeds.filter((f) => f.name !== graph.coef && f.name !== graph.lr);
  const conflictRun = graph.conflictGramians ? session.prepare(conflictFeeds, [graph.conflictGramians]) : undefined;
  const measureConflict = conflictRun ? (rows: Int32Array) => toGramians(conflictRun.read([...split, ...labels, rows])[0]!, heads.length) : undefined;
  const scores = graph.evalScores;
  const scoreFeeds = evalFeeds && scores ? [...evalFeeds, ...scores.labels.map((name, i) => (graph.labelTypes[i] === 'int32' ? { name, tfDtype: 'DT_INT32' } : { name }))] : undefined;
  const evaluationScores: EvalScores | undefined = scoreFeeds && scores ? (inputs, truths) => {
    const labelValues = truths.map((t, i) => (graph.labelTypes[i] === 'int32' ? tf.tensor1d(Int32Array.from(t), 'int32') : tf.tensor2d(t, [t.length, 1])));
    const outs = epochEnd.run(scoreFeeds, [...spec.model.inputs.map((i) => inputs.get(i.id)!), ...labelValues], [scores.losses, ...scores.predictions]);
    const read = { losses: outs[0]!.dataSync() as Float32Array, predictions: outs.slice(1).map((o) => o.dataSync() as Float32Array) };
    tf.dispose([...labelValues, ...outs]);
    return read;
  } : undefined;
  // The one-call step's session run, prepared once (preparedRun.ts: no tfjs tensor a step); it
  // keeps its running loss sums, which a report reads, and restarts them on the step after (lossSums.ts).
  const plainStep = session.prepare([...feeds, { name: graph.lossKeep }], [graph.stepSums], true);
  const keepValues = { restart: tf.keep(tf.scalar(0)), add: tf.keep(tf.scalar(1)) };
  let restart = true;
  let plainValues: PreparedFeed[] = [];
  /** A gradient method's steps keep their loss sums in the session: a report takes them with this call. */
  let takeSums: PreparedRun | undefined;
  const run = (rows: Int32Array, lr: number, weights: LossWeights, measure: boolean) => {
    // No loss-family rule here reads the batch's losses (graphStepUnsupported): `means` is never
    // called (GradNorm reads them in the graph: gradNormRule.ts). Learned weights are the graph's own, a
    // gradient method's coefficients come between its two calls: the gradient scales alone are fed.
    const w = learned.length || gradient ? heads.map(() => 1) : typeof weights === 'function' ? weights(() => { throw new Error('the fused graph step has no loss means'); }) : weights;
    rowsSinceTake += rows.length;
    epochEnd.stepped();
    if (!taskGradients) {
      // One feed array for every step (bind fills the split and labels): the last four change.
      const values = plainValues;
      const at = values.length - 4;
      values[at] = rows;
      values[at + 1] = coefFor(rows.length, w);
      values[at + 2] = lrTensor(lr);
      values[at + 3] = restart ? keepValues.restart : keepValues.add;
      plainStep.run(values);
      restart = false;
      return undefined;
    }
    return taskGradients(feeds, [...split, ...labels, rows, coefFor(rows.length, w), lrTensor(lr)], measure);
  };
  const takeMetricSums = metricSums ? () => ({ nodes: metricSums, taken: epochEnd.takeMetricSums() }) : undefined;
  return {
    ...(evaluationForward ? { evaluationForward } : {}),
    ...(takeMetricSums ? { takeMetricSums } : {}),
    ...(measureConflict ? { measureConflict } : {}),
    ...(evaluationScores ? { evaluationScores } : {}),
    bind(x, targets, codedInputs) {
      tf.dispose(labels);
      const byCode = spec.model.inputs.filter((i) => coded.has(i.id)).map((i) => codedInputs?.get(i.id)?.book);
      if (byCode.some((b) => !b)) throw new Error('compileGraphStep: an input compiled as byte codes is bound without its table');
      // The tables follow the inputs, as graph.inputs lists their placeholders.
      split = [...spec.model.inputs.map((i) => x.get(i.id)!), ...(byCode as TF.Tensor[])];
      bound = { x, ...(codedInputs ? { coded: codedInputs } : {}) };
      hostTargets = heads.map((h) => targets.get(h.task.id)!);
      labels = hostTargets.map((t, i) => (graph.labelTypes[i] === 'int32' ? tf.tensor1d(Int32Array.from(t), 'int32') : tf.tensor2d(t, [t.length, 1])));
      plainValues = [...split, ...labels, new Int32Array(0), keepValues.restart, keepValues.restart, keepValues.restart];
      // The running AUC's scores, one a row of this split (metricSums.ts).
      if (metricSums?.init) {
        const n = tf.scalar(hostTargets[0]!.length, 'int32');
        tf.dispose([n, ...session.run([{ name: metricSums.splitRows, tfDtype: 'DT_INT32' }], [n], [metricSums.init])]);
      }
    },
    batch(rows) {
      const x = tf.tidy(() => { const idx = tf.tensor1d(rows, 'int32'); return spec.model.inputs.map((i) => inputRows(tf, bound, i.id, idx)); });
      return {
        x: new Map(spec.model.inputs.map((i, k) => [i.id, x[k]!])),
        y: new Map(heads.map((h, k) => [h.task.id, labelTensor(tf, h, targetsOf(hostTargets[k]!, rows))])),
        weights: new Map(),
      };
    },
    step(rows, lr, weights) { run(rows, lr, weights, false); },
    servesConflict: !!graph.gradient?.blockGramians,
    ...(xla !== undefined ? { note: gradDropJitNote(xla, plannedSteps) } : inHalves ? { note: HALVES_NOTE } : {}),
    ...(ruleForm ? { ruleForm } : {}),
    stepMeasured: (rows, lr, weights) => run(rows, lr, weights, true)!,
    takeLossMeans() {
      const rowsTaken = Math.max(1, rowsSinceTake);
      let sums: Float32Array;
      if (!taskGradients) {
        // The last step's running sums; none since the last report: nothing summed.
        sums = (rowsSinceTake ? plainStep.last() : undefined) ?? new Float32Array(heads.length);
        restart = true;
      } else {
        // A report's one call, prepared once as the steps' are (no tfjs tensor made and disposed).
        sums = (takeSums ??= session.prepare([], [graph.lossSums])).read([])[0] as Float32Array;
      }
      rowsSinceTake = 0;
      return sums.map((v) => v / rowsTaken);
    },
    sync(withMetricSums) { epochEnd.sync(!!withMetricSums); },
    // Without an evaluation in the session the loop's evaluation reads the model: the weights now.
    syncWithNextRun(withMetricSums) { if (evaluationForward) epochEnd.syncWithNextRun(withMetricSums); else epochEnd.sync(withMetricSums); },
    syncLearned() {
      if (!learnedAt.length) return;
      const read = session.run([], [], learnedAt.map((k) => graph.getOutputs[k]!));
      read.forEach((r, j) => variables[learnedAt[j]!]!.assign(r));
      tf.dispose(read);
    },
    dispose() {
      plainStep.free();
      conflictRun?.free();
      taskGradients?.free();
      session.dispose();
      tf.dispose([...labels, keepValues.restart, keepValues.add, ...[cache.coef, cache.lrTensor].filter((t): t is TF.Tensor => !!t)]);
    },
  };
}
