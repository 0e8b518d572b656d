// Reads a file that may be missing or half-written (a run folder the trainer is still writing,
// /proc of a process that has ended): undefined rather than an error, for the caller to judge.
import fs from 'node:fs';

/** The file's text, or undefined when it cannot be read. */
export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The file's JSON, or undefined when it cannot be read or parsed. */
export function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
