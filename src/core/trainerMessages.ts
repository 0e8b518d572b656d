// The shape of a message from the trainer, checked where the host receives it. The trainer is
// our own code, but it is another process: a stray write on its IPC channel, a native library
// or a mismatched build can put something there that is not a FromTrainer. One that is not
// must be dropped and said, never handed on: `null` threw inside the extension host's message
// handler, and a `started` with a runDir that is no string left the session "running" for
// ever (reading its run.json threw when the trainer exited).
import type { FromTrainer } from './protocol';

type Check = (m: Record<string, unknown>) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isString = (v: unknown): v is string => typeof v === 'string';

function phaseProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'phase is not an object';
  if (v.kind === 'shared') return undefined;
  return v.kind === 'baseline' && isString(v.task) ? undefined : 'phase is neither the shared model nor a task\'s baseline';
}

function pointsProblem(v: unknown, field: string): string | undefined {
  if (!Array.isArray(v)) return `${field} is not a list`;
  // A diverged value (NaN, Infinity) crosses JSON as null: still a point.
  const bad = v.findIndex((p) => !isObject(p) || !isNumber(p.step) || !isNumber(p.epoch) || !(isNumber(p.value) || p.value === null)
    || !isString(p.split) || !isString(p.task) || !isString(p.metric));
  return bad < 0 ? undefined : `${field}[${bad}] is not a metric point`;
}

const first = (...problems: Array<string | undefined>) => problems.find((p) => p !== undefined);
const need = (ok: boolean, problem: string) => (ok ? undefined : problem);

/** What each message type must hold before the host reads it. */
const CHECKS: Record<FromTrainer['type'], Check> = {
  started: (m) => first(need(isString(m.runDir), 'runDir is not a string'), need(isNumber(m.totalEpochs), 'totalEpochs is not a number'), phaseProblem(m.phase)),
  progress: (m) => first(phaseProblem(m.phase), pointsProblem(m.points, 'points')),
  epochEnd: (m) => first(phaseProblem(m.phase), need(isNumber(m.epoch) && isNumber(m.totalEpochs), 'epoch or totalEpochs is not a number'), pointsProblem(m.values, 'values')),
  log: (m) => need((m.level === 'info' || m.level === 'warning') && isString(m.message), 'not a level and a message'),
  problems: (m) => need(Array.isArray(m.problems) && m.problems.every((p) => isObject(p) && Array.isArray(p.path) && isString(p.message)), 'problems is not a list of {path, message}'),
  error: (m) => need(isString(m.message), 'message is not a string'),
  done: (m) => need(isObject(m.summary), 'summary is not an object'),
  info: (m) => need(Array.isArray(m.lines), 'lines is not a list'),
  dataSummary: (m) => need(isObject(m.result), 'result is not an object'),
  studyProgress: (m) => need(isString(m.studyDir) && isObject(m.result), 'not a study folder and a result'),
};

/** Why `m` is not a message the host can read (undefined: it is one). */
export function fromTrainerProblem(m: unknown): string | undefined {
  if (!isObject(m)) return m === null ? 'null, not a message' : `a ${Array.isArray(m) ? 'list' : typeof m}, not a message`;
  if (!isString(m.type) || !Object.prototype.hasOwnProperty.call(CHECKS, m.type)) return `unknown message type ${JSON.stringify(m.type) ?? 'undefined'}`;
  const problem = CHECKS[m.type as FromTrainer['type']](m);
  return problem === undefined ? undefined : `${m.type}: ${problem}`;
}

/** A message as a short line for the log: its JSON cut to `max` characters. */
export function messagePreview(m: unknown, max = 200): string {
  let text: string;
  try {
    text = JSON.stringify(m) ?? String(m);
  } catch {
    text = String(m);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
