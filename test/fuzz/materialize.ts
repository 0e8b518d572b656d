// Turns a FuzzCase into files in a fresh workspace folder under the system temp folder:
// `experiment.mtl.json` and, for a base that reads one, `data.csv`. Also returns the recipe,
// one readable line per mutation as applied ("set model.layers[2].units = 1e999"), which
// is what the fuzz report prints as the minimal input.
import fs from 'node:fs';
import path from 'node:path';
import { bases, weightingOf, type ArgsCase, type ArgsFile, type CsvMutation, type FuzzCase, type Mutation } from './generators';

type Key = string | number;
type Json = unknown;

/** A value written as raw JSON text (1e999, 10,000 nested brackets). */
class RawValue {
  constructor(readonly raw: string) {}
}

export interface Materialized {
  dir: string;
  file: string;
  text: string;
  /** One line per mutation, as applied. */
  recipe: string[];
}

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawValue);
const fmtPath = (p: Key[]) => p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(root)';
const short = (s: string) => (s.length > 60 ? `${s.slice(0, 40)}… (${s.length} chars)` : s);

/** Own property, even for "__proto__" (plain assignment would set the prototype instead). */
function setOwn(o: Record<string, Json>, k: string, v: Json): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function stringify(v: Json, indent = ''): string {
  if (v instanceof RawValue) return v.raw;
  const inner = `${indent}  `;
  if (Array.isArray(v)) return v.length ? `[\n${v.map((x) => inner + stringify(x, inner)).join(',\n')}\n${indent}]` : '[]';
  if (isObj(v)) {
    const keys = Object.keys(v);
    return keys.length ? `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${stringify(v[k], inner)}`).join(',\n')}\n${indent}}` : '{}';
  }
  return JSON.stringify(v) ?? 'null';
}

/** Every path in the document (iteratively: the documents are shallow, but the habit is cheap). */
function paths(doc: Json): Array<{ path: Key[]; value: Json }> {
  const out: Array<{ path: Key[]; value: Json }> = [];
  const stack: Array<{ path: Key[]; value: Json }> = [{ path: [], value: doc }];
  while (stack.length) {
    const item = stack.pop()!;
    out.push(item);
    if (Array.isArray(item.value)) item.value.forEach((x, i) => stack.push({ path: [...item.path, i], value: x }));
    else if (isObj(item.value)) for (const k of Object.keys(item.value)) stack.push({ path: [...item.path, k], value: item.value[k] });
  }
  return out.sort((a, b) => fmtPath(a.path).localeCompare(fmtPath(b.path)));
}

function parentOf(doc: Json, p: Key[]): any {
  let cur: any = doc;
  for (const k of p.slice(0, -1)) cur = cur[k];
  return cur;
}

function setAt(doc: Json, p: Key[], value: Json): void {
  const parent = parentOf(doc, p);
  const k = p[p.length - 1]!;
  if (Array.isArray(parent)) parent[k as number] = value;
  else setOwn(parent, String(k), value);
}

const ENUM_KEYS = new Set(['type', 'kind', 'method', 'activation', 'loss', 'op', 'padding', 'dtype', 'baselines', 'missing', 'id', 'target']);
const choose = <T>(list: T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);

function model(doc: any): { inputs: any[]; layers: any[]; outputs: Record<string, string> } | undefined {
  const m = doc?.model;
  return isObj(m) && Array.isArray(m.inputs) && Array.isArray(m.layers) && isObj(m.outputs) ? (m as any) : undefined;
}

function renameId(doc: any, from: string, to: string): void {
  const m = model(doc);
  if (!m) return;
  for (const node of [...m.inputs, ...m.layers]) {
    if (isObj(node) && node.id === from) node.id = to;
    if (isObj(node) && Array.isArray(node.from)) node.from = node.from.map((f: unknown) => (f === from ? to : f));
  }
  for (const [task, out] of Object.entries(m.outputs)) if (out === from) setOwn(m.outputs, task, to);
  for (const t of Array.isArray(doc.tasks) ? doc.tasks : []) {
    if (isObj(t) && t.id === from) {
      t.id = to;
      const out = m.outputs[from];
      delete m.outputs[from];
      setOwn(m.outputs, to, out);
    }
  }
}

interface Workspace { dir: string; extraFiles: Array<() => void> }

function applyMutation(doc: any, mu: Mutation, ws: Workspace): string {
  switch (mu.op) {
    case 'set': {
      let candidates = paths(doc).filter((p) => p.path.length > 0);
      if (mu.tag === 'number-bounds') candidates = candidates.filter((p) => typeof p.value === 'number');
      if (mu.tag === 'proto-string') {
        const strings = candidates.filter((p) => typeof p.value === 'string');
        const enums = strings.filter((p) => ENUM_KEYS.has(String(p.path[p.path.length - 1])));
        candidates = mu.pick % 3 === 0 ? strings : enums;
      }
      const target = choose(candidates, mu.pick);
      if (!target) return 'no candidate';
      setAt(doc, target.path, new RawValue(mu.value.raw));
      return `set ${fmtPath(target.path)} = ${short(mu.value.raw)}`;
    }
    case 'delete': {
      const target = choose(paths(doc).filter((p) => p.path.length > 0 && typeof p.path[p.path.length - 1] === 'string'), mu.pick);
      if (!target) return 'no candidate';
      delete parentOf(doc, target.path)[target.path[target.path.length - 1]!];
      return `delete ${fmtPath(target.path)}`;
    }
    case 'addKey': {
      const target = choose(paths(doc).filter((p) => isObj(p.value)), mu.pick);
      if (!target) return 'no candidate';
      setOwn(target.value as Record<string, Json>, mu.key, new RawValue(mu.value.raw));
      return `add ${fmtPath([...target.path, mu.key])} = ${short(mu.value.raw)}`;
    }
    case 'renameId': {
      const m = model(doc);
      const ids = [...(m?.inputs ?? []), ...(m?.layers ?? []), ...(Array.isArray(doc.tasks) ? doc.tasks : [])]
        .filter((n) => isObj(n) && typeof n.id === 'string').map((n) => n.id as string);
      const from = choose(ids, mu.pick);
      if (from === undefined) return 'no candidate';
      renameId(doc, from, mu.to);
      return `rename id ${JSON.stringify(from)} to ${short(JSON.stringify(mu.to))} (references follow)`;
    }
    case 'split': {
      if (!isObj(doc.data) || !isObj(doc.data.split)) return 'no candidate';
      setOwn(doc.data.split, 'validation', new RawValue(mu.validation.raw));
      setOwn(doc.data.split, 'test', new RawValue(mu.test.raw));
      return `set data.split.validation = ${mu.validation.raw}, data.split.test = ${mu.test.raw}`;
    }
    case 'graph':
      return applyGraph(doc, mu);
    case 'deep': {
      const target = choose(paths(doc).filter((p) => p.path.length > 0), mu.pick);
      if (!target) return 'no candidate';
      const nest = mu.pick % 2 ? `${'['.repeat(mu.depth)}1${']'.repeat(mu.depth)}` : `${'{"a":'.repeat(mu.depth)}1${'}'.repeat(mu.depth)}`;
      setAt(doc, target.path, new RawValue(nest));
      return `set ${fmtPath(target.path)} = ${mu.pick % 2 ? 'arrays' : 'objects'} nested ${mu.depth} deep`;
    }
    case 'chain': {
      const m = model(doc);
      const input = m?.inputs[0]?.id;
      if (!m || typeof input !== 'string') return 'no candidate';
      const chain = Array.from({ length: mu.length }, (_, i) => ({ id: `chain${i}`, type: 'dense', units: 4, activation: 'relu', from: [i ? `chain${i - 1}` : input] }));
      for (const l of m.layers) if (isObj(l) && Array.isArray(l.from)) l.from = l.from.map((f: unknown) => (f === input ? `chain${mu.length - 1}` : f));
      m.layers.unshift(...chain);
      return `insert a chain of ${mu.length} dense layers after input ${JSON.stringify(input)}`;
    }
    case 'shape': {
      const m = model(doc);
      if (!m || !isObj(m.inputs[0])) return 'no candidate';
      setOwn(m.inputs[0], 'shape', new RawValue(mu.value.raw));
      return `set model.inputs[0].shape = ${mu.value.raw}`;
    }
    case 'dataPath': {
      if (!isObj(doc.data)) return 'no candidate';
      if (!isObj(doc.data.source) || (doc.data.source.type !== 'csv' && doc.data.source.type !== 'jsonl')) {
        doc.data.source = { type: 'csv', path: 'data.csv' };
      }
      let p: string = mu.target;
      if (mu.target.startsWith('symlink:')) {
        const target = mu.target.slice('symlink:'.length);
        ws.extraFiles.push(() => { fs.rmSync(path.join(ws.dir, 'link.csv'), { force: true }); fs.symlinkSync(target, path.join(ws.dir, 'link.csv')); });
        p = 'link.csv';
      } else if (mu.target === 'directory') {
        ws.extraFiles.push(() => fs.mkdirSync(path.join(ws.dir, 'adir'), { recursive: true }));
        p = 'adir';
      }
      doc.data.source.path = p;
      return `set data.source.path = ${JSON.stringify(p)}${p !== mu.target ? ` (${mu.target})` : ''}`;
    }
    case 'weighting': {
      if (!isObj(doc.training)) return 'no candidate';
      const { method, param } = weightingOf(mu);
      const spec: Record<string, Json> = { method };
      setOwn(spec, param, new RawValue(mu.value.raw));
      setOwn(doc.training, 'weighting', spec);
      return `set training.weighting = { "method": ${JSON.stringify(method)}, ${JSON.stringify(param)}: ${mu.value.raw} }`;
    }
    case 'truncate':
    case 'bom':
      return ''; // applied to the text, after serialisation
  }
}

function applyGraph(doc: any, mu: Extract<Mutation, { op: 'graph' }>): string {
  const m = model(doc);
  if (!m) return 'no candidate';
  const layers = m.layers.filter(isObj) as Array<Record<string, any>>;
  const i = layers.length ? mu.pick % layers.length : 0;
  const l = layers[i];
  switch (mu.kind) {
    case 'cycle': {
      const last = layers[layers.length - 1];
      if (!l || !last || !Array.isArray(l.from)) return 'no candidate';
      l.from = [...l.from, last.id];
      return `model.layers[${i}].from += ${JSON.stringify(last.id)} (a cycle)`;
    }
    case 'dangling':
      if (!l) return 'no candidate';
      l.from = ['nowhere'];
      return `model.layers[${i}].from = ["nowhere"]`;
    case 'self':
      if (!l) return 'no candidate';
      l.from = [l.id];
      return `model.layers[${i}].from = [its own id]`;
    case 'emptyFrom':
      if (!l) return 'no candidate';
      l.from = [];
      return `model.layers[${i}].from = []`;
    case 'duplicateId': {
      const other = layers[(i + 1) % layers.length];
      if (!l || !other || other === l) return 'no candidate';
      other.id = l.id;
      return `model.layers[${(i + 1) % layers.length}].id = ${JSON.stringify(l.id)} (a duplicate)`;
    }
    case 'outputMissing': {
      const task = Object.keys(m.outputs)[mu.pick % Math.max(1, Object.keys(m.outputs).length)];
      if (task === undefined) return 'no candidate';
      setOwn(m.outputs, task, 'nowhere');
      return `model.outputs.${task} = "nowhere"`;
    }
    case 'outputIsInput': {
      const task = Object.keys(m.outputs)[0];
      if (task === undefined || !isObj(m.inputs[0])) return 'no candidate';
      setOwn(m.outputs, task, m.inputs[0].id as string);
      return `model.outputs.${task} = the input's id`;
    }
    case 'noLayers':
      m.layers.length = 0;
      return 'model.layers = []';
    case 'noOutputs':
      (doc.model as any).outputs = {};
      return 'model.outputs = {}';
    case 'noTasks':
      doc.tasks = [];
      return 'tasks = []';
  }
}

