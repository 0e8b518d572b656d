// A study from its file to its folder: check the study and its experiment, make the variants
// (core/study/variants.ts), and train each variant on each seed (and fold) as an ordinary run into
//   <runsDir>/<experiment>/study-<YYYYMMDD-HHMMSS>-<id>/<variant>-r<repeat>[-f<fold>]/
// one after another in this process (the data loaded once: dataCache.ts). After each run starts
// and ends, study.json is rewritten atomically and sent as 'studyProgress'.
//   Folds: with crossValidation each run trains one fold (its experiment.json says which:
//   evaluation.crossValidation.fold), folds outermost as in core/repeats.ts; every variant runs
//   on the same folds, which depend only on data.split.seed.
//   Baselines: the as-designed run of each seed and fold also trains the single-task models (they
//   are the single-task variant); every other run trains its own model only, and its Δm is
//   measured against the single-task models of the same seed and fold (a paired difference,
//   core/study/aggregate.ts).
//   Resume: given a study folder, runs whose run.json says completed (with their summary.json)
//   are kept and the rest are trained again from scratch. The run folders are the truth, not
//   study.json: a kill can land between a run's end and the study's rewrite.
//   Cancel: the run in progress stops after its current step and reads "cancelled"; resuming
//   trains it again.
//   Folder removed: the study folder's identity (artifacts/folderIdentity.ts) is checked before
//   each write of the study and before each run, and no write below it makes a missing folder
//   (makeFolderIn, never mkdir -p): a study folder removed from outside stops the study with one
//   line instead of coming back holding only the later runs.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MemoryBudget } from '../../core/budget';
import { withDefaults } from '../../core/defaults';
import type { BackendPreference, FromTrainer, RunSummary } from '../../core/protocol';
import { experimentRunsDir, formatRunTimestamp, RUN_FILES, trainerGone, type RunRecord } from '../../core/runLayout';
import type { CrossValidationSpec, ExperimentSpec, Problem } from '../../core/spec';
import { DEFAULT_STUDY_REPEATS, pairedDeltaM, studyResult, type StudyState } from '../../core/study/aggregate';
import { checkStudy } from '../../core/study/studySchema';
import { STUDY_FILES, STUDY_FOLDER_PREFIX, type StudyResult, type StudyRunRecord, type StudyVariant } from '../../core/study/studyTypes';
import { AS_DESIGNED_VARIANT, SINGLE_TASK_VARIANT, studyVariants } from '../../core/study/variants';
import { validate } from '../../core/validate';
import { weightingLabel } from '../../core/weighting/registry';
import { makeFolders, writeJsonAtomic } from '../artifacts/atomicWrite';
import { FolderIdentity, folderStat } from '../artifacts/folderIdentity';
import { localProbe } from '../../node/processIdentity';
import { asRunFileFault, RunFolderError, studyFolderGone } from '../artifacts/runFolderError';
import type { DataCache } from '../dataCache';
import { writeStudyReport } from './writeStudyReport';
import { runExperiment } from '../run';
import { writeHparamsExperiment, writeHparamsSession, type HParamValue } from './hparams';

export interface StudyRequest {
  /** The parsed study file; validated here. */
  doc: unknown;
  studyPath: string;
  /** The parsed experiment the study names; validated here. */
  experimentDoc: unknown;
  experimentPath: string;
  /** Folder relative data paths start from (the experiment file's folder). */
  workspaceDir: string;
  allowedRoots?: string[];
  runsDir: string;
  /** A study folder to resume: its completed runs are kept. */
  resumeDir?: string;
  backend: BackendPreference;
  threads?: number;
  budget?: MemoryBudget;
  /** Overrides training.epochs of every variant (quick tries, tests). */
  epochs?: number;
  /** Kept between studies of one process; default: one for this study. */
  dataCache?: DataCache;
  emit(msg: FromTrainer): void;
  cancelled(): boolean;
}

export type StudyOutcome = 'completed' | 'cancelled' | 'failed' | 'invalid';

