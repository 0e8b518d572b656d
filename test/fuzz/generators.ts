// Generators of malformed experiments and CSVs for the fuzz suite. A case is a valid bundled
// example (a "base") plus a short list of mutations, each a plain record that fast-check can
// shrink (fewer mutations, smaller indices, simpler values) and that prints as a readable
// recipe ("set model.layers[0].type = \"__proto__\""). Mutations pick their target by index
// modulo the candidates present, so any index is valid on any base.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { WEIGHTING_METHODS } from '../../src/core/weighting/registry';
import { CLI_CONTRACT } from './cliContract';

/** What a mutation does; the fuzz report and the pending list (pending.ts) speak in these. */
export type MutationTag =
  | 'wrong-type' | 'missing-field' | 'extra-field' | 'proto-string' | 'odd-id' | 'number-bounds'
  | 'split' | 'graph' | 'deep-json' | 'long-chain' | 'input-shape' | 'data-path' | 'json-syntax'
  | 'csv-ragged' | 'csv-quote' | 'csv-crlf' | 'csv-bom' | 'csv-latin1' | 'csv-missing-marker' | 'csv-mixed'
  | 'csv-empty-column' | 'csv-partial-label' | 'csv-huge-number' | 'csv-header' | 'csv-empty' | 'csv-nul' | 'experiment-bom'
  | 'weighting' | 'csv-quoted-newline' | 'csv-one-class';

/** A JSON text fragment placed as is: lets a value be 1e999 (parsed as Infinity) or 10,000 brackets deep. */
export interface Raw { raw: string }

export type Mutation =
  | { tag: 'wrong-type' | 'number-bounds' | 'proto-string'; op: 'set'; pick: number; value: Raw }
  | { tag: 'missing-field'; op: 'delete'; pick: number }
  | { tag: 'extra-field'; op: 'addKey'; pick: number; key: string; value: Raw }
  | { tag: 'odd-id'; op: 'renameId'; pick: number; to: string }
  | { tag: 'split'; op: 'split'; validation: Raw; test: Raw }
  | { tag: 'graph'; op: 'graph'; kind: GraphKind; pick: number }
  | { tag: 'deep-json'; op: 'deep'; pick: number; depth: number }
  | { tag: 'long-chain'; op: 'chain'; length: number }
  | { tag: 'input-shape'; op: 'shape'; value: Raw }
  | { tag: 'data-path'; op: 'dataPath'; target: DataPathTarget }
  | { tag: 'json-syntax'; op: 'truncate'; at: number }
  | { tag: 'experiment-bom'; op: 'bom' }
  /** training.weighting = one registered method with one of its parameters (or "mode", or another method's) at an odd value. */
  | { tag: 'weighting'; op: 'weighting'; method: number; param: number; value: Raw };

export type CsvMutation =
  | { tag: 'csv-ragged'; row: number; extra: boolean }
  | { tag: 'csv-quote'; row: number; col: number; text: string }
  | { tag: 'csv-crlf' }
  | { tag: 'csv-bom' }
  | { tag: 'csv-latin1'; row: number; col: number }
  | { tag: 'csv-missing-marker'; row: number; col: number; marker: string }
  | { tag: 'csv-mixed'; col: number; rows: number[]; text: string }
  | { tag: 'csv-empty-column'; col: number }
  | { tag: 'csv-partial-label'; row: number; target: number }
  | { tag: 'csv-huge-number'; row: number; col: number; value: string }
  | { tag: 'csv-header'; col: number; name: string }
  | { tag: 'csv-empty'; keep: 'nothing' | 'header' | 'blank-lines' }
  | { tag: 'csv-nul'; row: number }
  /** A quoted cell with a line break inside ("a\nb", as spreadsheets write a multi-line note). */
  | { tag: 'csv-quoted-newline'; row: number; col: number }
  /** Every row of a target column holds one value: a label with one class only. */
  | { tag: 'csv-one-class'; target: number };

export type GraphKind = 'cycle' | 'dangling' | 'self' | 'emptyFrom' | 'duplicateId' | 'outputMissing' | 'noLayers' | 'noOutputs' | 'noTasks' | 'outputIsInput';

