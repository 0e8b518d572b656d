// One training run from a document to a run folder: validate, load the data, train the
// shared model, train the single-task baselines, evaluate on the test split, write every
// artifact. Speaks only FromTrainer messages (child.ts sends them over IPC, cli.ts prints them).
import { singleTaskSpec } from '../core/baseline';
import { inputShapeProblems } from '../core/dataShape';
import { computeDeltaM } from '../core/deltaM';
import { withDefaults } from '../core/defaults';
import { describeEstimate, estimateMemory, formatBytes, type MemoryBudget } from '../core/budget';
import { analyzeGraph } from '../core/graph';
import { countParams } from '../core/params';
import { baselinePhase, baselineTasks, phaseKey, phaseLabel, phasesOf, SHARED_PHASE_KEY, type PhaseKey, type TrainingPhase } from '../core/phase';
import type { BackendPreference, FromTrainer, GateMeans, MetricPoint, RunSummary } from '../core/protocol';
import { inferShapes } from '../core/shapes';
import type { Explanation } from '../core/explain';
import type { RobustnessRecord } from '../core/robustness';
import type { ConflictSummary } from '../core/conflict';
import type { TaskAffinitySummary } from '../core/taskAffinity';
import type { ExperimentSpec } from '../core/spec';
import { validate } from '../core/validate';
import { formatPath } from '../core/wording';
import { RunFolderError } from './artifacts/runFolderError';
import { RunWriter } from './artifacts/runWriter';
import { loadBackend, type LoadedBackend } from './backend';
import { intraOpThreadsFor, threadsLine } from './threads';
import { datasetColumns, loadExperimentData, prereadData, takeRows, type Dataset, type ExperimentData, type LoadOptions } from './data/index';
import { countRows } from './data/rowCount';
import { imageDecoder } from './imageDecoder';
import { countLabelled, hasUnlabelled, labelledRows } from './labelMask';
import { memoryBudget } from './memoryBudget';
import { disposeSplit, toDevice } from './deviceData';
import { evaluate, type TaskValues } from './evaluate';
import { makeHeads } from './heads';
import { trainLoop } from './loop';
import { buildModel, type BuiltModel } from './model/build';
import { makeForward } from './model/forward';
import { gateMeans } from './model/gateMeans';
import { measureRobustness } from './insight/robustness';
import { explain, tabularFeatureNames } from './insight/saliency';
import { SpecError } from './specError';

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
  emit(msg: FromTrainer): void;
  cancelled(): boolean;
}

export type RunOutcome = 'completed' | 'cancelled' | 'failed' | 'invalid';


