// Reads the runs folder from disk: <runsDir>/<experiment>/<run>/ with run.json, summary.json,
// experiment.json. No vscode import (unit-tested). Files that are missing or half-written
// (the trainer is appending) make an entry with less information, never an error.
import fs from 'node:fs';
import path from 'node:path';
import { newestFirst, tasksOf, type RunEntry } from '../core/runsIndex';
import type { RunSummary } from '../core/protocol';
import { effectiveStatus, parseRunFolderName, RUN_FILES, type RunRecord, type TrainerProbe } from '../core/runLayout';
import { STUDY_FILES, STUDY_FOLDER_PREFIX, type StudyResult } from '../core/study/studyTypes';
import { isPidAlive, localProbe, processStart } from '../node/processIdentity';
import { readJson } from '../node/readIfAny';

export interface ExperimentRuns {
  /** Folder name under the runs folder (the sanitised experiment name). */
  name: string;
  dir: string;
  runs: RunEntry[];
  /** Study folders (`study-…`), newest first: the Runs view shows each as one group. */
  studies: StudyEntry[];
}

/** A study folder: its study.json when readable, and its run folders (one per variant and repeat). */
export interface StudyEntry {
  id: string;
  dir: string;
  result?: StudyResult;
  runs: RunEntry[];
}

// This machine, asked about a run's trainer: the probe the trainer uses too.
export { isPidAlive, localProbe, processStart };

/**
 * The run's experiment.json (the spec it trained, defaults filled in), or the sentence a panel
 * shows when the folder has none it can read: the diagram, its weights and "Try this grouping"
 * all start from it.
 */
export function readRunExperiment(runDir: string): { doc: unknown } | { problem: string } {
  const doc = readJson(path.join(runDir, RUN_FILES.experiment));
  return doc === undefined ? { problem: `This run folder has no readable ${RUN_FILES.experiment}.` } : { doc };
}

function isRecord(v: unknown): v is RunRecord {
  const r = v as Partial<RunRecord> | undefined;
  return typeof r === 'object' && r !== null && typeof r.status === 'string' && typeof r.experiment === 'string';
}

function isSummary(v: unknown): v is RunSummary {
  const s = v as Partial<RunSummary> | undefined;
  return typeof s === 'object' && s !== null && typeof s.test === 'object' && s.test !== null && typeof s.parameters === 'object';
}

const subfolders = (dir: string): string[] => {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
};

/** One run folder; undefined when it is not one (neither run.json nor a run folder name). */
export function readRun(dir: string, alive: TrainerProbe | ((pid: number) => boolean) = localProbe): RunEntry | undefined {
  const id = path.basename(dir);
  const parsedName = parseRunFolderName(id);
  const raw = readJson(path.join(dir, RUN_FILES.run));
  const record = isRecord(raw) ? raw : undefined;
  if (!record && !parsedName) return undefined;
  const rawSummary = readJson(path.join(dir, RUN_FILES.summary));
  const summary = isSummary(rawSummary) ? rawSummary : undefined;
  const status = record ? effectiveStatus(record, alive) : 'unknown';
  const started = record?.startedAt ? new Date(record.startedAt) : parsedName?.startedAt;
  return {
    id,
    dir,
    experiment: record?.experiment ?? path.basename(path.dirname(dir)),
    ...(started && !Number.isNaN(started.getTime()) ? { startedAt: started } : {}),
    ...(record ? { record } : {}),
    // summary.json holds no status of its own: run.json is the one record of it.
    ...(summary && status !== 'unknown' ? { summary: { ...summary, status } } : {}),
    tasks: tasksOf(readJson(path.join(dir, RUN_FILES.experiment))),
    status,
    hasReport: fs.existsSync(path.join(dir, RUN_FILES.report)),
    hasModel: fs.existsSync(path.join(dir, RUN_FILES.model, RUN_FILES.modelJson)),
  };
}

/** A study folder and the runs in it (its variants' run folders, in the order study.json lists them). */
export function readStudy(dir: string, alive: TrainerProbe | ((pid: number) => boolean) = localProbe): StudyEntry {
  const raw = readJson(path.join(dir, STUDY_FILES.result)) as Partial<StudyResult> | undefined;
  const result = typeof raw === 'object' && raw !== null && typeof raw.name === 'string' && Array.isArray(raw.variants) ? raw as StudyResult : undefined;
  // Once each: the single-task models of a seed share the as-designed run's folder (its baselines).
  const listed = [...new Set(result?.variants.flatMap((v) => v.runs.map((r) => r.runDir)) ?? [])];
  const found = subfolders(dir);
  const order = [...listed.filter((r) => found.includes(r)), ...found.filter((r) => !listed.includes(r)).sort()];
  const runs = order.map((r) => readRun(path.join(dir, r), alive)).filter((r): r is RunEntry => r !== undefined);
  return { id: path.basename(dir), dir, ...(result ? { result } : {}), runs };
}

/** Experiments (alphabetical) with their runs (newest first); experiments without runs are left out. */
export function readRunsFolder(runsDir: string, alive: TrainerProbe | ((pid: number) => boolean) = localProbe): ExperimentRuns[] {
  const out: ExperimentRuns[] = [];
  for (const name of subfolders(runsDir).sort((a, b) => a.localeCompare(b))) {
    const dir = path.join(runsDir, name);
    const names = subfolders(dir);
    const runs = names.filter((r) => !r.startsWith(STUDY_FOLDER_PREFIX)).map((r) => readRun(path.join(dir, r), alive)).filter((r): r is RunEntry => r !== undefined);
    const studies = names.filter((r) => r.startsWith(STUDY_FOLDER_PREFIX)).sort().reverse().map((r) => readStudy(path.join(dir, r), alive));
    if (runs.length || studies.length) out.push({ name, dir, runs: runs.sort(newestFirst), studies });
  }
  return out;
}

/** True when `dir` is a run folder two levels below `runsDir` (the only kind of folder Delete may remove). */
export function isRunFolderOf(runsDir: string, dir: string): boolean {
  const rel = path.relative(path.resolve(runsDir), path.resolve(dir));
  const parts = rel.split(path.sep);
  return !rel.startsWith('..') && !path.isAbsolute(rel) && parts.length === 2 && parts.every((p) => p && p !== '.' && p !== '..')
    && (fs.existsSync(path.join(dir, RUN_FILES.run)) || parseRunFolderName(parts[1]!) !== undefined);
}
