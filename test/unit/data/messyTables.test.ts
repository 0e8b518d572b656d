// Tables as users have them: other encodings, missing-value markers, columns that mix numbers
// and words, empty columns, int32 inputs fed scaled values; and messages that quote nothing of
// the file but the column names asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource, ExperimentSpec, PreprocessOp, TaskSpec } from '../../../src/core/spec';
import { validate } from '../../../src/core/validate';
import { DataError } from '../../../src/trainer/data/errors';
import { loadExperimentData } from '../../../src/trainer/data/load';
import { summarizeData } from '../../../src/trainer/data/summary';
import { datasetColumns } from '../../../src/trainer/data/columns';
import { tempDir } from '../../tempFolders';

function workspace(files: Record<string, string | Buffer>): string {
  const dir = tempDir('messy');
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

const split = { validation: 0.2, test: 0.2, seed: 1 };
const regression = (target = 'y'): TaskSpec[] => [{ id: 'task', kind: 'regression', target }];
type Source = Extract<DataSource, { type: 'csv' | 'jsonl' }>;
const spec = (source: Partial<Source>, tasks = regression(), preprocess?: PreprocessOp[]) =>
  ({ data: { source: { type: 'csv', path: 'd.csv', ...source } as Source, split, ...(preprocess ? { preprocess } : {}) }, tasks });
const rows = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('\n') + '\n';
const dataError = (pattern: RegExp, pathWanted?: (string | number)[]) => (e: unknown) =>
  e instanceof DataError && pattern.test(e.message) && (pathWanted === undefined || JSON.stringify(e.path) === JSON.stringify(pathWanted));

// ---- encoding ----------------------------------------------------------------------------
test('a Latin-1 CSV is refused with the line of its first bad byte; declared as latin1 it reads right', () => {
  const text = `city,y\n${rows(10, (i) => `${i % 2 ? 'Lyon' : 'Zürich'},${i}`)}`;
  const dir = workspace({ 'd.csv': Buffer.from(text, 'latin1') });
  assert.throws(() => loadExperimentData(spec({}), { workspaceDir: dir }),
    dataError(/d\.csv is not valid UTF-8 \(line 2 has a byte that is not UTF-8\).*data\.source\.encoding/, ['data', 'source', 'encoding']));
  assert.throws(() => datasetColumns(spec({ path: 'd.csv' }), dir), dataError(/not valid UTF-8/));
  const data = loadExperimentData(spec({ encoding: 'latin1' }), { workspaceDir: dir });
  assert.deepEqual(data.train.oneHot, { city: ['Lyon', 'Zürich'] });
});

test('the first bad byte is found past the first chunk, on its own line; a UTF-8 BOM and characters cut by chunks read fine', () => {
  // 'é' (2 bytes) lands across every 64 KB and 1 MB chunk boundary somewhere in 200,000 lines.
  const good = `x,city,y\n${rows(200_000, (i) => `${i},${i % 3 ? 'Orléans' : 'Genève'},${i % 5}`)}`;
  const dir = workspace({ 'd.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good, 'utf8')]) });
  const data = loadExperimentData(spec({}), { workspaceDir: dir });
  assert.deepEqual(data.train.oneHot, { city: ['Genève', 'Orléans'] });
  assert.equal(data.train.featureNames[0], 'x', 'the BOM is not part of the first column name');
  const bad = Buffer.from(`${good}1,Gen\xe8ve,1\n`, 'latin1');
  const lastLine = good.split('\n').length; // the header is line 1; the bad row follows the last good one
  fs.writeFileSync(path.join(dir, 'bad.csv'), Buffer.concat([Buffer.from(good, 'utf8'), bad.subarray(Buffer.byteLength(good, 'latin1'))]));
  assert.throws(() => loadExperimentData(spec({ path: 'bad.csv' }), { workspaceDir: dir }), dataError(new RegExp(`line ${lastLine} has a byte`)));
});

test('a UTF-16 file reads with its declared encoding', () => {
  const text = `\uFEFFa,y\n${rows(10, (i) => `${i},${i * 2}`)}`;
  const dir = workspace({ 'd.csv': Buffer.from(text, 'utf16le') });
  const data = loadExperimentData(spec({ encoding: 'utf-16le' }), { workspaceDir: dir });
  assert.deepEqual(data.train.featureNames, ['a']);
});

// ---- messages quote no file contents --------------------------------------------------------
test('errors name the columns asked for, never other columns or cells of the file', () => {
  const secret = 'root:x:0:0:root:/root:/bin/bash';
  const dir = workspace({ 'd.csv': `${secret},y\n${rows(6, (i) => `${i},${i % 2 ? 'topsecret' : i}`)}` });
  const messages: string[] = [];
  for (const s of [spec({}, regression('target')), spec({}, regression('y')), spec({ features: ['nope'] }, regression('y'))]) {
    try { loadExperimentData(s, { workspaceDir: dir }); assert.fail('expected a DataError'); } catch (e) {
      assert.ok(e instanceof DataError, String(e));
      messages.push(e.message);
    }
  }
  for (const m of messages) {
    assert.doesNotMatch(m, /root:x|\/bin\/bash|topsecret/, m);
  }
  assert.match(messages[0]!, /Column 'target' \(target of task 'task'\) is not in d\.csv \(2 columns\)\./);
  assert.match(messages[1]!, /needs numbers in column 'y' of d\.csv, but lines 3, 5, 7 hold text/);
});

// ---- missing-value markers -----------------------------------------------------------------
test('NA, N/A, n/a, NaN, nan, null, None, "-" and "?" are missing: the column stays numeric and z-scored', () => {
  const markers = ['NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'None', '-', '?', ''];
  const dir = workspace({ 'd.csv': `x,y\n${rows(60, (i) => `${i % 6 === 0 ? markers[(i / 6) % markers.length] : i},${i % 4}`)}` });
  const data = loadExperimentData(spec({ missing: 'impute' }, regression(), [{ op: 'zscore', columns: ['x'] }]), { workspaceDir: dir });
  assert.deepEqual(data.train.featureNames, ['x'], 'one numeric feature, not one-hot categories');
  assert.equal(data.train.oneHot, undefined);
  assert.ok(data.report.some((l) => /x: 10/.test(l)), data.report.join('\n'));
  assert.ok(data.train.features.every((v) => Number.isFinite(v)));
});

test('missingValues replaces the markers: "-999" is missing, "NA" is then a word', () => {
  const dir = workspace({ 'd.csv': `x,kind,y\n${rows(40, (i) => `${i % 8 === 0 ? -999 : i},${i % 2 ? 'NA' : 'EU'},${i}`)}` });
  const data = loadExperimentData(spec({ missing: 'impute', missingValues: ['-999'] }), { workspaceDir: dir });
  assert.deepEqual(data.train.oneHot, { kind: ['EU', 'NA'] });
  assert.ok(data.report.some((l) => /x: 5/.test(l)), data.report.join('\n'));
});

// ---- columns mixing numbers and text --------------------------------------------------------
test('a column mixing numbers and words gets a note naming it and a few values, in the summary too', () => {
  const dir = workspace({ 'd.csv': `age,y\n${rows(40, (i) => `${i === 3 ? 'unknown' : i === 9 ? 'forty' : 20 + (i % 5)},${i}`)}` });
  const data = loadExperimentData(spec({}), { workspaceDir: dir });
  const note = data.report.find((l) => /mixes numbers/.test(l));
  assert.ok(note, data.report.join('\n'));
  assert.match(note, /Column 'age' of d\.csv mixes numbers \(38 cells\) and text \(2 cells, e\.g\. 'unknown', 'forty' on lines 5, 11\)/);
  assert.match(note, /columnTypes \{"age": "numeric"\}/);
  assert.ok(summarizeData(spec({}), { workspaceDir: dir }).notes.includes(note));

  const numeric = loadExperimentData(spec({ missing: 'impute', columnTypes: { age: 'numeric' } }), { workspaceDir: dir });
  assert.deepEqual(numeric.train.featureNames, ['age']);
  assert.ok(!numeric.report.some((l) => /mixes numbers/.test(l)));
  assert.ok(numeric.report.some((l) => /'age': 2 text cells read as missing values/.test(l)), numeric.report.join('\n'));
  const categorical = loadExperimentData(spec({ columnTypes: { age: 'categorical' } }), { workspaceDir: dir });
  assert.deepEqual(categorical.train.oneHot?.age, ['20', '21', '22', '23', '24', 'forty', 'unknown']);
  assert.ok(!categorical.report.some((l) => /mixes numbers/.test(l)));
});

test('the summary carries each mixed column as a fact (name, counts, values, lines) for the designer; none once columnTypes decides', () => {
  const dir = workspace({ 'd.csv': `age,kind,y\n${rows(40, (i) => `${i === 3 ? 'unknown' : i === 9 ? 'forty' : 20 + (i % 5)},${i % 2 ? 'a' : 'b'},${i}`)}` });
  const s = summarizeData(spec({}), { workspaceDir: dir });
  // kind is all text (plain categories): only age mixes.
  assert.deepEqual(s.mixedColumns, [{ column: 'age', numbers: 38, text: 2, examples: ['unknown', 'forty'], lines: [5, 11] }]);
  assert.ok(s.notes.some((l) => /Column 'age' of d\.csv mixes numbers/.test(l)), 'the note stays too');
  for (const type of ['numeric', 'categorical'] as const) {
    const decided = summarizeData(spec({ missing: 'impute', columnTypes: { age: type } }), { workspaceDir: dir });
    assert.equal(decided.mixedColumns, undefined, type);
  }
  assert.equal(summarizeData(spec({ features: ['kind'] }), { workspaceDir: dir }).mixedColumns, undefined, 'a column that is not a feature is not offered');
});

test('columnTypes is part of the schema; a column it names must exist', () => {
  const doc = { ...JSON.parse(JSON.stringify(spec({ columnTypes: { age: 'numeric' }, encoding: 'latin1', missingValues: ['?'] }))) };
  const problems = validate(doc).problems.filter((p) => p.path[0] === 'data');
  assert.deepEqual(problems, []);
  const wrong = validate(JSON.parse(JSON.stringify(spec({ columnTypes: { age: 'number' as 'numeric' } })))).problems;
  assert.ok(wrong.some((p) => p.path.join('.') === 'data.source.columnTypes.age'), JSON.stringify(wrong));
  const dir = workspace({ 'd.csv': `x,y\n${rows(10, (i) => `${i},${i}`)}` });
  assert.throws(() => loadExperimentData(spec({ columnTypes: { agee: 'numeric' } }), { workspaceDir: dir }),
    dataError(/Column 'agee' \(data\.source\.columnTypes\)/, ['data', 'source', 'columnTypes', 'agee']));
});

test('a z-score or min-max column that is not numeric is an error naming it; one-hot columns are never standardised', () => {
  const dir = workspace({ 'd.csv': `x,color,y\n${rows(30, (i) => `${i},${['red', 'blue'][i % 2]},${i}`)}` });
  for (const op of ['zscore', 'minmax'] as const) {
    assert.throws(() => loadExperimentData(spec({}, regression(), [{ op, columns: ['x', 'color'] }]), { workspaceDir: dir }),
      dataError(new RegExp(`data\\.preprocess\\[0\\] \\(${op}\\) names 'color', which is not numeric`), ['data', 'preprocess', 0, 'columns', 1]));
  }
  const data = loadExperimentData(spec({}, regression(), [{ op: 'zscore' }, { op: 'minmax' }, { op: 'scale', factor: 3 }]), { workspaceDir: dir });
  const j = data.train.featureNames.indexOf('color=red');
  for (let i = 0; i < data.train.n; i++) assert.ok([0, 1].includes(data.train.features[i * 3 + j]!));
});

// ---- empty columns -------------------------------------------------------------------------
test('a column empty in every row is left out with a note; asked for by name it is an error', () => {
  const dir = workspace({ 'd.csv': `x,notes,y\n${rows(20, (i) => `${i},,${i}`)}` });
  const data = loadExperimentData(spec({ missing: 'impute' }), { workspaceDir: dir });
  assert.deepEqual(data.train.featureNames, ['x']);
  assert.ok(data.report.includes("Left out column 'notes' of d.csv: empty in every row."), data.report.join('\n'));
  assert.equal(data.imputation, undefined, 'nothing was imputed');
  assert.throws(() => loadExperimentData(spec({ features: ['x', 'notes'] }), { workspaceDir: dir }),
    dataError(/Column 'notes' \(data\.source\.features\) of d\.csv is empty in every row/, ['data', 'source', 'features']));
  assert.throws(() => loadExperimentData(spec({}, regression('notes')), { workspaceDir: dir }),
    dataError(/Column 'notes' \(target of task 'task'\) of d\.csv is empty in every row/));
});

// ---- numbers float32 cannot hold ------------------------------------------------------------
// ---- a label of one class -----------------------------------------------------------------
test('a class target holding one class only (text, 0/1 numbers, or every labelled row of a partial label) is an error at the task\'s target that quotes no cell; two classes load', () => {
  const dir = workspace({
    'd.csv': `x,label,code,partial,both\n${rows(20, (i) => `${i},no,0,${i % 4 ? '' : 'yes'},${i % 2 ? 'yes' : 'no'}`)}`,
  });
  const refused = (target: string, kind: 'binary' | 'multiclass', labelled: number) => assert.throws(
    () => loadExperimentData(spec({ features: ['x'] }, [{ id: 'risk', kind, target }]), { workspaceDir: dir }),
    (e: unknown) => e instanceof DataError && JSON.stringify(e.path) === '["tasks",0,"target"]'
      && e.message.includes(`Task 'risk' is a ${kind} task, but its target '${target}' holds one class only in all ${labelled} labelled rows`)
      && !/'(no|yes|0)'/.test(e.message),
    `${kind} ${target}`,
  );
  refused('label', 'binary', 20);
  refused('label', 'multiclass', 20);
  refused('code', 'binary', 20);
  // Rows 0, 4, 8, 12, 16 are labelled (all "yes"); the others are unlabelled for this task, not a class.
  refused('partial', 'binary', 5);
  const data = loadExperimentData(spec({ features: ['x'] }, [{ id: 'risk', kind: 'binary', target: 'both' }]), { workspaceDir: dir });
  assert.equal(data.train.classes?.both, 2);
});

test('a number beyond float32\'s range (|x| > 3.4e38) in a used column is an error naming the column and its lines; an unused column may hold one', () => {
  // Training computes in float32, where 1e39 is Infinity: the loss was Infinity at the first step
  // and the run ended blaming the learning rate.
  const cell = (i: number) => (i === 2 || i === 5 ? '1e39' : i === 7 ? '-4e38' : String(i));
  const dir = workspace({
    'd.csv': `x,big,y\n${rows(12, (i) => `${i},${cell(i)},${i % 3}`)}`,
    'e.csv': `x,y\n${rows(12, (i) => `${i},${cell(i)}`)}`,
    'd.jsonl': rows(12, (i) => JSON.stringify({ x: i, y: i === 4 ? 3.5e38 : i })),
  });
  assert.throws(() => loadExperimentData(spec({}), { workspaceDir: dir }),
    dataError(/Column 'big' of d\.csv holds numbers beyond float32's range \(±3\.4e38\) on lines 4, 7, 9: .*infinite/, ['data', 'source', 'features']));
  assert.throws(() => loadExperimentData(spec({ path: 'e.csv' }), { workspaceDir: dir }),
    dataError(/Column 'y' \(target of task 'task'\) of e\.csv holds numbers beyond float32's range \(±3\.4e38\) on lines 4, 7, 9/, ['tasks', 0, 'target']));
  assert.throws(() => loadExperimentData(spec({ type: 'jsonl', path: 'd.jsonl' }), { workspaceDir: dir }),
    dataError(/Column 'y' \(target of task 'task'\) of d\.jsonl holds numbers beyond float32's range \(±3\.4e38\) on line 5/));
  // Left out of the features, the column is not read, and float32's largest numbers still are.
  const data = loadExperimentData(spec({ features: ['x'] }), { workspaceDir: dir });
  assert.deepEqual(data.train.featureNames, ['x']);
  const edge = workspace({ 'd.csv': `x,y\n${rows(12, (i) => `${i},${i === 3 ? '3.4028234e38' : i}`)}` });
  loadExperimentData(spec({}), { workspaceDir: edge });
});

// ---- int32 inputs --------------------------------------------------------------------------
test('an int32 input that would get scaled (non-integer) values is refused, naming the input and a column', () => {
  const dir = workspace({ 'd.csv': `token,y\n${rows(30, (i) => `${i % 7},${i}`)}` });
  const model = (dtype: 'int32' | 'float32') => ({ inputs: [{ id: 'ids', shape: [1], dtype }] }) as unknown as ExperimentSpec['model'];
  assert.throws(() => loadExperimentData({ ...spec({}, regression(), [{ op: 'zscore' }]), model: model('int32') }, { workspaceDir: dir }),
    dataError(/Input 'ids' has dtype int32, but its feature 'token' holds values that are not whole numbers after data\.preprocess/, ['model', 'inputs', 0, 'dtype']));
  loadExperimentData({ ...spec({}, regression(), [{ op: 'zscore' }]), model: model('float32') }, { workspaceDir: dir });
  const ids = loadExperimentData({ ...spec({}), model: model('int32') }, { workspaceDir: dir });
  assert.ok(ids.train.features.every((v) => Number.isInteger(v)));
});