/** Run folder name of a variant's repeat and fold (StudyRunRecord.runDir): "as-designed-r1-f0", 0-based as the repeat. */
export const studyRunFolder = (variant: string, repeat: number, fold?: { index: number }): string =>
  `${variant}-r${repeat}${fold ? `-f${fold.index}` : ''}`;

/** One seed (and fold) every variant trains on. */
interface StudyUnit { repeat: number; seed: number; fold?: { index: number; of: number } }

/** The units in training order: fold by fold, and within a fold the seeds (as core/repeats.ts orders a repeated run). */
function studyUnits(baseSeed: number, repeats: number, cv: CrossValidationSpec | undefined): StudyUnit[] {
  const units: StudyUnit[] = [];
  for (let f = 0; f < (cv ? cv.folds : 1); f++) {
    for (let r = 0; r < repeats; r++) units.push({ repeat: r, seed: baseSeed + r, ...(cv ? { fold: { index: f, of: cv.folds } } : {}) });
  }
  return units;
}

/**
 * Runs (or resumes) the study. Never throws: a fault of the study's own files (disk full,
 * read-only) is an 'error' message and 'failed', as for a run. An 'error' with a path points
 * into the study file (["experiment"]: the experiment it names has problems).
 */
export async function runStudy(req: StudyRequest): Promise<StudyOutcome> {
  try {
    return await studyRuns(req);
  } catch (err) {
    const fault = asRunFileFault(err, req.resumeDir ?? req.runsDir);
    const message = fault instanceof Error ? fault.message : String(fault);
    req.emit({ type: 'error', message: `the study stopped: ${message}`, ...(fault instanceof RunFolderError || !(err instanceof Error) || !err.stack ? {} : { detail: err.stack }) });
    return 'failed';
  }
}

