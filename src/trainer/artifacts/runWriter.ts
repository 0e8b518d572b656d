// Everything a run leaves on disk, behind one small API the training loop calls without
// knowing any file format:
//   const run = await RunWriter.create({ runsDir, spec, backend, versions });
//   run.appendMetrics(points, phase); await run.flush();   // at each epoch end
//   await run.saveModel(model);
//   await run.complete({ summary })  |  run.markFailed(err)  |  run.markCancelled()
// The run folder is created exclusively (a name already taken gets a new short id), so a run
// never touches another run's files. Whole files are written atomically; metrics.jsonl and
// the event files are appended to in whole lines / records (a failed append is cut back), so
// they stay readable if the process dies or the disk fills up.
//
// Faults: a folder that cannot be written (disk full, read-only, no permission) is a
// RunFolderError whose message names the folder; after one, the writer is broken and the next
// appendMetrics throws it, so training stops and the run is marked failed where run.json can
// still be written. Any failed write counts (a folder put where metrics.jsonl was, the file size
// limit), not only a full or read-only disk: a run that lost metrics never reads "completed".
// The folder's identity is checked before each write: a run folder removed (or replaced) from
// outside mid-run is a fault, never recreated half (tensorboard/ and charts/ are made with
// mkdir -p, which would otherwise bring back a folder that "completes" without its first files).
// Temporary files of runs whose trainer is gone are removed when the next
// run of the experiment starts.
import { randomBytes } from 'node:crypto';
import fsSync, { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SHARED_PHASE, type TrainingPhase } from '../../core/phase';
import type { BackendName, MetricPoint, RunStatus, RunSummary } from '../../core/protocol';
import type { Explanation } from '../../core/explain';
import {
  experimentRunsDir, parseMetricsJsonl, RUN_FILES, runFolderName, sanitizePathSegment,
  TENSORBOARD_SHARED, tensorboardBaselineFolder,
  type MetricRecord, type RunRecord,
} from '../../core/runLayout';
import type { ExperimentSpec } from '../../core/spec';
import { appendWhole, makeFolderIn, makeFolders, tempSibling, writeFileAtomic, writeJsonAtomic, writeJsonAtomicOrInPlace } from './atomicWrite';
import { FolderIdentity, folderStat } from './folderIdentity';
import { EpochTable } from './metricsTable';
import { saveModelAtomic, type SavableModel } from './modelSaver';
import { stageReport } from './report';
import { processStart } from '../../node/processIdentity';
import { asRunFileFault, RunFolderError, runFolderGone } from './runFolderError';
import { removeStaleTemps } from './staleTemps';
import { tensorboardTag, TensorBoardWriter, type Scalar } from './tensorboard';
import { setOwn } from '../../core/own';

/** Open writers of this process: a second Ctrl+C ends them synchronously before exiting (finishOpenRunsSync). */
const openWriters = new Set<RunWriter>();

export interface RunWriterOptions {
  /** Folder holding all runs, e.g. `<workspace>/runs`. */
  runsDir: string;
  /** The exact spec used, defaults filled in: written as experiment.json. */
  spec: ExperimentSpec;
  backend: BackendName;
  /** Package versions; the Node version is added. */
  versions?: Record<string, string>;
  /** Clock (tests); default: the system clock. */
  now?: () => Date;
  /** Short-id source (tests); default: 6 random hex digits. */
  shortId?: () => string;
  pid?: number;
  hostname?: string;
  /**
   * The exact run folder (a study's `<variant>-r<repeat>`), created exclusively; default: a new
   * `<YYYYMMDD-HHMMSS>-<short id>` under `<runsDir>/<experiment name>/`.
   */
  runDir?: string;
}

export interface RunCompletion {
  summary: RunSummary;
  /** evaluation.explain: written as explain.json and drawn in the report (too large for summary.json). */
  explanation?: Explanation;
}

const defaultShortId = (): string => randomBytes(3).toString('hex');

interface PendingScalar {
  step: number;
  wallTime: number;
  scalar: Scalar;
}

