// Which options each `mts` command takes. An option a command does not use used to be accepted
// and ignored (`mts export --epochs 5` exported as if it were not there): now it is refused,
// with the command's own options named. Options that take a path refuse an empty one: `--out ''`
// resolved to the current folder and exported into it. A value that looks like an option is
// refused unless written `--out=--x` (`--out --examples` made a folder named --examples), and a
// --workspace must be a folder, never the root or home (`--workspace /` read data from anywhere).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The options of each command, without the leading "--", in the order the usage gives them. */
export const COMMAND_OPTIONS = {
  train: ['epochs', 'backend', 'threads', 'out', 'max-memory', 'allow-path'],
  validate: ['max-memory', 'allow-path'],
  data: ['max-memory', 'allow-path'],
  info: ['backend', 'threads'],
  robustness: ['eps', 'attacks', 'steps', 'examples', 'workspace', 'backend', 'threads', 'allow-path'],
  explain: ['examples', 'steps', 'baseline', 'workspace', 'backend', 'threads', 'allow-path'],
  study: ['json', 'resume', 'epochs', 'backend', 'threads', 'out', 'max-memory', 'allow-path'],
  export: ['to', 'out', 'workspace', 'allow-path'],
} as const satisfies Record<string, readonly string[]>;

/** Options whose value is a file or folder: an empty value is refused. */
export const PATH_OPTIONS: readonly string[] = ['out', 'workspace', 'resume', 'allow-path'];

const isCommand = (c: string): c is keyof typeof COMMAND_OPTIONS => Object.hasOwn(COMMAND_OPTIONS, c);
const ALL = new Set<string>(Object.values(COMMAND_OPTIONS).flat());

/**
 * What is wrong with giving `--name` (value `value`, `written` as `--name value` or `--name=value`)
 * to `command`, in one line, or undefined. An unknown command is left to the caller (it says so itself).
 */
export function optionProblem(command: string | undefined, name: string, value: string, written: 'apart' | 'equals' = 'apart'): string | undefined {
  if (!ALL.has(name)) return `unknown option --${name}`;
  // As other CLIs do: the next argument is not taken as a value when it is an option itself.
  if (written === 'apart' && value.startsWith('--')) return `--${name} needs a value, not the option ${value} (write --${name}=${value} for a value that starts with --)`;
  if (command !== undefined && isCommand(command) && !(COMMAND_OPTIONS[command] as readonly string[]).includes(name)) {
    const own = COMMAND_OPTIONS[command].map((o) => `--${o}`).join(', ');
    return `mts ${command} does not take --${name} (its options: ${own})`;
  }
  if (PATH_OPTIONS.includes(name) && value === '') return `--${name} needs a path (got an empty one)`;
  return undefined;
}

/**
 * Why `dir` can never be a workspace (the folder data paths start from and stay inside), or
 * undefined: the file system's root or the home folder would let an experiment's data paths
 * reach every file (VS Code keeps its extensions in ~/.vscode).
 */
export function neverAWorkspace(dir: string): string | undefined {
  const abs = path.resolve(dir);
  if (abs === path.parse(abs).root) return "the file system's root";
  if (abs === path.resolve(os.homedir())) return 'the home folder';
  return undefined;
}

/** What is wrong with `--workspace value`, in one line, or undefined: it must be a folder that is there, and may be one. */
export function workspaceProblem(value: string): string | undefined {
  const never = neverAWorkspace(value);
  if (never) return `--workspace ${value}: ${never} is never a workspace (data paths would reach every file below it); name the folder that holds the experiment's data`;
  const stat = fs.statSync(value, { throwIfNoEntry: false });
  if (!stat) return `--workspace ${value}: no such folder`;
  if (!stat.isDirectory()) return `--workspace ${value}: not a folder`;
  return undefined;
}