/** Data paths a user should never be able to read through an experiment (all read-only; nothing is written outside /tmp). */
export type DataPathTarget =
  | '/proc/self/environ' | '/etc/passwd' | '../../../../etc/hostname' | 'symlink:/etc/passwd' | 'symlink:/proc/self/environ'
  | 'directory' | 'missing.csv' | '' | 'data.csv\u0000.txt' | 'C:\\data\\x.csv' | 'file:///etc/passwd' | '~/data.csv';

export interface FuzzCase {
  base: string;
  mutations: Mutation[];
  csv: CsvMutation[];
}

export interface Base {
  name: string;
  doc: Record<string, unknown>;
  /** Lines of the data file the experiment reads (data.csv beside it), when it reads one. */
  csvLines?: string[];
  /** Small enough to train an epoch in a couple of seconds. */
  trainable: boolean;
}

/** The repository root: the compiled file sits a few levels below it, or the tests run from it. */
export const ROOT = [process.cwd(), path.resolve(__dirname, '../../..'), path.resolve(__dirname, '../../../..')]
  .find((d) => fs.existsSync(path.join(d, 'examples')) && fs.existsSync(path.join(d, 'package.json')))!;

const example = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name, `${name}.mtl.json`), 'utf8')) as Record<string, any>;

let basesMemo: Base[] | undefined;
/** The bundled examples, shrunk to a size that trains in seconds (the mutations then make them bad). */
export function bases(): Base[] {
  if (basesMemo) return basesMemo;
  const tabular = example('tabular-csv');
  tabular.data.source.path = 'data.csv';
  const csvLines = fs.readFileSync(path.join(ROOT, 'examples/tabular-csv/patients.csv'), 'utf8').split('\n').slice(0, 121);
  const correlated = example('correlated-regression');
  Object.assign(correlated.data.source, { samples: 400 });
  const digits = example('digits-parity');
  digits.data.source.limit = 600;
  const multi = example('multimnist-cnn');
  multi.data.source.samples = 300;
  basesMemo = [
    { name: 'tabular-csv', doc: tabular, csvLines, trainable: true },
    { name: 'correlated-regression', doc: correlated, trainable: true },
    { name: 'digits-parity', doc: digits, trainable: false },
    { name: 'multimnist-cnn', doc: multi, trainable: false },
    ...newerBases(tabular, csvLines),
  ];
  return basesMemo;
}

/**
 * Bases that hold the newer settings, so that every mutation reaches them: sharing blocks (mmoe,
 * ple in two levels, parallelDense with soft sharing, crossStitch), weighting methods with their
 * parameters, repeats and cross-validation (on the CSV too, where a mutated label column meets the
 * folds' stratification). Small enough to train an epoch, every repeat and fold, in seconds.
 */
function newerBases(tabular: Record<string, any>, csvLines: string[]): Base[] {
  const small = (name: string) => {
    const doc = example(name);
    Object.assign(doc.data.source, { samples: 400, inputDim: 8 });
    doc.model.inputs[0].shape = [8];
    doc.evaluation = { baselines: 'none' };
    return doc;
  };
  const mmoe = small('mmoe-regression');
  mmoe.training.weighting = { method: 'famo', learningRate: 0.025, decay: 0.001 };
  mmoe.evaluation.repeats = 2;
  const ple = small('mmoe-regression');
  ple.name = 'ple-regression';
  const experts = ple.model.layers.find((l: { id: string }) => l.id === 'experts');
  for (const k of Object.keys(experts)) if (!['id', 'from', 'activation'].includes(k)) delete experts[k];
  Object.assign(experts, { type: 'ple', sharedExperts: 2, taskExperts: 1, units: 8, tasks: 2, levels: 2 });
  ple.training.weighting = { method: 'gradvac', mode: 'representation', beta: 0.01 };
  ple.evaluation.crossValidation = { folds: 2, test: 'nested' };
  const stitch = small('cross-stitch-regression');
  stitch.model.layers.find((l: { id: string }) => l.id === 'columns1').tieL2 = 0.001;
  stitch.training.weighting = { method: 'cagrad', c: 0.4, rescale: 'onePlusC' };
  const folds = JSON.parse(JSON.stringify(tabular)) as Record<string, any>;
  folds.name = 'tabular-folds';
  folds.training.weighting = { method: 'nash-mtl', updateEvery: 2, maxNorm: 1 };
  folds.evaluation = { baselines: 'none', repeats: 2, crossValidation: { folds: 3, fold: 2 } };
  return [
    { name: 'mmoe-regression', doc: mmoe, trainable: true },
    { name: 'ple-regression', doc: ple, trainable: true },
    { name: 'cross-stitch-regression', doc: stitch, trainable: true },
    { name: 'tabular-folds', doc: folds, csvLines, trainable: true },
  ];
}

