// One training run from a document to a run folder: validate, load the data, train the
// shared model, train the single-task baselines, evaluate on the test split, write every
// artifact. Speaks only FromTrainer messages (child.ts sends them over IPC, cli.ts prints them).
import { singleTaskSpec } from '../core/baseline';
import { computeDeltaM } from '../core/deltaM';
import { withDefaults } from '../core/defaults';
import { analyzeGraph } from '../core/graph';
import { countParams } from '../core/params';
import type { BackendPreference, FromTrainer, MetricPoint, RunSummary, TrainingPhase } from '../core/protocol';
import { inferShapes } from '../core/shapes';
import type { ExperimentSpec } from '../core/spec';
import { validate } from '../core/validate';
import { RunWriter } from './artifacts/runWriter';
import { loadBackend, type LoadedBackend } from './backend';
import { intraOpThreadsFor, threadsLine } from './threads';
import { datasetColumns, DataError, loadExperimentData, type ExperimentData } from './data/index';
import { disposeSplit, toDevice } from './deviceData';
import { evaluate, type TaskValues } from './evaluate';
import { makeHeads } from './heads';
import { trainLoop, TrainingDiverged } from './loop';
import { buildModel, type BuiltModel } from './model/build';
import { makeForward } from './model/forward';

export interface RunRequest {
  /** The parsed document (validated here). */
  doc: unknown;
  workspaceDir: string;
  runsDir: string;
  backend: BackendPreference;
  /** Overrides training.epochs (quick tries, tests). */
  epochs?: number;
  /** TensorFlow intra-op threads (native); default: chosen by the model's size (threads.ts). */
  threads?: number;
  emit(msg: FromTrainer): void;
  cancelled(): boolean;
}

export type RunOutcome = 'completed' | 'cancelled' | 'failed' | 'invalid';

/** A user-facing problem: shown as a message, never as a stack trace. */
class UserError extends Error {
  constructor(message: string, readonly path?: (string | number)[]) { super(message); }
}

