// What every check of a document needs (structure.ts, checkModel.ts, checkTasks.ts,
// checkSettings.ts, validate.ts, and the readers of half-typed documents): guards for raw
// JSON values, and a list that problems are added to by their JSON path and severity.
import type { JsonPath } from './editOps';
import type { Problem } from './spec';

/** A JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isString = (v: unknown): v is string => typeof v === 'string';
/** A finite number: JSON has no NaN or Infinity, but a value built in code may. */
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Problems in the order found; `error` and `warning` may be passed around on their own. */
export interface ProblemList {
  readonly problems: Problem[];
  error(path: JsonPath, message: string): void;
  warning(path: JsonPath, message: string): void;
}

export function problemList(): ProblemList {
  const problems: Problem[] = [];
  return {
    problems,
    error: (path, message) => { problems.push({ path, message, severity: 'error' }); },
    warning: (path, message) => { problems.push({ path, message, severity: 'warning' }); },
  };
}