const raw = (text: string): Raw => ({ raw: text });
const PROTO = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__'];
const ODD_IDS = ['🔥', 'a b', 'ünï', '层一', '', ' ', 'a/b', 'a:b', 'x'.repeat(300), '1abc', '-', 'a\u0000b', 'a\nb', '../x', 'dense_1/kernel', 'Dense'];
const NUMBERS = ['0', '-1', '-0', '0.5', '1.5', '1e9', '1e308', '1e999', '-1e999', '2147483648', '9007199254740993', '1e-320', '-1e9', '3.7'];
const WRONG = ['"x"', '""', '0', '-1', 'true', 'null', '[]', '{}', '[1,2]', '{"a":1}', '[null]', '"1"', '[[]]'];
const MARKERS = ['', 'NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'None', '-', '?', 'NULL', '#N/A', 'inf', '-inf'];

const pick = fc.nat({ max: 1000 });
const rawOf = (pool: string[]) => fc.constantFrom(...pool).map(raw);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ tag: fc.constant('wrong-type' as const), op: fc.constant('set' as const), pick, value: rawOf(WRONG) }),
  fc.record({ tag: fc.constant('number-bounds' as const), op: fc.constant('set' as const), pick, value: rawOf(NUMBERS) }),
  fc.record({ tag: fc.constant('proto-string' as const), op: fc.constant('set' as const), pick, value: fc.constantFrom(...PROTO).map((s) => raw(JSON.stringify(s))) }),
  fc.record({ tag: fc.constant('missing-field' as const), op: fc.constant('delete' as const), pick }),
  fc.record({ tag: fc.constant('extra-field' as const), op: fc.constant('addKey' as const), pick, key: fc.constantFrom(...PROTO, 'extra', '', '🔥'), value: rawOf([...WRONG, '{"type":"dense"}']) }),
  fc.record({ tag: fc.constant('odd-id' as const), op: fc.constant('renameId' as const), pick, to: fc.constantFrom(...ODD_IDS, ...PROTO) }),
  fc.record({ tag: fc.constant('split' as const), op: fc.constant('split' as const), validation: rawOf(['0', '1', '0.6', '-0.1', '1.5', '0.999', '1e-9']), test: rawOf(['0', '1', '0.6', '-0.1', '0.5', '1e-9']) }),
  fc.record({ tag: fc.constant('graph' as const), op: fc.constant('graph' as const), pick,
    kind: fc.constantFrom<GraphKind>('cycle', 'dangling', 'self', 'emptyFrom', 'duplicateId', 'outputMissing', 'noLayers', 'noOutputs', 'noTasks', 'outputIsInput') }),
  fc.record({ tag: fc.constant('deep-json' as const), op: fc.constant('deep' as const), pick, depth: fc.constantFrom(50, 2000, 10_000) }),
  fc.record({ tag: fc.constant('long-chain' as const), op: fc.constant('chain' as const), length: fc.constantFrom(50, 1000, 6000) }),
  fc.record({ tag: fc.constant('input-shape' as const), op: fc.constant('shape' as const), value: rawOf(['[5]', '[]', '[0]', '[-1]', '[1e9]', '[[9]]', '[9,1]', '[3,3]', '[1.5]', '["9"]', '[1e999]']) }),
  fc.record({ tag: fc.constant('data-path' as const), op: fc.constant('dataPath' as const),
    target: fc.constantFrom<DataPathTarget>('/proc/self/environ', '/etc/passwd', '../../../../etc/hostname', 'symlink:/etc/passwd', 'symlink:/proc/self/environ',
      'directory', 'missing.csv', '', 'data.csv\u0000.txt', 'C:\\data\\x.csv', 'file:///etc/passwd', '~/data.csv') }),
  fc.record({ tag: fc.constant('json-syntax' as const), op: fc.constant('truncate' as const), at: pick }),
  fc.record({ tag: fc.constant('experiment-bom' as const), op: fc.constant('bom' as const) }),
  fc.record({ tag: fc.constant('weighting' as const), op: fc.constant('weighting' as const), method: pick, param: pick,
    value: rawOf([...NUMBERS, '"none"', '"representation"', '"x"', 'null', '[]', '"__proto__"']) }),
);