function applyCsv(lines: string[], mu: CsvMutation, targets: number[], state: { crlf: boolean; bom: boolean; latin1: boolean }): string {
  const grid = lines.map((l) => l.split(','));
  const rows = grid.length - 1;
  const r = rows > 0 ? 1 + ('row' in mu ? mu.row % rows : 0) : 0;
  const width = grid[0]?.length ?? 1;
  const c = 'col' in mu ? mu.col % width : 0;
  const setCell = (row: number, column: number, text: string) => { if (grid[row]) grid[row]![column] = text; };
  let what: string;
  switch (mu.tag) {
    case 'csv-ragged':
      if (mu.extra) grid[r]?.push('7');
      else grid[r]?.pop();
      what = `line ${r + 1}: ${mu.extra ? 'one cell too many' : 'one cell too few'}`;
      break;
    case 'csv-quote': setCell(r, c, mu.text); what = `line ${r + 1} column ${c + 1} = ${mu.text}`; break;
    case 'csv-crlf': state.crlf = true; what = 'CRLF line ends'; break;
    case 'csv-bom': state.bom = true; what = 'UTF-8 BOM'; break;
    case 'csv-latin1': setCell(r, c, 'caf\u00e9'); state.latin1 = true; what = `line ${r + 1} column ${c + 1} = "café" and the file in Latin-1`; break;
    case 'csv-missing-marker': setCell(r, c, mu.marker); what = `line ${r + 1} column ${c + 1} = ${JSON.stringify(mu.marker)}`; break;
    case 'csv-mixed':
      for (const x of mu.rows) setCell(1 + (x % Math.max(1, rows)), mu.col % width, mu.text);
      what = `column ${(mu.col % width) + 1} = ${JSON.stringify(mu.text)} in ${mu.rows.length} row(s)`;
      break;
    case 'csv-empty-column':
      for (let i = 1; i < grid.length; i++) setCell(i, c, '');
      what = `column ${c + 1} empty in every row`;
      break;
    case 'csv-partial-label': {
      const t = targets[mu.target % Math.max(1, targets.length)] ?? width - 1;
      setCell(r, t, '');
      what = `line ${r + 1}: target column ${t + 1} empty`;
      break;
    }
    case 'csv-huge-number': setCell(r, c, mu.value); what = `line ${r + 1} column ${c + 1} = ${mu.value}`; break;
    case 'csv-header': setCell(0, c, mu.name); what = `header column ${c + 1} = ${JSON.stringify(mu.name)}`; break;
    case 'csv-empty':
      grid.splice(mu.keep === 'header' ? 1 : 0);
      if (mu.keep === 'blank-lines') grid.push([''], [''], ['']);
      what = mu.keep === 'nothing' ? 'empty file' : mu.keep === 'header' ? 'header only' : 'only blank lines';
      break;
    case 'csv-nul': setCell(r, 0, `${grid[r]?.[0] ?? ''}\u0000`); what = `line ${r + 1}: a NUL byte`; break;
    case 'csv-quoted-newline': setCell(r, c, `"${grid[r]?.[c] ?? ''}\nnote"`); what = `line ${r + 1} column ${c + 1}: a quoted line break`; break;
    case 'csv-one-class': {
      const t = targets[mu.target % Math.max(1, targets.length)] ?? width - 1;
      const value = grid[1]?.[t] ?? '';
      for (let i = 2; i < grid.length; i++) setCell(i, t, value);
      what = `target column ${t + 1} = ${JSON.stringify(value)} in every row`;
      break;
    }
  }
  lines.splice(0, lines.length, ...grid.map((g) => g.join(',')));
  return `csv: ${what}`;
}

