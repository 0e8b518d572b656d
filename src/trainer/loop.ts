// Our own multi-task training loop (tfjs-layers' fit has no loss weights).
// Speed: the epoch's shuffled data is gathered and split into batches on the device a block
// at a time, in two ops per tensor (batches.ts); per-task losses are summed on the device and
// read back only a few times per epoch; the loop yields to the event loop every few
// milliseconds so a cancel message arrives between two steps.
import type * as TF from '@tensorflow/tfjs';
import { WHOLE_MODEL, type MetricPoint } from '../core/protocol';
import { SeededRandom, deriveSeed } from '../core/random';
import { learningRateAt } from '../core/schedule';
import type { ExperimentSpec, LayerSpec } from '../core/spec';
import type { Tf } from './backend';
import { EpochBatches, batchSizes, shuffleRows } from './batches';
import { labelTensor, targetsOf } from './deviceData';
import { evaluate, type TaskValues } from './evaluate';
import type { TaskHead } from './heads';
import type { BuiltModel } from './model/build';
import { tiePenalty } from './model/blockLayers';
import { batchWeights, hasUnlabelled, type BatchMask } from './labelMask';
import { BestWeights } from './bestWeights';
import { compileNativeStep, nativeStepUnsupported } from './native/denseStep';
import { compileWasmStep, wasmStepUnsupported } from './wasm/denseStep';
import { GRAPH_STEP_PATH, compileGraphStep, graphStepUnsupported, type GraphStep } from './graph/graphStep';
import { makeOptimizer } from './optimizer';
import { makeWeighting, type TaskWeighting } from './weighting/index';
import { SpecError } from './specError';
import { diverged, divergedAfterUpdate } from './trainingDiverged';
import { gradientStep } from './gradientStep';
import { weightingMethod } from '../core/weighting/registry';
import type { LoopSetup, StepFn } from './loopSetup';
import { conflictEvery, type ConflictSummary } from '../core/conflict';
import { ConflictMeter, headLabels } from './insight/conflict';
import { AFFINITY_DEFAULT_EVERY, type TaskAffinitySummary } from '../core/taskAffinity';
import { AffinityMeter } from './insight/taskAffinity';
import { TRAIN_EVAL_LIMIT, runningTrainMetrics } from '../core/metricStats';
import { RunningTrainMetrics } from './trainMetrics';

export type { LoopEvents, LoopSetup, StepFn } from './loopSetup';

/** The step path of the compiled dense step on WebAssembly (wasm/denseStep.ts). */
export const WASM_STEP_PATH = 'compiled (wasm)';

export interface LoopResult {
  /** 'native' when the compiled dense step ran (GRAPH_STEP_PATH as one graph call, WASM_STEP_PATH on wasm), else why not. */
  stepPath: string;
  /** The form the fused graph's rule ran in (GraphStep.ruleForm), said after the step path in the run log. */
  ruleForm?: string;
  epochsRun: number;
  steps: number;
  cancelled: boolean;
  stoppedEarly: boolean;
  lastValidation?: TaskValues;
  /** With early stopping: the epoch of the best validation loss, whose weights the model holds now. */
  restoredEpoch?: number;
  /** Gradient conflict between the tasks (evaluation.conflict), when measured. */
  conflict?: ConflictSummary;
  /** Inter-task affinity (evaluation.taskAffinity), when measured. */
  taskAffinity?: TaskAffinitySummary;
}

/** Reports of the running train loss per epoch (curves without per-step read-backs). */
const REPORTS_PER_EPOCH = 20;