export async function runExperiment(req: RunRequest): Promise<RunOutcome> {
  let writer: RunWriter | undefined;
  try {
    const checked = validate(req.doc);
    if (!checked.spec || checked.problems.some((p) => p.severity === 'error')) {
      req.emit({ type: 'problems', problems: checked.problems });
      return 'invalid';
    }
    const columns = safeColumns(checked.spec, req.workspaceDir);
    const recheck = columns ? validate(req.doc, columns) : checked;
    if (!recheck.spec || recheck.problems.some((p) => p.severity === 'error')) {
      req.emit({ type: 'problems', problems: recheck.problems });
      return 'invalid';
    }
    for (const p of recheck.problems) req.emit({ type: 'log', level: 'warning', message: `${p.path.join('.')}: ${p.message}` });
    const spec = withDefaults(recheck.spec);
    if (req.epochs !== undefined) spec.training = { ...spec.training, epochs: req.epochs };

    const threadsBy = process.env.TF_NUM_INTRAOP_THREADS ? 'environment' : req.threads !== undefined ? 'requested' : 'automatic';
    const backend = await loadBackend(req.backend, { intraOpThreads: req.threads ?? intraOpThreadsFor(spec) });
    if (backend.name === 'tensorflow') req.emit({ type: 'log', level: 'info', message: threadsLine(backend.threads, threadsBy) });
    for (const f of backend.fallbacks) req.emit({ type: 'log', level: 'warning', message: `backend passed over: ${f}` });
    let data: ExperimentData;
    try {
      data = loadExperimentData(spec, { workspaceDir: req.workspaceDir });
    } catch (err) {
      if (err instanceof DataError) throw new UserError(err.message, err.path);
      throw err;
    }
    for (const line of data.report) req.emit({ type: 'log', level: 'info', message: line });

    writer = await RunWriter.create({ runsDir: req.runsDir, spec, backend: backend.name, versions: backend.versions, pid: process.pid });
    const started = new Date();
    const baselineTasks = spec.evaluation?.baselines === 'single-task' && spec.tasks.length > 1 ? spec.tasks.map((t) => t.id) : [];
    const phases: TrainingPhase[] = [{ kind: 'shared' }, ...baselineTasks.map((task) => ({ kind: 'baseline' as const, task }))];
    const results = new Map<string, TaskValues>();
    const trainStart = Date.now();
    for (const phase of phases) {
      const phaseSpec = phase.kind === 'shared' ? spec : singleTaskSpec(spec, phase.task);
      req.emit({ type: 'started', runDir: writer.runDir, backend: backend.name, versions: backend.versions, totalEpochs: spec.training.epochs, phase });
      const outcome = await trainPhase(backend, phaseSpec, data, phase, writer, req);
      if (outcome === 'cancelled') {
        await writer.markCancelled();
        return 'cancelled';
      }
      results.set(phase.kind === 'shared' ? '*' : phase.task, outcome);
    }
    const trainSeconds = (Date.now() - trainStart) / 1000;

    const graph = analyzeGraph(spec);
    const shapes = inferShapes(spec, graph).shapes;
    const params = countParams(spec, graph, shapes);
    const shared = results.get('*')!;
    const summary: RunSummary = {
      runDir: writer.runDir,
      status: 'completed',
      backend: backend.name,
      test: shared,
      parameters: { total: params.total, shared: params.shared, perTask: params.perTask, singleTaskTotal: params.singleTaskTotal },
      timings: { startedAt: started.toISOString(), endedAt: new Date().toISOString(), trainSeconds },
    };
    if (baselineTasks.length) {
      const baselineTest: TaskValues = Object.fromEntries(baselineTasks.map((t) => [t, results.get(t)![t]!]));
      // Δm over the task metrics; the loss is left out (its scale differs between kinds of tasks).
      const d = computeDeltaM(shared, baselineTest, (_task, metric) => metric !== 'loss');
      summary.baselines = { test: baselineTest, comparisons: d.comparisons, deltaM: d.deltaM, parameters: params.singleTaskTotal };
    }
    await writer.complete({ summary });
    req.emit({ type: 'done', summary: { ...summary, runDir: writer.runDir } });
    return 'completed';
  } catch (err) {
    const user = err instanceof UserError || err instanceof TrainingDiverged;
    const message = err instanceof Error ? err.message : String(err);
    req.emit({ type: 'error', message, ...(!user && err instanceof Error && err.stack ? { detail: err.stack } : {}), ...(err instanceof UserError && err.path ? { path: err.path } : {}) });
    if (writer) await writer.markFailed(err).catch(() => undefined);
    return 'failed';
  }
}

/** Column names of tabular sources, for validation of features and targets; undefined when unknown or unreadable (loading reports that). */
function safeColumns(spec: ExperimentSpec, workspaceDir: string) {
  try {
    return datasetColumns(spec, workspaceDir);
  } catch {
    return undefined;
  }
}

/** Trains one model (shared or a baseline) and returns its test metrics, or 'cancelled'. */
async function trainPhase(backend: LoadedBackend, spec: ExperimentSpec, data: ExperimentData, phase: TrainingPhase,
  writer: RunWriter, req: RunRequest): Promise<TaskValues | 'cancelled'> {
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
          void writer.flush();
          req.emit({ type: 'epochEnd', phase, epoch, totalEpochs: t.epochs, values: points });
        },
        cancelled: req.cancelled,
      },
    });
    const label = phase.kind === 'shared' ? 'shared model' : `baseline ${phase.task}`;
    req.emit({ type: 'log', level: 'info', message: `${label}: ${result.steps} steps, training step ${result.stepPath}${result.stoppedEarly ? ', stopped early' : ''}` });
    if (result.cancelled) return 'cancelled';
    const testValues = evaluate(tf, forward, heads, test);
    const points: MetricPoint[] = [];
    for (const [task, metrics] of Object.entries(testValues)) {
      for (const [metric, value] of Object.entries(metrics)) points.push({ step: result.steps, epoch: result.epochsRun, split: 'test', task, metric, value });
    }
    writer.appendMetrics(points, phase);
    if (phase.kind === 'shared') await writer.saveModel(built.model);
    return testValues;
  } finally {
    splits.forEach(disposeSplit);
    built?.model.dispose();
  }
}