/** A weighting mutation as a spec: the method at `method`, and the name its `param` picks among its own parameters, "mode" and one of another method's. */
export function weightingOf(mu: { method: number; param: number }): { method: string; param: string } {
  const m = WEIGHTING_METHODS[mu.method % WEIGHTING_METHODS.length]!.description;
  const names = [...Object.keys(m.params), ...(m.family === 'gradient' ? ['mode'] : []), m.id === 'famo' ? 'alpha' : 'learningRate'];
  return { method: m.id, param: names[mu.param % names.length]! };
}

const row = fc.nat({ max: 200 });
const col = fc.nat({ max: 20 });
export const csvMutationArb: fc.Arbitrary<CsvMutation> = fc.oneof(
  fc.record({ tag: fc.constant('csv-ragged' as const), row, extra: fc.boolean() }),
  fc.record({ tag: fc.constant('csv-quote' as const), row, col, text: fc.constantFrom('"unclosed', '"a,b"', '"a""b"', 'a"b', '"1.5"', '""') }),
  fc.record({ tag: fc.constant('csv-crlf' as const) }),
  fc.record({ tag: fc.constant('csv-bom' as const) }),
  fc.record({ tag: fc.constant('csv-latin1' as const), row, col }),
  fc.record({ tag: fc.constant('csv-missing-marker' as const), row, col, marker: fc.constantFrom(...MARKERS) }),
  fc.record({ tag: fc.constant('csv-mixed' as const), col, rows: fc.array(row, { minLength: 1, maxLength: 30 }), text: fc.constantFrom('abc', 'n/a', 'NaN', '1,5', '12kg', 'true', '__proto__') }),
  fc.record({ tag: fc.constant('csv-empty-column' as const), col }),
  fc.record({ tag: fc.constant('csv-partial-label' as const), row, target: fc.nat({ max: 1 }) }),
  fc.record({ tag: fc.constant('csv-huge-number' as const), row, col, value: fc.constantFrom('1e308', '1e400', '-1e999', 'Infinity', '1e-400', '99999999999999999999999', '3e38', '-2e19') }),
  fc.record({ tag: fc.constant('csv-header' as const), col, name: fc.constantFrom('', '__proto__', 'constructor', 'age', ' age', 'a"b', '🔥') }),
  fc.record({ tag: fc.constant('csv-empty' as const), keep: fc.constantFrom('nothing' as const, 'header' as const, 'blank-lines' as const) }),
  fc.record({ tag: fc.constant('csv-nul' as const), row }),
  fc.record({ tag: fc.constant('csv-quoted-newline' as const), row, col }),
  fc.record({ tag: fc.constant('csv-one-class' as const), target: fc.nat({ max: 1 }) }),
);

/**
 * Cases over the given bases: 1 to `maxMutations` mutations of the experiment (none is fine
 * when the CSV is mutated), and 0-3 of its CSV when it reads one.
 */
export function caseArb(baseList: Base[] = bases(), maxMutations = 3): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...baseList).chain((b) => fc.record({
    base: fc.constant(b.name),
    mutations: fc.array(mutationArb, { minLength: b.csvLines ? 0 : 1, maxLength: maxMutations }),
    csv: b.csvLines ? fc.array(csvMutationArb, { maxLength: 3 }) : fc.constant<CsvMutation[]>([]),
  })).filter((c) => c.mutations.length + c.csv.length > 0);
}

/** Cases that could be slow or deep by design: never run in-process (only in a child with a timeout). */
export function isHeavy(c: FuzzCase): boolean {
  return c.mutations.some((m) => (m.op === 'chain' && m.length > 300) || (m.op === 'deep' && m.depth > 100));
}

/**
 * Fields a refusal of the case must name: a case that only sets training.weighting (its data
 * untouched) is refused, if at all, for that setting, and a user needs to be sent there.
 */
export function fieldsToName(c: FuzzCase): string[] {
  return c.csv.length === 0 && c.mutations.length > 0 && c.mutations.every((m) => m.op === 'weighting') ? ['training.weighting'] : [];
}