/** The loop yields to the event loop (where a cancel message arrives) at most this often. */
const YIELD_MS = 15;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function l2Terms(spec: ExperimentSpec, built: BuiltModel): Array<{ kernel: TF.Variable; l2: number }> {
  const terms: Array<{ kernel: TF.Variable; l2: number }> = [];
  for (const l of spec.model.layers as LayerSpec[]) {
    const coef = ('l2' in l && l.l2 !== undefined ? l.l2 : undefined) ?? spec.training.l2 ?? 0;
    if (coef <= 0 || (l.type !== 'dense' && l.type !== 'conv2d')) continue;
    const layer = built.layers.get(l.id) as unknown as { kernel?: { read(): TF.Variable } };
    if (layer.kernel) terms.push({ kernel: layer.kernel.read(), l2: coef });
  }
  return terms;
}


/** The tape-based step: any layer, optimizer, weighting; losses returned as scalars. */
function genericStep(s: LoopSetup, weighting: TaskWeighting): { step: StepFn; dispose(): void } {
  const { tf, spec, heads } = s;
  const t = spec.training;
  const { optimizer, setLearningRate } = makeOptimizer(tf, t.optimizer);
  const varList = [...s.built.model.trainableWeights.map((w) => w.read() as TF.Variable), ...weighting.variables];
  const l2 = l2Terms(spec, s.built);
  const tie = tiePenalty(tf, s.built.layers.values());
  const taskIndex = new Map(spec.tasks.map((task, i) => [task.id, i]));
  /** What TensorFlow throws while computing a task's loss names the task. */
  const atTask = <T>(h: TaskHead, compute: () => T): T => {
    try {
      return compute();
    } catch (err) {
      if (err instanceof SpecError) throw err;
      throw new SpecError(`Task "${h.task.id}": its loss (${h.loss}) failed in TensorFlow: ${err instanceof Error ? err.message : String(err)}`, ['tasks', taskIndex.get(h.task.id) ?? 0]);
    }
  };
  const step: StepFn = (xb, yb, lr, masks, seen) => {
    setLearningRate(lr);
    let losses: TF.Scalar[] = [];
    const lossFn = () => {
      const outs = s.forward(xb, true);
      seen?.(outs);
      losses = heads.map((h) => tf.keep(atTask(h, () => h.lossFn(yb.get(h.task.id)!, outs.get(h.task.id)!, masks.get(h.task.id)?.weights))));
      let total = weighting.combine(losses);
      if (l2.length) total = tf.add(total, tf.addN(l2.map((r) => tf.mul(tf.sum(tf.square(r.kernel)), r.l2)))) as TF.Scalar;
      if (tie) total = tf.add(total, tie()) as TF.Scalar;
      return total;
    };
    if (t.clipNorm) {
      const { value, grads } = tf.variableGrads(lossFn, varList);
      const clipped = tf.tidy(() => clipByGlobalNorm(tf, grads, t.clipNorm!));
      optimizer.applyGradients(clipped);
      tf.dispose([value, ...Object.values(grads), ...Object.values(clipped)]);
    } else {
      optimizer.minimize(lossFn, false, varList);
    }
    return losses;
  };
  return { step, dispose: () => optimizer.dispose() };
}

