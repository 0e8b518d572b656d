// One training run from a document to a run folder: validate, load the data, train the
// shared model, train the single-task baselines, evaluate on the test split, write every
// artifact. Speaks only FromTrainer messages (child.ts sends them over IPC, cli.ts prints them).
import os from 'node:os';
import { experimentPath, singleTaskColumns, singleTaskSpec, type KeptColumns } from '../core/baseline';
import { inputShapeProblems } from '../core/dataShape';
import { computeDeltaM } from '../core/deltaM';
import { withDefaults } from '../core/defaults';
import { describeEstimate, estimateMemory, formatBytes, type MemoryBudget } from '../core/budget';
import { analyzeGraph } from '../core/graph';
import { countParams } from '../core/params';
import { baselinePhase, baselineTasks, phaseKey, phaseLabel, phasesOf, SHARED_PHASE_KEY, type PhaseKey, type TrainingPhase } from '../core/phase';
import type { BackendPreference, FromTrainer, GateMeans, MetricPoint, RunSummary } from '../core/protocol';
import { repeatLabel, repeatUnits, type RepeatPosition } from '../core/repeats';
import { inferShapes } from '../core/shapes';
import type { Explanation, UnitReliance } from '../core/explain';
import type { RobustnessRecord } from '../core/robustness';
import type { RepeatRecord } from '../core/stats/repeated';
import { summarizeRepeats } from '../core/stats/summarizeRepeats';
import type { ConflictSummary } from '../core/conflict';
import type { TaskAffinitySummary } from '../core/taskAffinity';
import type { ExperimentSpec } from '../core/spec';
import { validate } from '../core/validate';
import { formatPath } from '../core/wording';
import { RunFolderError } from './artifacts/runFolderError';
import { RunWriter } from './artifacts/runWriter';
import { loadBackend, type LoadedBackend } from './backend';
import { intraOpThreadsFor, stepHalvesFor, threadsLine } from './threads';
import { oneDnnFor, oneDnnLine } from './oneDnn';
import { grapplerLine } from './graph/sessionConfig';
import { crossValidationPlans, datasetColumns, loadStratified, prereadData, splitLoaded, trainingData, type ExperimentData, type LoadedData, type LoadOptions, type SplitPlan } from './data/index';
import { collectGarbage, releaseFeatures } from './data/release';
import { countRows } from './data/rowCount';
import { dataCacheKey, type DataCache } from './dataCache';
import { imageDecoder } from './imageDecoder';
import { countLabelled } from './labelMask';
import { memoryBudget } from './memoryBudget';
import { disposeSplit, phaseSplit, toDevice, type DeviceSplit } from './deviceData';
import { evaluate, type TaskValues } from './evaluate';
import { logitLayerIds, makeHeads } from './heads';
import { trainLoop } from './loop';
import { buildModel, type BuiltModel } from './model/build';
import { makeForward } from './model/forward';
import { gateMeans } from './model/gateMeans';
import { measureRobustness } from './insight/robustness';
import { explain, tabularFeatureNames, unitReliance } from './insight/saliency';
import { SpecError } from './specError';
import { divergedAfterUpdate } from './trainingDiverged';
import { StartupTimes } from './startupTimes';

export interface RunRequest {
  /** The parsed document (validated here). */
  doc: unknown;
  workspaceDir: string;
  /** Folders data may be read from (data/confine.ts); default workspaceDir alone. */
  allowedRoots?: string[];
  runsDir: string;
  backend: BackendPreference;
  /** Overrides training.epochs (quick tries, tests). */
  epochs?: number;
  /** TensorFlow intra-op threads (native); default: chosen by the model's size (threads.ts). */
  threads?: number;
  /** Refuse a spec estimated to need more memory; default: half of this machine's memory. */
  budget?: MemoryBudget;
  /** The exact run folder (a study's `<variant>-r<repeat>`); default: a new one under runsDir/<experiment>/. */
  runDir?: string;
  /** Data already loaded by an earlier run of this process (a study's): reused when its key matches. */
  dataCache?: DataCache;
  emit(msg: FromTrainer): void;
  cancelled(): boolean;
  /** Reads the data (default loadStratified); tests pass a wrapper to count the reads. */
  loadData?: (spec: ExperimentSpec, options: LoadOptions) => LoadedData;
}