export function tagsOf(c: FuzzCase): Set<string> {
  return new Set([...c.mutations.map((m) => m.tag), ...c.csv.map((m) => m.tag)]);
}

/** A command line of `mts`, for the CLI's own argument handling. */
export interface ArgsCase {
  command: string;
  file: ArgsFile;
  flags: Array<{ name: string; value: string; form: 'space' | 'equals' | 'bare' }>;
}
/** `run`: a finished run folder (runs/<experiment>/<run>); `study`: a good study file; `outside`: a folder outside the workspace. */
export type ArgsFile = 'valid' | 'invalid-json' | 'missing' | 'directory' | 'dev-null' | 'csv' | 'none' | 'two-files' | 'empty' | 'run' | 'study' | 'outside';

const FLAG_VALUES: Record<string, string[]> = {
  epochs: ['1', '2', '0', '-1', '1.5', '1e999', 'abc', '', ' 1', '0x2', '3=4', '100001', '1e9'],
  threads: ['1', '2', '0', '257', '1e9', '-1', 'abc', ''],
  backend: ['auto', 'cpu', 'tensorflow', 'gpu', '__proto__', ''],
  // '--examples': an option where --out's value belongs (refused), or a value written --out=--examples.
  out: ['runs', 'data.csv', 'data.csv/runs', '/proc/mts-fuzz/runs', '', '.', 'runs/../runs2', 'a b/runs', '--examples'],
  help: [''], foo: ['1'], '': ['x'],
  // mts export's: its --out values are the ones above (a file, a folder under /proc, '.').
  to: ['keras', 'notebook', 'onnx', 'pdf', ''],
  // mts explain's and robustness': a value in range, then out of it, of the wrong type, empty.
  steps: ['1', '2', '0', '-1', '1.5', 'abc', '', '1001', '1e9'],
  examples: ['1', '5', '0', '101', '1e9', '-3', 'abc', ''],
  eps: ['0.01', '0,0.1', '-1', '', ',', 'abc', '1e999', '0.1,', '1e7', 'NaN', 'Infinity'],
  attacks: ['fgsm', 'pgd', 'fgsm,pgd', '', 'FGSM', 'fgsm,'],
  baseline: ['zeros', 'mean', 'median', ''],
  workspace: ['.', 'sub', '/', '', 'nope', 'data.csv', '..'],
  // mts study's (--json takes no value: "bare" is its only right form).
  json: [''], resume: ['', 'nope', 'sub', 'data.csv'],
  'max-memory': ['8GB', '512MB', '0', 'abc', '', '-1GB', '1e999'],
  'allow-path': ['.', '/', '', 'nope'],
};

/** The options each command documents (cliContract.ts): a case draws from its command's own three times in four. */
const OWN_FLAGS: Record<string, string[]> = Object.fromEntries(Object.entries(CLI_CONTRACT).map(([c, k]) => [c, Object.keys(k.options)]));
const ANY_FLAG = Object.keys(FLAG_VALUES);
const flagArb = (names: string[]) => fc.constantFrom(...names).chain((name) => fc.record({
  name: fc.constant(name), value: fc.constantFrom(...FLAG_VALUES[name]!), form: fc.constantFrom('space' as const, 'equals' as const, 'bare' as const),
}));
const FILES: ArgsFile[] = ['valid', 'invalid-json', 'missing', 'directory', 'dev-null', 'csv', 'none', 'two-files', 'empty', 'run', 'study', 'outside'];
/** What each command is most often given: its documented operand. */
const OWN_FILE: Record<string, ArgsFile> = { study: 'study', explain: 'run', robustness: 'run', export: 'run' };

export const argsCaseArb: fc.Arbitrary<ArgsCase> = fc.constantFrom('train', 'validate', 'data', 'info', 'export', 'study', 'explain', 'robustness', '', 'frobnicate', '--epochs', 'TRAIN')
  .chain((command) => fc.record({
    command: fc.constant(command),
    file: fc.oneof(fc.constantFrom<ArgsFile>(...FILES), fc.constant<ArgsFile>(OWN_FILE[command] ?? 'valid')),
    flags: fc.array(OWN_FLAGS[command] ? fc.oneof({ arbitrary: flagArb(OWN_FLAGS[command]!), weight: 3 }, { arbitrary: flagArb(ANY_FLAG), weight: 1 }) : flagArb(ANY_FLAG), { maxLength: 3 }),
  }));
