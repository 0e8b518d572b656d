// What the fuzz suite asserts about one outcome, as findings in named categories. Every
// rule here is something a user would notice: a crash, a hang, a message that shows the
// program's insides, a message that does not say where the problem is, a run folder whose
// files disagree or cannot be read, the content of a file outside the workspace.
import fs from 'node:fs';
import path from 'node:path';
import type { Problem } from '../../src/core/spec';
import { FILE_BOUNDS, namesOffender, offenders } from './cliContract';
import type { SnapshotChange } from './workspaceSnapshot';

export const CATEGORIES = ['crash', 'hang', 'internal-error', 'unlocated', 'inconsistent-run', 'leak', 'usage', 'wrote'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Finding {
  category: Category;
  /** Where it was seen: validate (in-process), cli-validate, cli-data, cli-train. */
  layer: string;
  /** The offending line or fact, short. */
  message: string;
}

/** Text that shows the program's insides rather than a message written for a user. */
const INTERNAL: Array<[RegExp, string]> = [
  [/^\s+at .+/m, 'stack trace'],
  [/is not iterable/, '"is not iterable"'],
  [/Cannot (read|set) propert/, '"Cannot read properties"'],
  [/is not a function/, '"is not a function"'],
  [/Maximum call stack/, '"Maximum call stack"'],
  [/\b(TypeError|ReferenceError|RangeError|InternalError|EvalError)\b/, 'JS error name'],
  [/(?<!["'\w])(undefined|NaN)(?!["'\w])/, '"undefined"/"NaN" in a message'],
  [/\[object Object\]/, '"[object Object]"'],
  [/Not a valid tensor name|Error in (?:Dense|Conv2D|oneHot|gather)|Tensor\b.*\bshape\b.*\bbut\b/i, 'TensorFlow error text'],
  [/Invalid (typed )?array length|Array buffer allocation failed/, 'allocation error text'],
];

/** Native crash and V8 death texts (the process is gone, whatever its exit code). */
const CRASH = /FATAL ERROR|JavaScript heap out of memory|Segmentation fault|core dumped|Aborted|Fatal JavaScript|Check failed|\n\s*\^+\s*\n|Uncaught|UnhandledPromiseRejection/;

/** TensorFlow's own native log lines (not ours; printed before our code runs). */
const TF_LOG = /^(WARNING: All log messages before absl|[IWEF]\d{4} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWE] )/;

/** A message says where: file:line, a JSON path (data.source.path, model.layers[3].units, model.layers.3.units), or a line/row/column of the data. */
const LOCATED = [
  /[\w.-]+\.(json|csv|jsonl|npy|npz|parquet):\d+/,
  /(^|\s)\S+:\d+:\d+: /,
  /(^|[\s("'`])(name|description|data|tasks|model|training|evaluation|layout)((\.[\w$-]+)|(\[\d+\]))+/,
  /\b(line|row|column|byte) \d+/i,
  /\bcolumns? ["'`]/i,
];

export function internalText(text: string): string | undefined {
  for (const line of text.split('\n')) {
    if (TF_LOG.test(line) || /diverged/i.test(line)) continue;
    for (const [re, label] of INTERNAL) if (re.test(line)) return `${label}: ${line.trim().slice(0, 200)}`;
  }
  return undefined;
}

export const located = (line: string) => LOCATED.some((re) => re.test(line));

/** Problems from core validate, run in-process. */
export function judgeProblems(problems: Problem[] | undefined, thrown: unknown, layer = 'validate'): Finding[] {
  if (thrown !== undefined) {
    const msg = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    return [{ category: 'crash', layer, message: `validate threw ${msg.slice(0, 200)}` }];
  }
  const out: Finding[] = [];
  for (const p of problems ?? []) {
    if (!Array.isArray(p.path) || !p.path.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isInteger(k)))) {
      out.push({ category: 'unlocated', layer, message: `problem with a malformed path: ${p.message.slice(0, 160)}` });
    }
    const internal = internalText(p.message);
    if (internal) out.push({ category: 'internal-error', layer, message: internal });
  }
  return out;
}

export interface ProcessOutcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** A CLI run (`mts validate|data|train`): exit code, texts, and that each error line says where. */
/** `mts data`'s preview of the first rows shows the user's cells verbatim ("NaN" there is theirs). */
function withoutRowPreview(stdout: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^first rows of /.test(l));
  if (start < 0) return stdout;
  let end = start + 1;
  while (end < lines.length && lines[end]!.startsWith('  ')) end++;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

export function judgeProcess(o: ProcessOutcome, layer: string, canary: string, alsoLocated?: RegExp): Finding[] {
  const out: Finding[] = [];
  const all = `${o.stdout}\n${o.stderr}`;
  const ours = `${withoutRowPreview(o.stdout)}\n${o.stderr}`;
  if (o.timedOut) out.push({ category: 'hang', layer, message: 'no exit before the per-case timeout' });
  else if (o.signal) out.push({ category: 'crash', layer, message: `killed by ${o.signal}${firstMatch(all, CRASH)}` });
  else if (o.status === null || ![0, 1, 2].includes(o.status)) out.push({ category: 'crash', layer, message: `exit code ${o.status}${firstMatch(all, CRASH)}` });
  else if (CRASH.test(all)) out.push({ category: 'crash', layer, message: `crash text${firstMatch(all, CRASH)}` });
  const internal = internalText(ours);
  if (internal) out.push({ category: 'internal-error', layer, message: internal });
  if (all.includes(canary)) out.push({ category: 'leak', layer, message: 'printed the environment of the process (/proc/self/environ)' });
  if (/root:x?:0:0:/.test(all)) out.push({ category: 'leak', layer, message: 'printed a line of /etc/passwd' });
  if (!o.timedOut && o.status !== 0) {
    const errorLines = o.stderr.split('\n').filter((l) => l.trim() && !TF_LOG.test(l) && !/^\s+at /.test(l) && !/^(usage:| {2}mts )/.test(l));
    const unlocated = errorLines.find((l) => /error|warning|^mts:/i.test(l) && !located(l) && !alsoLocated?.test(l));
    if (unlocated) out.push({ category: 'unlocated', layer, message: unlocated.trim().slice(0, 200) });
    if (!errorLines.length) out.push({ category: 'unlocated', layer, message: `exit ${o.status} with nothing on stderr` });
    // A loss seen on a model's first step alone was computed before any update: the learning rate
    // is the wrong place to send the user (trainingDiverged.ts points at the task's target).
    const misplaced = errorLines.find((l) => /at epoch 1, step 1\. Lower the learning rate/.test(l));
    if (misplaced) out.push({ category: 'unlocated', layer, message: `blames the learning rate for a loss not finite before any update: ${misplaced.trim().slice(0, 160)}` });
  }
  return out;
}

/** A refused study (or any input) names one of the fields that were made bad. */
export function judgeNamesField(o: ProcessOutcome, fields: readonly string[], layer = 'cli-study'): Finding[] {
  if (o.timedOut || o.signal || o.status === 0 || !fields.length) return [];
  const errors = o.stderr.split('\n').filter((l) => /error/i.test(l) && !TF_LOG.test(l));
  if (errors.some((l) => fields.some((f) => l.includes(f)))) return [];
  const first = (errors[0] ?? o.stderr.split('\n').find((l) => l.trim()) ?? '').trim();
  return [{ category: 'unlocated', layer, message: `exit ${o.status}, and no error names ${fields.join(' or ')}: ${first.slice(0, 160)}` }];
}

export interface CommandLineFiles {
  /** The operand names a file or folder that is not there or cannot be read, or --workspace no folder a workspace may be (as documented: exit 2). */
  unreadable?: string[];
  /** Arguments whose refusal depends on the files (`--out` naming a file): refused or not, both are right. */
  mayRefuse?: string[];
}

/**
 * A command line against its documentation (cliContract.ts): what must be refused is refused
 * with exit 2 and one line `mts: …` naming it (then the usage); a good command line is not.
 */
export function judgeCommandLine(o: ProcessOutcome, argv: readonly string[], files: CommandLineFiles = {}, layer = 'cli-args'): Finding[] {
  if (o.timedOut || o.signal) return [];
  const must = [...offenders(argv), ...(files.unreadable ?? [])];
  const may = [...must, ...(files.mayRefuse ?? [])];
  const lines = o.stderr.split('\n').filter((l) => l.trim() && !TF_LOG.test(l));
  const first = lines[0]?.trim() ?? '';
  const out: Finding[] = [];
  const usage = (message: string) => out.push({ category: 'usage', layer, message: message.slice(0, 220) });
  if (must.length && o.status !== 2) usage(`exit ${o.status}, not 2, with ${must.join(', ')} to refuse: ${first}`);
  if (o.status === 2) {
    if (!first.startsWith('mts: ')) usage(`exit 2 without a "mts: " line first: ${first}`);
    else if (!may.some((x) => namesOffender(first, x))) usage(must.length ? `the refusal names none of ${must.join(', ')}: ${first}` : `a documented command line refused: ${first}`);
    const more = lines.slice(1).find((l) => !/^usage:$|^ {2}mts /.test(l));
    if (more !== undefined) usage(`a usage error of more than one line: ${more.trim()}`);
  }
  return out;
}

/**
 * One setting, one documented bound (FILE_BOUNDS): each file that holds it accepts the least and
 * the greatest value and refuses one past either. `refuses` says whether that file's check refused
 * the value at the setting's field. (A study took 100 repeats while an experiment stopped at 50.)
 */
export function judgeBounds(refuses: (file: 'experiment' | 'study', setting: keyof typeof FILE_BOUNDS, value: number) => boolean, layer = 'cli-study'): Finding[] {
  const out: Finding[] = [];
  for (const [setting, { min, max }] of Object.entries(FILE_BOUNDS) as Array<[keyof typeof FILE_BOUNDS, { min: number; max: number }]>) {
    for (const file of ['experiment', 'study'] as const) {
      for (const value of [min - 1, min, max, max + 1]) {
        const must = value < min || value > max;
        if (refuses(file, setting, value) !== must) out.push({ category: 'usage', layer, message: `${file} ${setting} ${value} ${must ? 'accepted' : 'refused'}: documented ${min} to ${max}` });
      }
    }
  }
  return out;
}

/**
 * What a command did to its workspace: a refused command (exit 2) writes nothing; no command
 * changes or removes a file that was there; a failed one (exit 1) leaves new files only where
 * its runs go (`newAllowedUnder`, folders relative to the workspace).
 */
export function judgeWrites(change: SnapshotChange, status: number | null, newAllowedUnder: readonly string[], layer = 'cli-args'): Finding[] {
  const out: Finding[] = [];
  const wrote = (message: string) => out.push({ category: 'wrote', layer, message: message.slice(0, 220) });
  if (change.changed.length) wrote(`changed what was there: ${change.changed.slice(0, 3).join(', ')}`);
  if (change.removed.length) wrote(`removed what was there: ${change.removed.slice(0, 3).join(', ')}`);
  const under = (f: string) => newAllowedUnder.some((d) => f === d || f.startsWith(`${d}/`));
  if (status === 2 && change.added.length) wrote(`refused (exit 2) but wrote ${change.added.slice(0, 3).join(', ')}`);
  else if (status !== 0 && status !== 2) {
    const stray = change.added.filter((f) => !under(f));
    if (stray.length) wrote(`failed (exit ${status}) and left ${stray.slice(0, 3).join(', ')}`);
  }
  return out;
}

function firstMatch(text: string, re: RegExp): string {
  const line = text.split('\n').find((l) => re.test(l));
  return line ? ` (${line.trim().slice(0, 160)})` : '';
}

/** The folders of a study's folder that are not run folders. */
const STUDY_FOLDERS = new Set(['hparams', 'charts']);

/**
 * A run folder after its process ended: no run.json still "running" (unless we killed the
 * process), every metrics.jsonl line parses, summary.json says "completed" only beside a
 * completed run.json, no temporary files left, and the exit code agrees with the status.
 */
export function judgeRuns(runsDir: string, exitStatus: number | null, killed: boolean, layer = 'cli-train'): Finding[] {
  const out: Finding[] = [];
  const runDirs: string[] = [];
  const studyDirs: string[] = [];
  /** A study's runs: one may be completed and the next failed, so only study.json answers for the exit code. */
  const inStudy = new Set<string>();
  if (fs.existsSync(runsDir)) {
    for (const exp of fs.readdirSync(runsDir)) {
      const expDir = path.join(runsDir, exp);
      if (!fs.statSync(expDir).isDirectory()) continue;
      for (const r of fs.readdirSync(expDir)) {
        const dir = path.join(expDir, r);
        // A study's folder (mts study) holds study.json and a run folder per variant and repeat.
        if (r.startsWith('study-') && fs.statSync(dir).isDirectory()) {
          studyDirs.push(dir);
          for (const sub of fs.readdirSync(dir, { withFileTypes: true })) {
            if (sub.isDirectory() && !STUDY_FOLDERS.has(sub.name)) { runDirs.push(path.join(dir, sub.name)); inStudy.add(path.join(dir, sub.name)); }
          }
        } else runDirs.push(dir);
      }
    }
  }
  for (const dir of studyDirs) {
    const bad = (message: string) => out.push({ category: 'inconsistent-run', layer, message: `${path.basename(dir)}: ${message}` });
    try {
      const status = (JSON.parse(fs.readFileSync(path.join(dir, 'study.json'), 'utf8')) as { status?: string }).status;
      if (status === 'running' && !killed) bad('study.json still "running" after the process ended');
      if (status === 'completed' && exitStatus !== 0 && !killed) bad(`study.json "completed" but the process exited ${exitStatus}`);
      if (status !== 'completed' && exitStatus === 0) bad(`exit 0 but study.json is "${status}"`);
    } catch (err) {
      bad(`study.json unreadable: ${(err as Error).message.slice(0, 120)}`);
    }
  }
  for (const dir of runDirs) {
    const rel = path.basename(dir);
    const bad = (message: string) => out.push({ category: 'inconsistent-run', layer, message: `${rel}: ${message}` });
    let status: string | undefined;
    try {
      const run = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as { status?: string; error?: { message?: string } };
      status = run.status;
      if (status === 'failed' && !run.error?.message) bad('run.json is "failed" with no error message');
      if (status === 'failed' && run.error?.message) {
        const internal = internalText(run.error.message);
        if (internal) out.push({ category: 'internal-error', layer: `${layer} run.json`, message: internal });
      }
    } catch (err) {
      bad(`run.json unreadable: ${(err as Error).message.slice(0, 120)}`);
    }
    if (status === 'running' && !killed) bad('run.json still "running" after the process ended');
    if (status === 'completed' && exitStatus !== 0 && !killed && !inStudy.has(dir)) bad(`run.json "completed" but the process exited ${exitStatus}`);
    if (status && status !== 'completed' && exitStatus === 0 && !inStudy.has(dir)) bad(`exit 0 but run.json is "${status}"`);
    const metrics = path.join(dir, 'metrics.jsonl');
    if (fs.existsSync(metrics)) {
      const lines = fs.readFileSync(metrics, 'utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const cut = lines.findIndex((l) => { try { JSON.parse(l); return false; } catch { return true; } });
      if (cut >= 0) bad(`metrics.jsonl line ${cut + 1} does not parse`);
    }
    const summaryFile = path.join(dir, 'summary.json');
    if (fs.existsSync(summaryFile)) {
      try {
        const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as { status?: string };
        if (summary.status === 'completed' && status !== 'completed') bad(`summary.json "completed" beside run.json "${status}"`);
      } catch {
        bad('summary.json does not parse');
      }
    }
    const leftovers = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.tmp|tmp-/.test(f));
    if (leftovers.length && !killed) bad(`temporary files left: ${leftovers.slice(0, 3).join(', ')}`);
  }
  return out;
}