export type RunOutcome = 'completed' | 'cancelled' | 'failed' | 'invalid';


export async function runExperiment(req: RunRequest): Promise<RunOutcome> {
  let writer: RunWriter | undefined;
  const startup = new StartupTimes();
  try {
    // The budget is checked before any data is read or generated and any tensor allocated:
    // first on the spec alone, then with the data's row count and feature shape.
    const budget = req.budget ?? memoryBudget(undefined, '--max-memory');
    const dataFolders: LoadOptions = { workspaceDir: req.workspaceDir, ...(req.allowedRoots ? { allowedRoots: req.allowedRoots } : {}) };
    const checked = validate(req.doc, { budget });
    if (!checked.spec || checked.problems.some((p) => p.severity === 'error')) {
      req.emit({ type: 'problems', problems: checked.problems });
      return 'invalid';
    }
    const columns = safeColumns(checked.spec, dataFolders);
    const rows = countRows(checked.spec, dataFolders);
    const recheck = validate(req.doc, { ...columns, budget, ...(rows !== undefined ? { rows } : {}) });
    if (!recheck.spec || recheck.problems.some((p) => p.severity === 'error')) {
      req.emit({ type: 'problems', problems: recheck.problems });
      return 'invalid';
    }
    for (const p of recheck.problems) req.emit({ type: 'log', level: 'warning', message: `${p.path.join('.')}: ${p.message}` });
    const estimate = estimateMemory(recheck.spec, { ...(rows !== undefined ? { rows } : {}), ...(columns?.featureShape ? { features: columns.featureShape.reduce((x, y) => x * y, 1) } : {}) });
    req.emit({ type: 'log', level: 'info', message: `memory: ${describeEstimate(estimate)} (budget ${formatBytes(budget.bytes)}, ${budget.source})` });
    const spec = withDefaults(recheck.spec);
    if (req.epochs !== undefined) spec.training = { ...spec.training, epochs: req.epochs };

    startup.mark('checked');
    const threadsBy = process.env.TF_NUM_INTRAOP_THREADS ? 'environment' : req.threads !== undefined ? 'requested' : 'automatic';
    // A thread count the user chose is theirs: the step is split only on the automatic choice.
    const stepHalves = threadsBy === 'automatic' && stepHalvesFor(spec, os.availableParallelism());
    const backend = await loadBackend(req.backend, { intraOpThreads: req.threads ?? intraOpThreadsFor(spec), oneDnn: oneDnnFor(spec), stepHalves });
    if (backend.name === 'tensorflow') req.emit({ type: 'log', level: 'info', message: threadsLine(backend.threads, threadsBy, !!backend.stepHalves) });
    if (backend.oneDnn !== undefined) req.emit({ type: 'log', level: 'info', message: oneDnnLine(backend.oneDnn) });
    if (backend.sessionConfig !== undefined) req.emit({ type: 'log', level: 'info', message: grapplerLine(backend.sessionConfig) });
    startup.mark('tensorflow');
    for (const f of backend.fallbacks) req.emit({ type: 'log', level: 'warning', message: `backend passed over: ${f}` });
    // A DataError is a SpecError: the catch below reports it at its JSON path. The source is
    // read once; with cross-validation each fold is a plan over those rows.
    // A study's runs share one load (dataCache.ts): the loaded rows are then only read, never arranged in place.
    const cacheKey = dataCacheKey(spec, req.workspaceDir);
    const cached = req.dataCache?.get(cacheKey);
    const loaded = cached ?? (req.loadData ?? loadStratified)(spec, await prereadData(spec, { ...dataFolders, decodeImage: imageDecoder(backend) }));
    req.dataCache?.set(cacheKey, loaded);
    startup.mark('data');
    const cv = spec.evaluation?.crossValidation;
    const folds: SplitPlan[] = cv
      ? crossValidationPlans(spec.data.split, cv, loaded, cv.test === 'nested' ? undefined : splitLoaded(spec, loaded).parts)
      : [splitLoaded(spec, loaded)];
    // One fold's splits: without folds the loaded rows are arranged in place (no copy of a large data set).
    const foldData = (f: number): ExperimentData => trainingData(spec, folds[f]!, { consume: !cv && !req.dataCache });
    const units = repeatUnits(spec);
    // The folds trained, in order: every fold, or the one of crossValidation.fold (a study's run).
    const trainedFolds = [...new Set(units.map((u) => u.fold?.index ?? 0))];
    let data: ExperimentData = foldData(trainedFolds[0]!);
    // Counted now: with folds the first fold's splits are let go when the next fold is prepared.
    const labelled: RunSummary['labelled'] = {
      rows: { train: data.train.n, validation: data.validation.n, test: data.test.n },
      tasks: Object.fromEntries(spec.tasks.map((t) => [t.id, {
        train: countLabelled(data.train.targets[t.target]!), validation: countLabelled(data.validation.targets[t.target]!), test: countLabelled(data.test.targets[t.target]!),
      }])),
    };
    if (spec.training.earlyStopping && data.validation.n === 0) {
      throw new SpecError(`earlyStopping watches the validation loss, but data.split.validation (${spec.data.split.validation}) leaves no validation examples of this data: raise it or remove earlyStopping.`, ['data', 'split', 'validation']);
    }
    for (const line of cached ? ['data: as loaded for the previous run of this process (same data spec)'] : data.report) req.emit({ type: 'log', level: 'info', message: line });
    // A csv's count of features is known only now: a mismatch is a located problem, not a tensor error.
    const mismatches = inputShapeProblems(spec, data.train.featureShape);
    if (mismatches.length) {
      req.emit({ type: 'problems', problems: mismatches });
      return 'invalid';
    }

    writer = await RunWriter.create({ runsDir: req.runsDir, spec, backend: backend.name, versions: backend.versions, pid: process.pid, ...(req.runDir !== undefined ? { runDir: req.runDir } : {}) });
    const started = new Date();
    const phases = phasesOf(spec);
    const baselines = baselineTasks(phases);
    const repeated = units.length > 1;
    const records: RepeatRecord[] = [];
    // The first repeat's results are the run's own: its model is the one saved, its curves the ones logged.
    let results = new Map<PhaseKey, TaskValues>();
    let restored: RunSummary['earlyStopping'];
    let gates: GateMeans[] = [];
    const robustness: RobustnessRecord[] = [];
    let explanation: Explanation | undefined;
    let conflict: ConflictSummary | undefined;
    let taskAffinity: TaskAffinitySummary | undefined;
    let unitRelianceOfRun: UnitReliance[] | undefined;
    const trainStart = Date.now();
    const sharedHeads = makeHeads(backend.tf, spec);
    const featureNames = tabularFeatureNames(spec, data);
    for (const f of trainedFolds) {
      if (f !== trainedFolds[0]) {
        data = foldData(f);
        req.emit({ type: 'log', level: 'info', message: data.report[data.report.length - 1]! });
      }
      // Onto the device once per fold; every seed and phase of the fold trains on these tensors.
      // Loading's own buffers (the digit files' read buffers: 3.5 MB) are garbage by now: collected
      // before the device copy joins the host's, the moment a run holds its data twice.
      // One hold-out split and no study cache: nothing reads the host features again (released below).
      const consume = !cv && !req.dataCache;
      if (consume) collectGarbage();
      // The training and validation splits as byte codes where their values allow (deviceData.ts;
      // the test split stays float32: the insight measures read it whole), made over the host features when consumed.
      const splits = [data.train, data.validation, data.test].map((ds, k) => toDevice(backend.tf, spec, sharedHeads, ds, { coded: k < 2, consume })) as [DeviceSplit, DeviceSplit, DeviceSplit];
      if (f === trainedFolds[0]) startup.mark('device');
      if (consume) releaseFeatures(data.train, data.validation, data.test, loaded.all);
      try {
        for (const unit of units.filter((u) => (u.fold?.index ?? 0) === f)) {
          const first = unit.index === 0;
          const unitStart = Date.now();
          const unitResults = new Map<PhaseKey, TaskValues>();
          const seeded: ExperimentSpec = { ...spec, training: { ...spec.training, seed: unit.seed } };
          const position: RepeatPosition | undefined = repeated ? { ...unit, of: units.length } : undefined;
          if (position) req.emit({ type: 'log', level: 'info', message: `${repeatLabel(position)}: training ${phases.length} model${phases.length === 1 ? '' : 's'}` });
          for (const phase of phases) {
            const phaseSpec = phase.kind === 'shared' ? seeded : singleTaskSpec(seeded, phase.task);
            const kept = phase.kind === 'shared' ? undefined : singleTaskColumns(seeded, phase.task);
            req.emit({ type: 'started', runDir: writer.runDir, backend: backend.name, versions: backend.versions, totalEpochs: spec.training.epochs, phase, ...(position ? { repeat: position } : {}) });
            const outcome = await trainPhase(backend, phaseSpec, splits, phase, writer, req, first, featureNames, startup, kept).catch((err: unknown) => {
              // A baseline's spec holds its one task and its path's layers: a problem is shown at the experiment's place.
              throw err instanceof SpecError && err.path && phaseSpec !== seeded ? new SpecError(err.message, experimentPath(seeded, phaseSpec, err.path)) : err;
            });
            if (outcome === 'cancelled') {
              await writer.markCancelled();
              return 'cancelled';
            }
            unitResults.set(phaseKey(phase), outcome.test);
            if (first && phase.kind === 'shared' && outcome.restoredEpoch !== undefined) restored = { bestEpoch: outcome.restoredEpoch, epochsRun: outcome.epochsRun };
            if (first && outcome.gates) gates = outcome.gates;
            if (outcome.robustness) robustness.push(...outcome.robustness);
            if (outcome.explanation) explanation = outcome.explanation;
            if (first && outcome.conflict) conflict = outcome.conflict;
            if (first && outcome.taskAffinity) taskAffinity = outcome.taskAffinity;
            if (first && outcome.unitReliance) unitRelianceOfRun = outcome.unitReliance;
          }
          if (first) results = unitResults;
          const test = unitResults.get(SHARED_PHASE_KEY)!;
          const record: RepeatRecord = { ...unit, test, trainSeconds: (Date.now() - unitStart) / 1000, rows: { train: data.train.n, test: data.test.n } };
          if (baselines.length) {
            record.baselines = baselineValues(unitResults, baselines);
            record.deltaM = deltaMOf(test, record.baselines, spec).deltaM;
          }
          records.push(record);
        }
      } finally {
        splits.forEach(disposeSplit);
      }
    }
    const trainSeconds = (Date.now() - trainStart) / 1000;

    const graph = analyzeGraph(spec);
    const shapes = inferShapes(spec, graph).shapes;
    const params = countParams(spec, graph, shapes);
    const shared = results.get(SHARED_PHASE_KEY)!;
    const summary: RunSummary = {
      runDir: writer.runDir,
      status: 'completed',
      backend: backend.name,
      test: shared,
      parameters: { total: params.total, shared: params.shared, perTask: params.perTask, singleTaskTotal: params.singleTaskTotal },
      timings: { startedAt: started.toISOString(), endedAt: new Date().toISOString(), trainSeconds },
      labelled,
      ...(restored ? { earlyStopping: restored } : {}),
    };
    if (gates.length) summary.gates = gates;
    if (robustness.length) summary.robustness = robustness;
    if (conflict) summary.conflict = conflict;
    if (taskAffinity) summary.taskAffinity = taskAffinity;
    if (unitRelianceOfRun) summary.unitReliance = unitRelianceOfRun;
    if (baselines.length) {
      const baselineTest = baselineValues(results, baselines);
      const d = deltaMOf(shared, baselineTest, spec);
      summary.baselines = { test: baselineTest, comparisons: d.comparisons, deltaM: d.deltaM, parameters: params.singleTaskTotal, convention: d.convention, excluded: d.excluded };
    }
    if (repeated) summary.repeated = summarizeRepeats(records);
    await writer.complete({ summary, ...(explanation ? { explanation } : {}) });
    req.emit({ type: 'done', summary: { ...summary, runDir: writer.runDir } });
    return 'completed';
  } catch (err) {
    // A SpecError (data, model build, a layer at run time, divergence) is the user's to fix and
    // says where: its path leads the message everywhere it is shown (CLI, run.json, the panel).
    if (err instanceof SpecError) {
      const where = err.path?.length ? formatPath(err.path) : '';
      const message = where && !err.message.startsWith(where) ? `${where}: ${err.message}` : err.message;
      req.emit({ type: 'error', message, ...(err.path?.length ? { path: err.path } : {}) });
      if (writer) await writer.markFailed(message).catch(() => undefined);
      return 'failed';
    }
    if (err instanceof RunFolderError) {
      // Disk full or read-only: the message names the folder; no stack, it is not a bug.
      req.emit({ type: 'error', message: err.message });
      if (writer) await writer.markFailed(err).catch(() => undefined);
      return 'failed';
    }
    const message = err instanceof Error ? err.message : String(err);
    req.emit({ type: 'error', message, ...(err instanceof Error && err.stack ? { detail: err.stack } : {}) });
    if (writer) await writer.markFailed(err).catch(() => undefined);
    return 'failed';
  }
}

