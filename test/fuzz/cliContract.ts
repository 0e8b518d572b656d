// The documented command line of `mts` (its usage text and README "Command line"), stated here
// for the fuzz oracle from the documentation, not imported from the CLI it checks: each command's
// operand and options, what a value of each must be, and the bounds the same setting has in an
// experiment (evaluation.explain.steps at most 1,000 there, so `--steps` too). From it the oracle
// decides which arguments of a generated command line must be refused (exit 2, naming one).

export type ValueKind =
  | { kind: 'whole'; max: number }
  | { kind: 'choice'; values: readonly string[] }
  | { kind: 'numbers'; max: number; maxItems: number }
  | { kind: 'choices'; values: readonly string[] }
  | { kind: 'path' }
  | { kind: 'size' }
  | { kind: 'flag' };

export interface CommandContract {
  /** The one operand, when the command takes one. */
  operand?: 'FILE' | 'RUN_FOLDER' | 'FILE|RUN_FOLDER';
  options: Record<string, ValueKind>;
  /** Options without which the command cannot run. */
  required?: readonly string[];
}

const whole = (max: number): ValueKind => ({ kind: 'whole', max });
const path: ValueKind = { kind: 'path' };
const backend: ValueKind = { kind: 'choice', values: ['auto', 'tensorflow', 'wasm', 'cpu'] };
const threads = whole(256);
const size: ValueKind = { kind: 'size' };
// training.epochs, evaluation.explain.{examples,steps}, evaluation.robustness.{pgdSteps,examples,epsilons} in an experiment.
const epochs = whole(100_000);

/**
 * Bounds the README gives for a setting that two files hold, the same in both: repeats 1 to 100
 * (an experiment's evaluation.repeats, a study's repeats).
 */
export const FILE_BOUNDS = { repeats: { min: 1, max: 100 } } as const;

export const CLI_CONTRACT: Record<string, CommandContract> = {
  train: { operand: 'FILE', options: { epochs, backend, threads, out: path, 'max-memory': size, 'allow-path': path } },
  validate: { operand: 'FILE', options: { 'max-memory': size, 'allow-path': path } },
  data: { operand: 'FILE', options: { 'max-memory': size, 'allow-path': path } },
  info: { options: { backend, threads } },
  robustness: {
    operand: 'RUN_FOLDER',
    options: {
      eps: { kind: 'numbers', max: 1e6, maxItems: 20 }, attacks: { kind: 'choices', values: ['fgsm', 'pgd'] }, steps: whole(1000),
      examples: whole(1_000_000), workspace: path, backend, threads, 'allow-path': path,
    },
  },
  explain: {
    operand: 'RUN_FOLDER',
    options: { examples: whole(100), steps: whole(1000), baseline: { kind: 'choice', values: ['zeros', 'mean'] }, workspace: path, backend, threads, 'allow-path': path },
  },
  study: { operand: 'FILE', options: { json: { kind: 'flag' }, resume: path, epochs, backend, threads, out: path, 'max-memory': size, 'allow-path': path } },
  export: { operand: 'FILE|RUN_FOLDER', options: { to: { kind: 'choice', values: ['keras', 'notebook', 'onnx'] }, out: path, workspace: path, 'allow-path': path }, required: ['to'] },
};

/** Whether `value` is a good value of `k`; the sizes are "8GB", "512MB", "1.5 g" (MB when no unit). */
export function valueOk(k: ValueKind, value: string): boolean {
  const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
  switch (k.kind) {
    case 'whole': { const n = num(value); return Number.isInteger(n) && n >= 1 && n <= k.max; }
    case 'choice': return k.values.includes(value);
    case 'numbers': {
      const parts = value.split(',');
      return parts.length <= k.maxItems && parts.every((p) => { const n = num(p); return Number.isFinite(n) && n >= 0 && n <= k.max; });
    }
    case 'choices': return value.split(',').every((p) => k.values.includes(p));
    case 'path': return value !== '';
    case 'size': { const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(value); return !!m && Number(m[1]) > 0; }
    case 'flag': return false; // a flag takes no value
  }
}

export interface CommandLine {
  command: string | undefined;
  operands: string[];
  options: Array<{ name: string; value: string | undefined; written: 'bare' | 'equals' }>;
}

/**
 * Reads argv as documented: the command, then `--name value` or `--name=value`, `--json` alone,
 * anything else an operand. A value that starts with "--" is written `--name=--x`: in `--out --x`
 * the option --out has no value and --x is the next option.
 */
export function readCommandLine(argv: readonly string[]): CommandLine {
  const [command, ...rest] = argv;
  const out: CommandLine = { command, operands: [], options: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--json') out.options.push({ name: 'json', value: undefined, written: 'bare' });
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq >= 0) out.options.push({ name: a.slice(2, eq), value: a.slice(eq + 1), written: 'equals' });
      else out.options.push({ name: a.slice(2), value: rest[i + 1]?.startsWith('--') ? undefined : rest[++i], written: 'bare' });
    } else out.operands.push(a);
  }
  return out;
}

/**
 * What must be refused in this command line, each as the words a message naming it would
 * hold: "--steps", the command's text, "FILE" or "RUN_FOLDER" when missing, an extra operand.
 * Empty when the command line is good as far as the documentation says (files aside).
 */
export function offenders(argv: readonly string[]): string[] {
  const line = readCommandLine(argv);
  const out: string[] = [];
  const contract = line.command !== undefined && Object.hasOwn(CLI_CONTRACT, line.command) ? CLI_CONTRACT[line.command] : undefined;
  if (!contract) out.push(line.command === undefined || line.command === '' ? 'missing command' : line.command);
  for (const o of line.options) {
    // After an unknown command, an option is held to what any command takes it as.
    const kind = contract ? contract.options[o.name] : Object.values(CLI_CONTRACT).map((c) => c.options[o.name]).find(Boolean);
    if (!kind || (o.value === undefined ? kind.kind !== 'flag' : !valueOk(kind, o.value))) out.push(`--${o.name}`);
  }
  if (!contract) return out;
  for (const r of contract.required ?? []) if (!line.options.some((o) => o.name === r)) out.push(`--${r}`);
  const wanted = contract.operand ? 1 : 0;
  if (contract.operand && (line.operands.length === 0 || line.operands[0] === '')) out.push(contract.operand);
  for (const extra of line.operands.slice(wanted)) out.push(extra === '' ? '""' : extra);
  return out;
}

/** Whether a message names `offender` (an operand by its usage name or its words, a missing command by saying so). */
export function namesOffender(message: string, offender: string): boolean {
  if (/^(FILE|RUN_FOLDER|FILE\|RUN_FOLDER)$/.test(offender)) return /\b(FILE|RUN_FOLDER)\b|experiment file|run folder/.test(message);
  return message.includes(offender);
}