export class RunWriter {
  private pendingLines: string[] = [];
  private readonly pendingScalars = new Map<string, PendingScalar[]>();
  private readonly tensorboard = new Map<string, TensorBoardWriter>();
  private readonly table = new EpochTable();
  /** File operations run one after another, so run.json updates never interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  private finalStatus: RunStatus | undefined;
  /** The first write fault: metrics after it would be lost, so training must stop. */
  private broken: unknown;
  /** The run folder as created (folderIdentity.ts): a folder by its name that is not this one is someone else's. */
  private folder: FolderIdentity | undefined;

  private constructor(
    readonly runDir: string,
    private record: RunRecord,
    private readonly options: RunWriterOptions,
  ) {}

  /** Creates the run folder and writes experiment.json, then run.json (status running). */
  static async create(options: RunWriterOptions): Promise<RunWriter> {
    const now = options.now ?? (() => new Date());
    const started = now();
    const parent = options.runDir !== undefined ? path.dirname(options.runDir) : experimentRunsDir(options.runsDir, options.spec.name);
    // A study's run goes into the study folder as it is: made again, it would hold only later runs.
    try {
      if (options.runDir === undefined) await makeFolders(parent);
    } catch (err) {
      throw asRunFileFault(err, parent);
    }
    await removeStaleTemps(parent);
    let runDir = options.runDir ?? '';
    let id = options.runDir !== undefined ? path.basename(options.runDir) : '';
    if (options.runDir !== undefined) {
      try {
        await fs.mkdir(runDir); // exclusive: a study's run folder is never written twice
      } catch (err) {
        throw asRunFileFault(err, parent);
      }
    }
    for (let attempt = 0; options.runDir === undefined; attempt++) {
      id = runFolderName(started, (options.shortId ?? defaultShortId)());
      runDir = path.join(parent, id);
      try {
        await fs.mkdir(runDir); // exclusive: fails if the name is taken
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 50) throw asRunFileFault(err, parent);
      }
    }
    const pid = options.pid ?? process.pid;
    const start = processStart(pid);
    const record: RunRecord = {
      formatVersion: 1,
      id,
      experiment: options.spec.name,
      status: 'running',
      backend: options.backend,
      versions: { node: process.versions.node, ...options.versions },
      seed: options.spec.training.seed,
      pid,
      hostname: options.hostname ?? os.hostname(),
      ...(start !== undefined ? { processStart: start } : {}),
      startedAt: started.toISOString(),
    };
    const writer = new RunWriter(runDir, record, options);
    try {
      writer.folder = await FolderIdentity.of(runDir);
      await writeJsonAtomic(path.join(runDir, RUN_FILES.experiment), options.spec);
      await writeJsonAtomic(path.join(runDir, RUN_FILES.run), record);
    } catch (err) {
      const fault = asRunFileFault(err, runDir);
      await writer.finish('failed', now(), {}, fault).catch(() => undefined); // where run.json can still be written
      // Not even run.json (a disk full before the first file): a folder with no record would list
      // as a run that tells nothing, and it holds nothing of value; it was made by this call alone.
      if (!fsSync.existsSync(path.join(runDir, RUN_FILES.run))) await fs.rm(runDir, { recursive: true, force: true }).catch(() => undefined);
      throw fault;
    }
    openWriters.add(writer);
    return writer;
  }

  get runRecord(): Readonly<RunRecord> {
    return this.record;
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      if (!this.folder?.holds(await folderStat(this.runDir))) throw runFolderGone(this.runDir);
      return op();
    }).catch((err: unknown) => {
      const fault = asRunFileFault(err, this.runDir);
      this.broken ??= fault;
      throw fault;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  /** Buffers metric points of the shared model or of one single-task baseline; written on flush(). */
  appendMetrics(points: readonly MetricPoint[], phase: TrainingPhase = SHARED_PHASE): void {
    if (this.finalStatus) throw new Error(`run already ${this.finalStatus}`);
    if (this.broken) throw this.broken;
    const baseline = phase.kind === 'baseline' ? phase.task : undefined;
    const folder = baseline === undefined ? TENSORBOARD_SHARED : tensorboardBaselineFolder(baseline);
    const wallTime = this.now().getTime() / 1000;
    const scalars = this.pendingScalars.get(folder) ?? [];
    this.pendingScalars.set(folder, scalars);
    for (const p of points) {
      const record: MetricRecord = baseline === undefined
        ? { step: p.step, epoch: p.epoch, split: p.split, task: p.task, metric: p.metric, value: p.value }
        : { step: p.step, epoch: p.epoch, split: p.split, task: p.task, metric: p.metric, value: p.value, baseline };
      this.pendingLines.push(JSON.stringify(record));
      this.table.add(record);
      scalars.push({ step: p.step, wallTime, scalar: { tag: tensorboardTag(p), value: p.value } });
    }
  }

  /**
   * Writes buffered metrics to metrics.jsonl and the TensorBoard files and touches run.json's
   * heartbeat (call at every epoch end). A failure is also kept: the next appendMetrics throws it.
   */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      await this.flushNow();
      if (this.finalStatus) return;
      this.record = { ...this.record, updatedAt: this.now().toISOString() };
      await writeJsonAtomic(path.join(this.runDir, RUN_FILES.run), this.record);
    });
  }

  private async flushNow(): Promise<void> {
    if (this.pendingLines.length > 0) {
      const text = `${this.pendingLines.join('\n')}\n`;
      this.pendingLines = [];
      await appendWhole(path.join(this.runDir, RUN_FILES.metricsJsonl), Buffer.from(text, 'utf8'));
    }
    for (const [folder, pending] of this.pendingScalars) {
      if (pending.length === 0) continue;
      this.pendingScalars.set(folder, []);
      let writer = this.tensorboard.get(folder);
      if (!writer) {
        // Level by level below the run folder (TensorBoardWriter's mkdir -p would remake a removed run folder).
        const logDir = await makeFolderIn(await makeFolderIn(this.runDir, RUN_FILES.tensorboard), folder);
        writer = await TensorBoardWriter.open(logDir, {
          now: () => this.now().getTime() / 1000,
        });
        this.tensorboard.set(folder, writer);
      }
      // Consecutive scalars of one step share one Event.
      for (let i = 0; i < pending.length;) {
        const head = pending[i] as PendingScalar;
        const group: Scalar[] = [];
        while (i < pending.length && (pending[i] as PendingScalar).step === head.step) group.push((pending[i++] as PendingScalar).scalar);
        writer.scalars(head.step, group, head.wallTime);
      }
      await writer.flush();
    }
  }

  /** Saves a tfjs model as `<run>/model/` (model.json + weights.bin), replacing it whole; `name` for another folder. */
  saveModel(model: SavableModel, name: string = RUN_FILES.model): Promise<void> {
    const folder = sanitizePathSegment(name, RUN_FILES.model);
    return this.enqueue(() => saveModelAtomic(model, path.join(this.runDir, folder)));
  }

  /**
   * Final files of a finished run, in this order, each whole (temporary name, then rename):
   *   model/ (saveModel, before this), metrics.csv, charts/, summary.json, then run.json
   *   "completed": the one commit point. Until it is written, readers treat the run as running
   *   (or failed, once its trainer is gone); summary.json carries no status of its own, so it
   *   never says "completed" beside a run.json that does not. report.md does say "completed",
   *   so it is written (to a temporary name) before run.json and renamed into place after it:
   *   a kill in between leaves a completed run without its report, never a report ahead of run.json.
   */
  complete(completion: RunCompletion): Promise<void> {
    return this.enqueue(async () => {
      this.assertOpen();
      if (this.broken) throw this.broken; // metrics were lost: never "completed"
      await this.closeStreams();
      const endedAt = this.now();
      const summary: RunSummary = { ...completion.summary, runDir: this.runDir, status: 'completed' };
      const baselineEpochs: Record<string, MetricPoint[]> = {};
      for (const task of this.table.baselines()) setOwn(baselineEpochs, task, this.table.points(task));
      const report = await stageReport(this.runDir, {
        spec: this.options.spec,
        summary,
        epochs: this.table.points(),
        baselineEpochs,
        versions: this.record.versions,
        ...(completion.explanation ? { explanation: completion.explanation } : {}),
      });
      try {
        if (completion.explanation) await writeJsonAtomic(path.join(this.runDir, RUN_FILES.explain), completion.explanation);
        const { status: _inRunJson, ...stored } = summary;
        await writeJsonAtomic(path.join(this.runDir, RUN_FILES.summary), stored);
        await this.finish('completed', endedAt, { train: completion.summary.timings.trainSeconds });
      } catch (err) {
        await report.discard();
        throw err;
      }
      await report.commit();
    });
  }

  /**
   * Records a failure: metrics so far are kept (as far as the disk allows), run.json gets
   * status failed and the error. A write fault is told without a stack (it is not a bug).
   */
  markFailed(err: unknown): Promise<void> {
    return this.enqueue(async () => {
      this.assertOpen();
      await this.closeStreams().catch(() => undefined); // a full disk must not keep run.json from saying why
      await this.finish('failed', this.now(), {}, err);
    });
  }

  /** Records a stop asked for by the user: metrics so far are kept, run.json gets status cancelled. */
  markCancelled(): Promise<void> {
    return this.enqueue(async () => {
      this.assertOpen();
      await this.closeStreams();
      await this.finish('cancelled', this.now());
    });
  }

  /**
   * Ends the run at once, synchronously (a second Ctrl+C exits the process right after):
   * run.json gets the status, buffered metrics are dropped. A no-op once the run has ended.
   */
  endNowSync(status: RunStatus, message?: string): void {
    if (this.finalStatus) return;
    this.record = this.endedRecord(status, this.now(), {}, message === undefined ? undefined : new Error(message));
    const target = path.join(this.runDir, RUN_FILES.run);
    const temp = tempSibling(target);
    fsSync.writeFileSync(temp, `${JSON.stringify(this.record, null, 2)}\n`, { flag: 'wx' });
    fsSync.renameSync(temp, target);
    this.finalStatus = status;
    openWriters.delete(this);
  }

  private assertOpen(): void {
    if (this.finalStatus) throw new Error(`run already ${this.finalStatus}`);
  }

  private async closeStreams(): Promise<void> {
    await this.flushNow();
    for (const writer of this.tensorboard.values()) await writer.close();
    await writeFileAtomic(path.join(this.runDir, RUN_FILES.metricsCsv), this.table.toCsv());
  }

  private endedRecord(status: RunStatus, endedAt: Date, extraTimings: Record<string, number>, err?: unknown): RunRecord {
    const total = (endedAt.getTime() - new Date(this.record.startedAt).getTime()) / 1000;
    const record: RunRecord = {
      ...this.record,
      status,
      endedAt: endedAt.toISOString(),
      timings: { ...this.record.timings, total, ...extraTimings },
    };
    if (err !== undefined) {
      const message = err instanceof Error ? err.message : String(err);
      const detail = err instanceof Error && !(err instanceof RunFolderError) ? err.stack : undefined;
      record.error = detail === undefined ? { message } : { message, detail };
    }
    return record;
  }

  private async finish(status: RunStatus, endedAt: Date, extraTimings: Record<string, number> = {}, err?: unknown): Promise<void> {
    this.record = this.endedRecord(status, endedAt, extraTimings, err);
    // On a full disk run.json is rewritten in place: it must still say how the run ended.
    await writeJsonAtomicOrInPlace(path.join(this.runDir, RUN_FILES.run), this.record);
    this.finalStatus = status;
    openWriters.delete(this);
  }
}

/** Second Ctrl+C: every run this process still has open is ended with `status` before it exits. */
export function finishOpenRunsSync(status: RunStatus, message?: string): void {
  for (const writer of [...openWriters]) {
    try {
      writer.endNowSync(status, message);
    } catch {
      // the disk refuses: readers see a run whose trainer is gone, which reads as failed
    }
  }
}

/** Reads metrics.jsonl of a run (also while it is being written): a torn last line is skipped. */
export async function readMetrics(runDir: string): Promise<ReturnType<typeof parseMetricsJsonl>> {
  let text: string;
  try {
    text = await fs.readFile(path.join(runDir, RUN_FILES.metricsJsonl), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], tornLastLine: false, skippedLines: 0 };
    throw err;
  }
  return parseMetricsJsonl(text);
}
