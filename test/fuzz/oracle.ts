// What the fuzz suite asserts about one outcome, as findings in named categories. Every
// rule here is something a user would notice: a crash, a hang, a message that shows the
// program's insides, a message that does not say where the problem is, a run folder whose
// files disagree or cannot be read, the content of a file outside the workspace.
import fs from 'node:fs';
import path from 'node:path';
import type { Problem } from '../../src/core/spec';

export const CATEGORIES = ['crash', 'hang', 'internal-error', 'unlocated', 'inconsistent-run', 'leak'] as const;
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

function firstMatch(text: string, re: RegExp): string {
  const line = text.split('\n').find((l) => re.test(l));
  return line ? ` (${line.trim().slice(0, 160)})` : '';
}

/**
 * A run folder after its process ended: no run.json still "running" (unless we killed the
 * process), every metrics.jsonl line parses, summary.json says "completed" only beside a
 * completed run.json, no temporary files left, and the exit code agrees with the status.
 */
export function judgeRuns(runsDir: string, exitStatus: number | null, killed: boolean, layer = 'cli-train'): Finding[] {
  const out: Finding[] = [];
  const runDirs: string[] = [];
  if (fs.existsSync(runsDir)) {
    for (const exp of fs.readdirSync(runsDir)) {
      const expDir = path.join(runsDir, exp);
      if (fs.statSync(expDir).isDirectory()) for (const r of fs.readdirSync(expDir)) runDirs.push(path.join(expDir, r));
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
    if (status === 'completed' && exitStatus !== 0 && !killed) bad(`run.json "completed" but the process exited ${exitStatus}`);
    if (status && status !== 'completed' && exitStatus === 0) bad(`exit 0 but run.json is "${status}"`);
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
