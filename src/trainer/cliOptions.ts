// Which options each `mts` command takes. An option a command does not use used to be accepted
// and ignored (`mts export --epochs 5` exported as if it were not there): now it is refused,
// with the command's own options named. Options that take a path refuse an empty one: `--out ''`
// resolved to the current folder and exported into it.

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
 * What is wrong with giving `--name` (value `value`) to `command`, in one line, or undefined.
 * An unknown command is left to the caller (it says so itself).
 */
export function optionProblem(command: string | undefined, name: string, value: string): string | undefined {
  if (!ALL.has(name)) return `unknown option --${name}`;
  if (command !== undefined && isCommand(command) && !(COMMAND_OPTIONS[command] as readonly string[]).includes(name)) {
    const own = COMMAND_OPTIONS[command].map((o) => `--${o}`).join(', ');
    return `mts ${command} does not take --${name} (its options: ${own})`;
  }
  if (PATH_OPTIONS.includes(name) && value === '') return `--${name} needs a path (got an empty one)`;
  return undefined;
}