/** The baselines' test values of their own tasks. */
function baselineValues(results: ReadonlyMap<PhaseKey, TaskValues>, tasks: readonly string[]): TaskValues {
  return Object.fromEntries(tasks.map((t) => [t, results.get(phaseKey(baselinePhase(t)))![t]!]));
}

/** Δm over the task metrics; the loss is left out (its scale differs between kinds of tasks). */
function deltaMOf(shared: TaskValues, baselines: TaskValues, spec: ExperimentSpec) {
  return computeDeltaM(shared, baselines, (_task, metric) => metric !== 'loss', spec.evaluation?.deltaM);
}

/** Column names of tabular sources, for validation of features and targets; undefined when unknown or unreadable (loading reports that). */
function safeColumns(spec: ExperimentSpec, folders: LoadOptions) {
  try {
    return datasetColumns(spec, folders.workspaceDir, folders.allowedRoots);
  } catch {
    return undefined;
  }
}

/**
 * Trains one model (shared or a baseline) and returns its test metrics (with early stopping:
 * of the best validation epoch's weights, restored by the loop), or 'cancelled'.
 * `kept`: a baseline's cut-down blocks (core/baseline singleTaskColumns).
 */
async function trainPhase(backend: LoadedBackend, spec: ExperimentSpec, fold: readonly DeviceSplit[], phase: TrainingPhase,
  writer: RunWriter, req: RunRequest, record: boolean, featureNames: Map<string, string[]>, startup: StartupTimes, kept?: ReadonlyMap<string, KeptColumns>): Promise<{ test: TaskValues; epochsRun: number; restoredEpoch?: number; gates?: GateMeans[]; robustness?: RobustnessRecord[]; explanation?: Explanation; conflict?: ConflictSummary; taskAffinity?: TaskAffinitySummary; unitReliance?: UnitReliance[] } | 'cancelled'> {
  const { tf } = backend;
  const topo = analyzeGraph(spec).order;
  const t = spec.training;
  const heads = makeHeads(tf, spec);
  let built: BuiltModel | undefined;
  // A task's baseline trains (and is measured) on the rows labelled for it.
  const inputs = spec.model.inputs.map((i) => i.id);
  const views = fold.map((split) => phaseSplit(tf, split, inputs, phase.kind === 'baseline' ? phase.task : undefined));
  const [train, validation, test] = views.map((v) => v.split) as [DeviceSplit, DeviceSplit, DeviceSplit];
  // Only the first repeat's curves go into the run folder (its model is the one saved); later repeats report progress only.
  const append = (points: MetricPoint[]) => { if (record) writer.appendMetrics(points, phase); };
  try {
    built = buildModel(tf, spec, topo, t.seed, kept);
    startup.mark('model');
    const forward = makeForward(tf, spec, built, topo, { logitLayers: logitLayerIds(heads), seed: t.seed });
    // Conflict and affinity are kept from the first repeat only: later repeats do not measure them.
    const measured = record ? spec : { ...spec, evaluation: { ...spec.evaluation, conflict: { every: 0 }, taskAffinity: undefined } };
    const result = await trainLoop({
      tf, backend: backend.name, spec: measured, built, forward, heads, topo, train, validation, epochs: t.epochs, phase, ...(backend.stepHalves ? { stepHalves: true } : {}),
      events: {
        progress: (points) => {
          append(points);
          req.emit({ type: 'progress', phase, points });
        },
        epochEnd: (epoch, points) => {
          append(points);
          // A write fault is kept by the writer and thrown by the next appendMetrics, which stops training.
          writer.flush().catch(() => undefined);
          req.emit({ type: 'epochEnd', phase, epoch, totalEpochs: t.epochs, values: points });
        },
        cancelled: req.cancelled,
        firstStep: () => {
          if (phase.kind !== 'shared') return;
          startup.mark('firstStep');
          req.emit({ type: 'log', level: 'info', message: startup.line() });
        },
      },
    });
    const restoredNote = result.restoredEpoch !== undefined ? `; weights of epoch ${result.restoredEpoch} (best validation loss) restored for testing and saving` : '';
    req.emit({ type: 'log', level: 'info', message: `${phaseLabel(phase)}: ${result.steps} steps, training step ${result.stepPath}${result.ruleForm ? ` (${result.ruleForm})` : ''}${result.stoppedEarly ? `, stopped early at epoch ${result.epochsRun}` : ''}${restoredNote}` });
    if (result.cancelled) return 'cancelled';
    const testValues = evaluate(tf, forward, heads, test);
    // With no validation rows (and train metrics counted as the steps ran) nothing read the last update's model before the test.
    const testDiverged = divergedAfterUpdate(heads.map((h) => h.task.id), testValues, 'the test loss', result.epochsRun, result.steps);
    if (testDiverged) throw testDiverged;
    // The first repeat's models only (the saved model is the first repeat's).
    const explanation = record && phase.kind === 'shared' && spec.evaluation?.explain
      ? explain(tf, spec, forward, heads, test, spec.evaluation.explain, featureNames) : undefined;
    // Every run keeps its shared units' reliance for the diagram: one backward pass per task and
    // shared dense layer on up to EXPLAIN_ROWS test rows (measured: 0.1 s on digits-parity, under
    // 1 s on multimnist-cnn, whose one-epoch run takes 38 s).
    const reliance = record && phase.kind === 'shared' ? explanation?.units ?? unitReliance(tf, spec, forward, heads, test) : undefined;
    const robustness = record && spec.evaluation?.robustness && measureRobustness(tf, forward, heads, test, spec.evaluation.robustness,
      phase.kind === 'shared' ? 'shared' : phase.task, t.seed).records;
    const points: MetricPoint[] = [];
    for (const [task, metrics] of Object.entries(testValues)) {
      for (const [metric, value] of Object.entries(metrics)) points.push({ step: result.steps, epoch: result.epochsRun, split: 'test', task, metric, value });
    }
    append(points);
    // The shared model's gated blocks: each task's mean gate weight per expert, on the weights tested.
    const gates = phase.kind === 'shared' ? gateMeans(tf, spec, built, test.x) : [];
    if (phase.kind === 'shared' && record) await writer.saveModel(built.model);
    return { test: testValues, epochsRun: result.epochsRun, ...(result.restoredEpoch !== undefined ? { restoredEpoch: result.restoredEpoch } : {}),
      ...(gates.length ? { gates } : {}), ...(robustness ? { robustness } : {}), ...(explanation ? { explanation } : {}),
      ...(phase.kind === 'shared' && result.conflict ? { conflict: result.conflict } : {}),
      ...(phase.kind === 'shared' && result.taskAffinity ? { taskAffinity: result.taskAffinity } : {}),
      ...(reliance?.length ? { unitReliance: reliance } : {}) };
  } finally {
    for (const v of views) if (v.owned) disposeSplit(v.split);
    built?.model.dispose();
  }
}