async function studyRuns(req: StudyRequest): Promise<StudyOutcome> {
  const checked = checkStudy(req.doc);
  const problems: Problem[] = [...checked.problems];
  const study = checked.spec;
  if (!study || problems.some((p) => p.severity === 'error')) {
    req.emit({ type: 'problems', problems });
    return 'invalid';
  }
  for (const p of problems) req.emit({ type: 'log', level: 'warning', message: `${p.path.join('.')}: ${p.message}` });
  const experimentChecked = validate(req.experimentDoc);
  if (!experimentChecked.spec) {
    const errors = experimentChecked.problems.filter((p) => p.severity === 'error');
    req.emit({ type: 'error', message: `The experiment ${req.experimentPath} has ${errors.length} problem(s): ${errors.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`, path: ['experiment'] });
    return 'invalid';
  }
  const experiment = experimentChecked.spec;
  const plan = studyVariants(experiment, study);
  if (plan.problems.some((p) => p.severity === 'error')) {
    req.emit({ type: 'problems', problems: plan.problems });
    return 'invalid';
  }
  for (const p of plan.problems) req.emit({ type: 'log', level: 'warning', message: `${p.path.join('.')}: ${p.message}` });

  const studyDir = req.resumeDir ? path.resolve(req.resumeDir) : await createStudyFolder(experimentRunsDir(req.runsDir, experiment.name));
  const previous = req.resumeDir ? await readStudyJson(studyDir) : undefined;
  if (req.resumeDir && !previous) {
    req.emit({ type: 'error', message: `${studyDir} is not a study folder (it has no readable ${STUDY_FILES.result}): give the folder a study wrote, runs/<experiment>/${STUDY_FOLDER_PREFIX}…` });
    return 'failed';
  }
  const identity = await FolderIdentity.of(studyDir);
  const folderHeld = async () => { if (!identity.holds(await folderStat(studyDir))) throw studyFolderGone(studyDir); };
  await writeJsonAtomic(path.join(studyDir, STUDY_FILES.spec), req.doc);

  const repeats = study.repeats ?? DEFAULT_STUDY_REPEATS;
  const units = studyUnits(experiment.training.seed, repeats, study.crossValidation);
  const trained = plan.variants.filter((v) => v.kind !== 'single-task');
  const runs: StudyRunRecord[] = [];
  for (const u of units) {
    for (const v of plan.variants) {
      // The single-task variant is the as-designed run's baselines: it points at that folder.
      const folder = studyRunFolder(v.kind === 'single-task' ? AS_DESIGNED_VARIANT : v.id, u.repeat, u.fold);
      runs.push({ variant: v.id, ...u, runDir: folder, status: 'pending' });
    }
  }
  const summaries = new Map<string, RunSummary>();
  // A run still training in another process (the same study resumed twice) is not ours to remove.
  for (const rec of runs) {
    const record = await readJson(path.join(studyDir, rec.runDir, RUN_FILES.run)) as RunRecord | undefined;
    if (record?.status === 'running' && !trainerGone(record, localProbe)) {
      req.emit({ type: 'error', message: `${path.join(studyDir, rec.runDir)} is still training in process ${record.pid}: stop that study before resuming it.` });
      return 'failed';
    }
  }
  // Resume (or a folder reused by accident): completed runs are kept, anything else is removed and retrained.
  let kept = 0;
  for (const rec of runs) {
    if (rec.variant === SINGLE_TASK_VARIANT) continue;
    const dir = path.join(studyDir, rec.runDir);
    const summary = await completedSummary(dir);
    // A run of other settings (the experiment, the study or --epochs changed since) is not this variant's: trained again.
    const same = summary && await sameExperiment(dir, runSpec(plan.variants.find((v) => v.id === rec.variant)!, rec, study.crossValidation, req.epochs));
    if (summary && same) {
      summaries.set(rec.runDir, summary);
      kept++;
    } else {
      if (summary) req.emit({ type: 'log', level: 'warning', message: `${rec.runDir}: completed with other settings than the study now has (its experiment.json differs); trained again` });
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  const planned = units.length * trained.length;
  if (req.resumeDir) req.emit({ type: 'log', level: 'info', message: `resuming ${studyDir}: ${kept} of ${planned} runs completed and kept, ${planned - kept} to train` });

  const state: StudyState = {
    // The experiment as the study file names it (relative to that file), never the host's absolute path.
    // The study file relative to the study folder, so that the resume offer still finds it when the workspace moves.
    study, studyFile: path.relative(studyDir, path.resolve(req.studyPath)).split(path.sep).join('/'), experiment: study.experiment,
    startedAt: previous?.startedAt ?? new Date().toISOString(), variants: plan.variants, runs,
  };
  const convention = withDefaults(experiment).evaluation?.deltaM;
  const derive = () => {
    for (const rec of runs) {
      const s = summaries.get(rec.runDir);
      if (!s || rec.status === 'running') continue;
      const reference = summaries.get(studyRunFolder(AS_DESIGNED_VARIANT, rec.repeat, rec.fold))?.baselines;
      rec.status = 'completed';
      // The split's sizes: over folds, their ratio widens the interval (core/stats/correctedResampledT.ts).
      if (s.labelled) rec.rows = { train: s.labelled.rows.train, test: s.labelled.rows.test };
      if (rec.variant === SINGLE_TASK_VARIANT) {
        if (!s.baselines) { rec.status = 'failed'; rec.error = 'the as-designed run has no single-task baselines'; continue; }
        Object.assign(rec, { test: s.baselines.test, parameters: s.baselines.parameters });
        continue;
      }
      Object.assign(rec, { test: s.test, parameters: s.parameters.total, trainSeconds: s.timings.trainSeconds });
      const d = reference ? pairedDeltaM(s.test, reference.test, convention) : undefined;
      if (d !== undefined) rec.deltaM = d;
    }
  };
  const publish = async (): Promise<StudyResult> => {
    await folderHeld();
    derive();
    const result = studyResult(state);
    await writeJsonAtomic(path.join(studyDir, STUDY_FILES.result), result);
    await writeStudyReport(studyDir, result);
    req.emit({ type: 'studyProgress', studyDir, result });
    return result;
  };
  await publish();
  await folderHeld();
  await writeHparams(studyDir, experiment, state, summaries);

  const dataCache = req.dataCache ?? new Map();
  let stopped = false;
  for (const u of units) {
    if (stopped) break;
    for (const v of trained) {
      const rec = runs.find((x) => x.variant === v.id && x.runDir === studyRunFolder(v.id, u.repeat, u.fold))!;
      if (summaries.has(rec.runDir)) continue;
      if (req.cancelled()) { stopped = true; break; }
      const mirror = v.id === AS_DESIGNED_VARIANT ? runs.find((x) => x.variant === SINGLE_TASK_VARIANT && x.runDir === rec.runDir) : undefined;
      for (const x of [rec, mirror]) if (x) x.status = 'running';
      await publish();
      await folderHeld(); // removed as the run was announced: the run would fail on its own folder
      let summary: RunSummary | undefined;
      let error: string | undefined;
      const outcome = await runExperiment({
        doc: variantDoc(v, rec, study.crossValidation), workspaceDir: req.workspaceDir, runsDir: req.runsDir, runDir: path.join(studyDir, rec.runDir),
        backend: req.backend, dataCache,
        ...(req.allowedRoots ? { allowedRoots: req.allowedRoots } : {}),
        ...(req.threads !== undefined ? { threads: req.threads } : {}),
        ...(req.budget ? { budget: req.budget } : {}),
        ...(req.epochs !== undefined ? { epochs: req.epochs } : {}),
        emit: (m) => {
          if (m.type === 'done') summary = m.summary;
          if (m.type === 'error') error = m.message;
          if (m.type === 'problems') error = m.problems.filter((p) => p.severity === 'error').map((p) => `${p.path.join('.')}: ${p.message}`).join('; ');
          req.emit(m);
        },
        cancelled: req.cancelled,
      });
      const status = outcome === 'completed' ? 'completed' : outcome === 'cancelled' ? 'cancelled' : 'failed';
      for (const x of [rec, mirror]) {
        if (!x) continue;
        x.status = status;
        if (error) x.error = error;
      }
      if (summary && outcome === 'completed') summaries.set(rec.runDir, summary);
      await publish();
      if (summary && outcome === 'completed') {
        await folderHeld();
        await writeHparams(studyDir, experiment, state, summaries);
      }
      if (outcome === 'cancelled') { stopped = true; break; }
    }
  }
  if (stopped) state.stopped = 'cancelled';
  state.endedAt = new Date().toISOString();
  const result = await publish();
  if (stopped) return 'cancelled';
  return result.status === 'completed' ? 'completed' : 'failed';
}

/** The experiment.json a run of this variant writes: the document with defaults filled in and epochs overridden, as run.ts makes it. */
function runSpec(v: StudyVariant, unit: StudyUnit, cv: CrossValidationSpec | undefined, epochs: number | undefined): ExperimentSpec {
  const spec = withDefaults(variantDoc(v, unit, cv));
  return epochs === undefined ? spec : { ...spec, training: { ...spec.training, epochs } };
}

async function sameExperiment(dir: string, expected: ExperimentSpec): Promise<boolean> {
  const written = await readJson(path.join(dir, RUN_FILES.experiment));
  return written !== undefined && JSON.stringify(written) === JSON.stringify(JSON.parse(JSON.stringify(expected)));
}

/**
 * The experiment a run of this variant trains: its seed, its one fold, and baselines only where
 * they are the single-task variant. The study does the repeating: the experiment's own
 * evaluation.repeats and crossValidation would repeat inside every run.
 */
function variantDoc(v: StudyVariant, unit: StudyUnit, cv: CrossValidationSpec | undefined): ExperimentSpec {
  const spec = v.spec!;
  const { repeats: _repeats, crossValidation: _folds, ...evaluation } = spec.evaluation ?? {};
  return {
    ...spec,
    training: { ...spec.training, seed: unit.seed },
    evaluation: {
      ...evaluation, baselines: v.id === AS_DESIGNED_VARIANT ? 'single-task' : 'none',
      ...(cv && unit.fold ? { crossValidation: { ...cv, fold: unit.fold.index + 1 } } : {}),
    },
  };
}

async function createStudyFolder(parent: string): Promise<string> {
  await makeFolders(parent);
  const stamp = formatRunTimestamp(new Date());
  for (let attempt = 0; ; attempt++) {
    const dir = path.join(parent, `${STUDY_FOLDER_PREFIX}${stamp}-${randomBytes(3).toString('hex')}`);
    try {
      await fs.mkdir(dir); // exclusive: a study never shares its folder
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 50) throw err;
    }
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function readStudyJson(dir: string): Promise<StudyResult | undefined> {
  const v = await readJson(path.join(dir, STUDY_FILES.result));
  return typeof v === 'object' && v !== null && typeof (v as StudyResult).startedAt === 'string' ? v as StudyResult : undefined;
}

/** The summary of a run folder whose run.json says completed; undefined for anything else (running when killed, failed, cancelled, absent). */
async function completedSummary(dir: string): Promise<RunSummary | undefined> {
  const record = await readJson(path.join(dir, RUN_FILES.run)) as Partial<RunRecord> | undefined;
  if (record?.status !== 'completed') return undefined;
  const summary = await readJson(path.join(dir, RUN_FILES.summary)) as RunSummary | undefined;
  return summary && typeof summary.test === 'object' && summary.test !== null ? summary : undefined;
}

/** The study as TensorBoard's HParams plugin sees it: one session per completed run (single-task ones from the baselines). */
async function writeHparams(studyDir: string, experiment: ExperimentSpec, state: StudyState, summaries: ReadonlyMap<string, RunSummary>): Promise<void> {
  const metricTags = new Set<string>();
  const sessions = state.runs.filter((r) => r.status === 'completed' && r.test);
  const variantOf = new Map(state.variants.map((v) => [v.id, v]));
  for (const rec of sessions) {
    const v = variantOf.get(rec.variant)!;
    const metrics: Record<string, number> = {};
    for (const [task, ms] of Object.entries(rec.test!)) for (const [m, value] of Object.entries(ms)) metrics[`test/${task}/${m}`] = value;
    if (rec.deltaM !== undefined) metrics.delta_m = rec.deltaM;
    if (rec.parameters !== undefined) metrics.parameters = rec.parameters;
    Object.keys(metrics).forEach((t) => metricTags.add(t));
    const s = summaries.get(rec.runDir);
    const hparams: Record<string, HParamValue> = { variant: v.id, kind: v.kind, weighting: v.spec ? weightingLabel(v.spec.training.weighting) : 'equal', seed: rec.seed, repeat: rec.repeat, ...(rec.fold ? { fold: rec.fold.index } : {}) };
    await writeHparamsSession(studyDir, {
      name: studyRunFolder(rec.variant, rec.repeat, rec.fold), group: v.id, hparams, metrics, completed: true,
      startSecs: s ? Date.parse(s.timings.startedAt) / 1000 : Date.now() / 1000, endSecs: s ? Date.parse(s.timings.endedAt) / 1000 : Date.now() / 1000,
    });
  }
  await writeHparamsExperiment(studyDir, {
    name: `${state.study.name} (${experiment.name})`,
    hparams: [
      { name: 'variant', values: state.variants.map((v) => v.id) },
      { name: 'kind', values: [...new Set(state.variants.map((v) => v.kind))] },
      { name: 'weighting', values: [...new Set(state.variants.map((v) => (v.spec ? weightingLabel(v.spec.training.weighting) : 'equal')))] },
      { name: 'seed', values: [0] },
      { name: 'repeat', values: [0] },
      ...(state.study.crossValidation ? [{ name: 'fold', values: [0] }] : []),
    ],
    metrics: [...metricTags].sort().map((tag) => ({ tag, ...(tag === 'delta_m' ? { description: 'Δm against the single-task models of the same seed (positive: sharing helped)' } : {}) })),
  });
}