export async function trainLoop(s: LoopSetup): Promise<LoopResult> {
  const { tf, spec, heads, train, events } = s;
  const t = spec.training;
  const weighting = makeWeighting(tf, t.weighting, heads.map((h) => h.task), t.seed, s.method ?? weightingMethod(t.weighting?.method ?? 'equal'));
  const method = weighting.description;
  const gradientFamily = method.family === 'gradient';
  const unsupported = s.backend === 'tensorflow' ? nativeStepUnsupported(spec, heads)
    : s.backend === 'wasm' ? wasmStepUnsupported(spec, heads) : `${s.backend} backend`;
  // Tasks with unlabelled training rows: their losses are masked means (labelMask.ts).
  const masked = heads.filter((h) => hasUnlabelled(train.targets.get(h.task.id)!)).map((h) => h.task.id);
  const every = conflictEvery(spec.evaluation?.conflict);
  const conflict = every ? new ConflictMeter(s, every) : undefined;
  // On native TensorFlow the whole step runs as one graph call where it can (graph/graphStep.ts).
  let fusedFailed: string | undefined;
  const fused = !unsupported && s.backend === 'tensorflow' && s.fusedGraph !== false && !graphStepUnsupported(spec, heads, masked.length > 0, method)
    ? (() => {
      // TensorFlow refusing our graph is our defect, not the user's: train on the eager step and say why.
      try { return compileGraphStep(tf, spec, s.built, heads, s.topo, weighting.variables, new Set(train.coded?.keys()), gradientFamily ? weighting : undefined, conflict?.blockIds,
        s.plannedSteps ?? s.epochs * batchSizes(train.n, t.batchSize).length, !!s.stepHalves); } catch (err) { fusedFailed = err instanceof Error ? err.message : String(err); return undefined; }
    })() : undefined;
  const native = unsupported || fused ? undefined
    : s.backend === 'wasm' ? compileWasmStep(tf, spec, s.built, heads, s.topo) : compileNativeStep(tf, spec, s.built, heads, s.topo, weighting, s.forward.dropoutMask);
  // The compiled steps take this step's loss weights as numbers from the method.
  const lossWeights = (means: () => readonly number[]) => weighting.stepWeights?.(method.needs.losses ? means() : undefined) ?? [];
  const stepper: { step: StepFn; dispose(): void } | undefined = fused ? undefined : native
    ? { step: (xb, yb, lr, masks, seen) => native.step(xb, yb, lr, masks, lossWeights, seen), dispose: () => native.dispose() }
    : gradientFamily ? gradientStep(s, weighting) : genericStep(s, weighting);
  // Labels are made per block from the host targets (deviceData.ts), as the step takes them.
  const trainLabels = (rows: Int32Array) => {
    const y = new Map(heads.map((h) => [h.task.id, labelTensor(tf, h, targetsOf(train.targets.get(h.task.id)!, rows))]));
    return native ? native.prepareLabels(y) : y;
  };
  // The fused graph gathers its batches from the whole split itself.
  fused?.bind(train.x, train.targets, train.coded);
  const labelWidth = heads.reduce((a, h) => a + (h.encoding === 'onehot' ? h.units : 1), 0);
  const rng = new SeededRandom(deriveSeed(t.seed, 'shuffle'));
  const order = new Int32Array(train.n);
  const sizes = batchSizes(train.n, t.batchSize);
  const stepsPerEpoch = sizes.length;
  const reportEvery = Math.max(1, Math.floor(stepsPerEpoch / REPORTS_PER_EPOCH));
  const taskIds = heads.map((h) => h.task.id);
  const lrAt = (epoch: number, b: number) => learningRateAt(t.schedule, t.optimizer.learningRate, (epoch - 1) + b / stepsPerEpoch, s.epochs);
  let step = 0;
  /** A conflict measurement on the tape for a fused step: the session's weights and the step's batch, gathered for it. */
  const measureOnTape = (f: GraphStep, rows: Int32Array, epoch: number): MetricPoint[] => {
    f.sync();
    const { x, y } = f.batch(rows);
    const points = conflict!.measure(step, epoch, x, y, new Map());
    tf.dispose([...x.values(), ...y.values()]);
    return points;
  };
  /** Every task labels every fused step (the fused graph takes no partial labels: graphStepUnsupported). */
  const allLabelled: readonly boolean[] = heads.map(() => true);
  /**
   * One step on the fused graph, which gathers its batch from the split and holds the weights:
   * no batch tensors, masks or losses pass through the loop (the session sums the losses until a
   * report: graph/lossSums.ts). A gradient method's task gradients on the graph are the conflict
   * measurement's; a loss-family method's measurement is a session run of its own where the graph
   * has one (graph/conflictGramians.ts), else the tape's on the weights and the batch it gets.
   */
  const fusedStep = (f: GraphStep, rows: Int32Array, epoch: number, lr: number, reported: boolean) => {
    const due = !!conflict?.due(step);
    const measured = due && !f.servesConflict ? (f.measureConflict ? conflict!.fromGramians(step, epoch, f.measureConflict(rows)) : measureOnTape(f, rows, epoch)) : [];
    if (measured.length) events.progress(measured);
    weighting.begin(step, epoch, allLabelled, reported);
    if (due && f.servesConflict) events.progress(conflict!.fromGramians(step, epoch, f.stepMeasured(rows, lr, lossWeights)));
    else f.step(rows, lr, lossWeights);
    weighting.afterStep([]);
  };
  let lastYield = Date.now();
  let best = Infinity;
  const bestWeights = t.earlyStopping ? new BestWeights(tf, s.built.model) : undefined;
  let sinceBest = 0;
  const path = `${fused || native ? (fused ? GRAPH_STEP_PATH : s.backend === 'wasm' ? WASM_STEP_PATH : 'native') : gradientFamily ? 'tape' : 'generic'}${gradientFamily ? `, task gradients on the shared ${weighting.mode}` : ''}`;
  const affinitySpec = spec.evaluation?.taskAffinity;
  const affinity = affinitySpec ? new AffinityMeter(s, affinitySpec.every ?? AFFINITY_DEFAULT_EVERY) : undefined;
  // Train metrics counted as the steps run (trainMetrics.ts; the fused graph counts in its session), else evaluated at each epoch's end.
  const running = runningTrainMetrics(spec) ? new RunningTrainMetrics(tf, heads, train.targets) : undefined;
  const result: LoopResult = { stepPath: fused || native ? `${path}${fused?.note ? `; ${fused.note}` : ''}${fusedFailed ? ` (the fused graph failed: ${fusedFailed})` : ''}` : `${path} (${unsupported})`,
    ...(fused?.ruleForm ? { ruleForm: fused.ruleForm } : {}), epochsRun: 0, steps: 0, cancelled: false, stoppedEarly: false };

  try {
    for (let epoch = 1; epoch <= s.epochs; epoch++) {
      shuffleRows(order, rng);
      const maskWeights = masked.map((id) => batchWeights(train.targets.get(id)!, order, sizes));
      const weights = new Map(masked.map((id, k) => [id, maskWeights[k]!.weights]));
      const batches = fused ? undefined : new EpochBatches(tf, { x: train.x, ...(train.coded ? { coded: train.coded } : {}), labels: trainLabels, labelWidth, weights }, order, sizes, t.batchSize);
      // Per-task losses of the steps since the last report, read back together; for masked
      // tasks also each step's labelled rows, so the report is the mean over labelled rows.
      let window: TF.Tensor[][] = heads.map(() => []);
      let windowLabelled: number[][] = heads.map(() => []);
      let windowSteps = 0;
      const epochLoss = new Float64Array(heads.length);
      const epochWeight = new Float64Array(heads.length);

      for (let b = 0; b < stepsPerEpoch; b++) {
        const rows = order.subarray(b * t.batchSize, b * t.batchSize + sizes[b]!);
        // The run's first step is a report of its own: a loss not finite there was computed before
        // any update, and says so (trainingDiverged.ts) whatever the report interval.
        const reported = (b + 1) % reportEvery === 0 || b === stepsPerEpoch - 1 || step === 0;
        if (fused) {
          fusedStep(fused, rows, epoch, lrAt(epoch, b), reported);
        } else {
          const { x: xb, y: yb, weights: wb } = batches!.batch(b);
          const mb = new Map(masked.map((id, k) => [id, { weights: wb.get(id)!, labelled: maskWeights[k]!.labelled[b]! }]));
          const conflictPoints = conflict?.measure(step, epoch, xb, yb, mb);
          if (conflictPoints?.length) events.progress(conflictPoints);
          const affinityPoints = affinity?.measure(step, epoch, lrAt(epoch, b), { xb, yb, masks: mb });
          if (affinityPoints?.length) events.progress(affinityPoints);
          weighting.begin(step, epoch, heads.map((h) => (mb.get(h.task.id)?.labelled ?? 1) > 0), reported);
          const losses = stepper!.step(xb, yb, lrAt(epoch, b), mb, running?.sink(rows));
          if (method.needs.lossesAfter) weighting.afterStep(lossesAfterStep(s, xb, yb, mb));
          else weighting.afterStep([]);
          losses.forEach((l, i) => window[i]!.push(l));
          heads.forEach((h, i) => { const m = mb.get(h.task.id); if (m) windowLabelled[i]!.push(m.labelled); });
          tf.dispose([...xb.values(), ...yb.values(), ...[...mb.values()].map((m) => m.weights)]);
        }
        windowSteps++;
        step++;
        if (step === 1) events.firstStep?.();

        if (reported) {
          // A masked task's step loss (a scalar, or the compiled step's weighted per-row
          // losses: summed) is its labelled rows' mean: weighted by their count here.
          const labelledSums = windowLabelled.map((c) => c.reduce((a, v) => a + v, 0));
          const meansT = fused ? undefined : tf.tidy(() => tf.stack(window.map((ls, i) => (windowLabelled[i]!.length
            ? tf.div(tf.sum(tf.mul(tf.stack(ls.map((l) => tf.sum(l))), tf.tensor1d(windowLabelled[i]!))), Math.max(1, labelledSums[i]!))
            : tf.mean(tf.concat(ls.map((l) => l.reshape([-1]))))))));
          const means = meansT ? meansT.dataSync() : fused!.takeLossMeans();
          meansT?.dispose();
          // No labelled row of a task since the last report: no point for it (not a 0).
          const noLabels = heads.map((_, i) => windowLabelled[i]!.length > 0 && labelledSums[i] === 0);
          const bad = heads.findIndex((_, i) => !Number.isFinite(means[i]!));
          if (bad >= 0) {
            throw diverged(`the loss of task "${heads[bad]!.task.id}"`, means[bad]!, epoch, step, bad);
          }
          const ruleDiverged = weighting.divergence();
          if (ruleDiverged) throw ruleDiverged;
          window.forEach((ls) => tf.dispose(ls));
          window = heads.map(() => []);
          const at = { step, epoch, split: 'train' as const };
          const points: MetricPoint[] = heads.flatMap((h, i) => (noLabels[i] ? [] : [{ ...at, task: h.task.id, metric: 'loss', value: means[i]! }]));
          points.push({ ...at, task: WHOLE_MODEL, metric: 'loss', value: Array.from(means).reduce((a, v) => a + v, 0) });
          points.push({ ...at, task: WHOLE_MODEL, metric: 'lr', value: lrAt(epoch, b) });
          // Every method's effective weights (gradient methods: each task's share of the direction).
          fused?.syncLearned(); // uncertainty's log-variances are trained in the graph session
          for (const [task, w] of Object.entries(weighting.current())) points.push({ ...at, task, metric: 'weight', value: w });
          heads.forEach((_, i) => {
            const weight = windowLabelled[i]!.length ? labelledSums[i]! : windowSteps;
            epochLoss[i]! += means[i]! * weight;
            epochWeight[i]! += weight;
          });
          windowLabelled = heads.map(() => []);
          windowSteps = 0;
          events.progress(points);
        }
        if (Date.now() - lastYield >= YIELD_MS) {
          await yieldToEventLoop();
          lastYield = Date.now();
          if (events.cancelled()) break;
        }
      }
      window.forEach((ls) => tf.dispose(ls));
      batches?.dispose();
      // The graph session holds the trained weights: the model gets them before anything reads it,
      // with the epoch's metric sums, in the evaluation's first session run (graph/epochEndReads.ts).
      fused?.syncWithNextRun(!!running);
      if (events.cancelled()) {
        fused?.sync();
        result.cancelled = true;
        break;
      }

      // No validation rows (split.validation 0): nothing is measured, rather than NaN written as a value.
      // The fused graph evaluates in its session where it can (the same forward, in inference mode).
      const evalForward = fused?.evaluationForward ?? s.forward;
      const scores = fused?.evaluationScores;
      const validation = s.validation.n > 0 ? evaluate(tf, evalForward, heads, s.validation, Infinity, scores) : {};
      // A report's losses are its steps' own, taken before their updates: an update that made the
      // model NaN with finite losses (the run's last, or an epoch's) shows first here, in numbers already read.
      const validationDiverged = divergedAfterUpdate(taskIds, validation, 'the validation loss', epoch, step);
      if (validationDiverged) throw validationDiverged;
      fused?.sync(!!running);
      const sums = running && fused?.takeMetricSums?.();
      if (sums) running!.addGraphSums(sums.nodes, sums.taken);
      const trainEval = running ? running.take() : evaluate(tf, evalForward, heads, train, TRAIN_EVAL_LIMIT, scores);
      // Measured after the epoch's last update too, unless counted as the steps ran.
      const trainDiverged = running ? undefined : divergedAfterUpdate(taskIds, trainEval, 'the loss on the training rows', epoch, step);
      if (trainDiverged) throw trainDiverged;
      const points: MetricPoint[] = [];
      const at = { step, epoch };
      for (const [split, values] of [['validation', validation], ['train', trainEval]] as const) {
        for (const [task, metrics] of Object.entries(values)) {
          for (const [metric, value] of Object.entries(metrics)) {
            if (split === 'train' && metric === 'loss') continue; // the epoch's running mean below is the train loss
            points.push({ ...at, split, task, metric, value });
          }
        }
      }
      heads.forEach((h, i) => { if (epochWeight[i]! > 0) points.push({ ...at, split: 'train', task: h.task.id, metric: 'epochLoss', value: epochLoss[i]! / epochWeight[i]! }); });
      weighting.endEpoch(heads.map((_, i) => (epochWeight[i]! > 0 ? epochLoss[i]! / epochWeight[i]! : NaN)));
      const valTotal = taskIds.reduce((acc, id) => acc + (validation[id]?.loss ?? 0), 0);
      if (s.validation.n > 0) points.push({ ...at, split: 'validation', task: WHOLE_MODEL, metric: 'loss', value: valTotal });
      events.epochEnd(epoch, points);
      result.epochsRun = epoch;
      result.lastValidation = validation;

      if (t.earlyStopping) {
        if (valTotal < best - 1e-6) {
          best = valTotal;
          sinceBest = 0;
          bestWeights?.keep(epoch);
        } else if (++sinceBest >= t.earlyStopping.patience) {
          result.stoppedEarly = true;
          break;
        }
      }
    }
    if (!result.cancelled) {
      const restored = bestWeights?.restore();
      if (restored !== undefined) result.restoredEpoch = restored;
    }
  } finally {
    bestWeights?.dispose();
    running?.dispose();
    stepper?.dispose();
    fused?.dispose();
    weighting.dispose();
  }
  result.steps = step;
  if (conflict?.active) result.conflict = conflict.tally.summary();
  if (affinity?.active) result.taskAffinity = affinity.summary();
  return result;
}

/** The batch's task losses after the update (FAMO's measure of progress), without dropout. */
function lossesAfterStep(s: LoopSetup, xb: ReadonlyMap<string, TF.Tensor>, yb: ReadonlyMap<string, TF.Tensor>, masks: ReadonlyMap<string, BatchMask>): number[] {
  const { tf, heads } = s;
  const t = tf.tidy(() => {
    const outs = s.forward(xb, false);
    return tf.stack(heads.map((h) => h.lossFn(headLabels(tf, h, yb.get(h.task.id)!), outs.get(h.task.id)!, masks.get(h.task.id)?.weights)));
  });
  const values = Array.from(t.dataSync());
  t.dispose();
  return values;
}

function clipByGlobalNorm(tf: Tf, grads: TF.NamedTensorMap, maxNorm: number): TF.NamedTensorMap {
  const list = Object.values(grads);
  const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
  const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)]));
}