let counter = 0;

/** Writes the case into a new folder under `parent` (which must be under the temp folder). */
export function materialize(c: FuzzCase, parent: string): Materialized {
  const base = bases().find((b) => b.name === c.base)!;
  const dir = path.join(parent, `case-${process.pid}-${++counter}`);
  fs.mkdirSync(dir, { recursive: true });
  const doc = JSON.parse(JSON.stringify(base.doc));
  const ws: Workspace = { dir, extraFiles: [] };
  const recipe = [`base ${c.base}`];
  for (const mu of c.mutations) {
    const line = applyMutation(doc, mu, ws);
    if (line) recipe.push(line);
  }
  let text = stringify(doc);
  for (const mu of c.mutations) {
    if (mu.op === 'truncate') {
      const at = mu.at % text.length;
      text = text.slice(0, at);
      recipe.push(`experiment file cut after ${at} characters`);
    } else if (mu.op === 'bom') {
      text = `\uFEFF${text}`;
      recipe.push('experiment file starts with a UTF-8 BOM');
    }
  }
  const file = path.join(dir, 'experiment.mtl.json');
  fs.writeFileSync(file, text);
  if (base.csvLines) {
    const lines = base.csvLines.filter((l) => l !== '');
    const header = lines[0]!.split(',');
    const targets = (base.doc.tasks as Array<{ target: string }>).map((t) => header.indexOf(t.target)).filter((i) => i >= 0);
    const state = { crlf: false, bom: false, latin1: false };
    for (const mu of c.csv) recipe.push(applyCsv(lines, mu, targets, state));
    const body = lines.length ? lines.join(state.crlf ? '\r\n' : '\n') + (state.crlf ? '\r\n' : '\n') : '';
    const bytes = Buffer.from(body, state.latin1 ? 'latin1' : 'utf8');
    fs.writeFileSync(path.join(dir, 'data.csv'), state.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes);
  }
  for (const make of ws.extraFiles) make();
  return { dir, file, text, recipe };
}