export async function runExperiment(req: RunRequest): Promise<RunOutcome> {
  let writer: RunWriter | undefined;
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

    const threadsBy = process.env.TF_NUM_INTRAOP_THREADS ? 'environment' : req.threads !== undefined ? 'requested' : 'automatic';
    const backend = await loadBackend(req.backend, { intraOpThreads: req.threads ?? intraOpThreadsFor(spec) });
    if (backend.name === 'tensorflow') req.emit({ type: 'log', level: 'info', message: threadsLine(backend.threads, threadsBy) });
    for (const f of backend.fallbacks) req.emit({ type: 'log', level: 'warning', message: `backend passed over: ${f}` });
    // A DataError is a SpecError: the catch below reports it at its JSON path.
    const data: ExperimentData = loadExperimentData(spec, await prereadData(spec, { ...dataFolders, decodeImage: imageDecoder(backend) }));
    if (spec.training.earlyStopping && data.validation.n === 0) {
      throw new SpecError(`earlyStopping watches the validation loss, but data.split.validation (${spec.data.split.validation}) leaves no validation examples of this data: raise it or remove earlyStopping.`, ['data', 'split', 'validation']);
    }
    for (const line of data.report) req.emit({ type: 'log', level: 'info', message: line });
    // A csv's count of features is known only now: a mismatch is a located problem, not a tensor error.
    const mismatches = inputShapeProblems(spec, data.train.featureShape);
    if (mismatches.length) {
      req.emit({ type: 'problems', problems: mismatches });
      return 'invalid';
    }

    writer = await RunWriter.create({ runsDir: req.runsDir, spec, backend: backend.name, versions: backend.versions, pid: process.pid });
    const started = new Date();
    const phases = phasesOf(spec);
    const baselines = baselineTasks(phases);
    const results = new Map<PhaseKey, TaskValues>();
    let restored: RunSummary['earlyStopping'];
    let gates: GateMeans[] = [];
    const robustness: RobustnessRecord[] = [];
    let explanation: Explanation | undefined;
    let conflict: ConflictSummary | undefined;
    let taskAffinity: TaskAffinitySummary | undefined;
    const trainStart = Date.now();
    for (const phase of phases) {
      const phaseSpec = phase.kind === 'shared' ? spec : singleTaskSpec(spec, phase.task);
      req.emit({ type: 'started', runDir: writer.runDir, backend: backend.name, versions: backend.versions, totalEpochs: spec.training.epochs, phase });
      // A task's baseline trains (and is measured) on the rows labelled for it.
      const phaseData = phase.kind === 'shared' ? data : labelledFor(data, spec.tasks.find((t) => t.id === phase.task)!.target);
      const outcome = await trainPhase(backend, phaseSpec, phaseData, phase, writer, req);
      if (outcome === 'cancelled') {
        await writer.markCancelled();
        return 'cancelled';
      }
      results.set(phaseKey(phase), outcome.test);
      if (phase.kind === 'shared' && outcome.restoredEpoch !== undefined) restored = { bestEpoch: outcome.restoredEpoch, epochsRun: outcome.epochsRun };
      if (outcome.gates) gates = outcome.gates;
      if (outcome.robustness) robustness.push(...outcome.robustness);
      if (outcome.explanation) explanation = outcome.explanation;
      if (outcome.conflict) conflict = outcome.conflict;
      if (outcome.taskAffinity) taskAffinity = outcome.taskAffinity;
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
      labelled: {
        rows: { train: data.train.n, validation: data.validation.n, test: data.test.n },
        tasks: Object.fromEntries(spec.tasks.map((t) => [t.id, {
          train: countLabelled(data.train.targets[t.target]!), validation: countLabelled(data.validation.targets[t.target]!), test: countLabelled(data.test.targets[t.target]!),
        }])),
      },
      ...(restored ? { earlyStopping: restored } : {}),
    };
    if (gates.length) summary.gates = gates;
    if (robustness.length) summary.robustness = robustness;
    if (conflict) summary.conflict = conflict;
    if (taskAffinity) summary.taskAffinity = taskAffinity;
    if (baselines.length) {
      const baselineTest: TaskValues = Object.fromEntries(baselines.map((t) => [t, results.get(phaseKey(baselinePhase(t)))![t]!]));
      // Δm over the task metrics; the loss is left out (its scale differs between kinds of tasks).
      const d = computeDeltaM(shared, baselineTest, (_task, metric) => metric !== 'loss', spec.evaluation?.deltaM);
      summary.baselines = { test: baselineTest, comparisons: d.comparisons, deltaM: d.deltaM, parameters: params.singleTaskTotal, convention: d.convention, excluded: d.excluded };
    }
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

/** The splits' rows that have this target (all of them unless labels are partial). */
function labelledFor(data: ExperimentData, target: string): ExperimentData {
  const only = (ds: Dataset): Dataset => (hasUnlabelled(ds.targets[target]!) ? takeRows(ds, labelledRows(ds.targets[target]!)) : ds);
  return { ...data, train: only(data.train), validation: only(data.validation), test: only(data.test) };
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
 */
async function trainPhase(backend: LoadedBackend, spec: ExperimentSpec, data: ExperimentData, phase: TrainingPhase,
  writer: RunWriter, req: RunRequest): Promise<{ test: TaskValues; epochsRun: number; restoredEpoch?: number; gates?: GateMeans[]; robustness?: RobustnessRecord[]; explanation?: Explanation; conflict?: ConflictSummary; taskAffinity?: TaskAffinitySummary } | 'cancelled'> {
  const { tf } = backend;
  const topo = analyzeGraph(spec).order;
  const t = spec.training;
  const heads = makeHeads(tf, spec);
  let built: BuiltModel | undefined;
  const splits = [data.train, data.validation, data.test].map((ds) => toDevice(tf, spec, heads, ds));
  const [train, validation, test] = splits as [typeof splits[0], typeof splits[0], typeof splits[0]];
  try {
    built = buildModel(tf, spec, topo, t.seed);
    const forward = makeForward(tf, spec, built, topo, { logitLayers: new Set(heads.filter((h) => h.logits).map((h) => h.layerId)), seed: t.seed });
    const result = await trainLoop({
      tf, backend: backend.name, spec, built, forward, heads, topo, train, validation, epochs: t.epochs, phase,
      events: {
        progress: (points) => {
          writer.appendMetrics(points, phase);
          req.emit({ type: 'progress', phase, points });
        },
        epochEnd: (epoch, points) => {
          writer.appendMetrics(points, phase);
          // A write fault is kept by the writer and thrown by the next appendMetrics, which stops training.
          writer.flush().catch(() => undefined);
          req.emit({ type: 'epochEnd', phase, epoch, totalEpochs: t.epochs, values: points });
        },
        cancelled: req.cancelled,
      },
    });
    const restoredNote = result.restoredEpoch !== undefined ? `; weights of epoch ${result.restoredEpoch} (best validation loss) restored for testing and saving` : '';
    req.emit({ type: 'log', level: 'info', message: `${phaseLabel(phase)}: ${result.steps} steps, training step ${result.stepPath}${result.stoppedEarly ? `, stopped early at epoch ${result.epochsRun}` : ''}${restoredNote}` });
    if (result.cancelled) return 'cancelled';
    const testValues = evaluate(tf, forward, heads, test);
    const explanation = phase.kind === 'shared' && spec.evaluation?.explain
      ? explain(tf, spec, forward, heads, test, spec.evaluation.explain, tabularFeatureNames(spec, data)) : undefined;
    const robustness = spec.evaluation?.robustness && measureRobustness(tf, forward, heads, test, spec.evaluation.robustness,
      phase.kind === 'shared' ? 'shared' : phase.task, t.seed).records;
    const points: MetricPoint[] = [];
    for (const [task, metrics] of Object.entries(testValues)) {
      for (const [metric, value] of Object.entries(metrics)) points.push({ step: result.steps, epoch: result.epochsRun, split: 'test', task, metric, value });
    }
    writer.appendMetrics(points, phase);
    // The shared model's gated blocks: each task's mean gate weight per expert, on the weights tested.
    const gates = phase.kind === 'shared' ? gateMeans(tf, spec, built, test.x) : [];
    if (phase.kind === 'shared') await writer.saveModel(built.model);
    return { test: testValues, epochsRun: result.epochsRun, ...(result.restoredEpoch !== undefined ? { restoredEpoch: result.restoredEpoch } : {}),
      ...(gates.length ? { gates } : {}), ...(robustness ? { robustness } : {}), ...(explanation ? { explanation } : {}),
      ...(phase.kind === 'shared' && result.conflict ? { conflict: result.conflict } : {}),
      ...(phase.kind === 'shared' && result.taskAffinity ? { taskAffinity: result.taskAffinity } : {}) };
  } finally {
    splits.forEach(disposeSplit);
    built?.model.dispose();
  }
}