/** An `mts` command line in a fresh folder holding a small valid experiment (2 epochs), its CSV and a sub-folder. */
export function materializeArgs(c: ArgsCase, parent: string, runFixture?: string): { dir: string; argv: string[]; recipe: string[] } {
  const dir = path.join(parent, `args-${process.pid}-${++counter}`);
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  const base = bases().find((b) => b.name === 'tabular-csv')!;
  const doc = JSON.parse(JSON.stringify(base.doc));
  doc.training.epochs = 2;
  fs.writeFileSync(path.join(dir, 'experiment.mtl.json'), JSON.stringify(doc, null, 2));
  fs.writeFileSync(path.join(dir, 'broken.mtl.json'), '{ "name": ');
  fs.writeFileSync(path.join(dir, 'data.csv'), `${base.csvLines!.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'study.mtl-study.json'), JSON.stringify({ name: 'args', experiment: 'experiment.mtl.json', repeats: 1, variants: { singleTask: false } }, null, 2));
  // A finished run as `mts train --out saved` leaves it (saved/<experiment>/<run>): the insight commands find the
  // data two levels above the experiment's folder. Not under runs/, whose run folders the oracle holds to this command's exit.
  const run = runFixture ? path.join('saved', 'tabular-csv', path.basename(runFixture)) : 'saved/tabular-csv/none';
  if (runFixture) fs.cpSync(runFixture, path.join(dir, run), { recursive: true });
  const files: Record<ArgsFile, string[]> = {
    valid: ['experiment.mtl.json'], 'invalid-json': ['broken.mtl.json'], missing: ['nope.mtl.json'], directory: ['sub'],
    'dev-null': ['/dev/null'], csv: ['data.csv'], none: [], 'two-files': ['experiment.mtl.json', 'experiment.mtl.json'], empty: [''],
    run: [run], study: ['study.mtl-study.json'], outside: ['/etc'],
  };
  const argv = [...(c.command ? [c.command] : []), ...files[c.file]];
  for (const f of c.flags) argv.push(...(f.form === 'space' ? [`--${f.name}`, f.value] : f.form === 'equals' ? [`--${f.name}=${f.value}`] : [`--${f.name}`]));
  return { dir, argv, recipe: [`mts ${argv.map((a) => (/^[\w./=-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`] };
}
