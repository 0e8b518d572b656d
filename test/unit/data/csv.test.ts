import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvTableReader, parseCsv, parseCsvRecords } from '../../../src/trainer/data/csv';
import { JsonlTableReader, parseJsonl } from '../../../src/trainer/data/jsonl';
import { cellsOf, type ColumnTable } from '../../../src/trainer/data/columnTable';
import { DataError } from '../../../src/trainer/data/errors';

const linesOf = (t: ColumnTable) => Array.from({ length: t.n }, (_, r) => t.line(r));

test('quoted fields keep commas, doubled quotes and line breaks', () => {
  const text = 'name,note,n\n"Smith, J.","said ""hi""",1\n"multi\nline",plain,2\n';
  const t = parseCsv(text);
  assert.deepEqual(t.columns, ['name', 'note', 'n']);
  assert.deepEqual(cellsOf(t), [['Smith, J.', 'said "hi"', 1], ['multi\nline', 'plain', 2]]);
  assert.deepEqual(t.problems, []);
});

test('CRLF, a byte-order mark, no final newline and blank lines all read the same', () => {
  const lf = parseCsv('a,b\n1,2\n3,4\n');
  const crlf = parseCsv('\uFEFFa,b\r\n1,2\r\n\r\n3,4');
  assert.deepEqual(crlf.columns, lf.columns);
  assert.deepEqual(cellsOf(crlf), cellsOf(lf));
  assert.deepEqual(linesOf(crlf), [2, 4]);
});

test('empty fields are missing (null); quoted empty too', () => {
  const t = parseCsv('a,b,c\n1,,3\n,"",\n');
  assert.deepEqual(cellsOf(t), [[1, null, 3], [null, null, null]]);
});

test('rows with the wrong number of fields are skipped and named by line, counting lines inside quotes', () => {
  const text = 'a,b\n"x\ny",1\n1,2,3\n4,5\n6\n';
  const t = parseCsv(text, 'data.csv');
  assert.deepEqual(cellsOf(t), [['x\ny', 1], [4, 5]]);
  assert.deepEqual(linesOf(t), [2, 5]);
  assert.deepEqual(t.problems, [
    { line: 4, message: 'expected 2 fields, found 3' },
    { line: 6, message: 'expected 2 fields, found 1' },
  ]);
});

test('an unclosed quote is reported at the line where it opens', () => {
  const { records, problems } = parseCsvRecords('a,b\n1,2\n3,"oops\n4,5\n');
  assert.equal(records.length, 2);
  assert.deepEqual(problems, [{ line: 3, message: 'a quoted field opened on this line is never closed' }]);
});

test('an empty file and a repeated column name are errors that say what is wrong', () => {
  assert.throws(() => parseCsv('', 'x.csv'), (e: unknown) => e instanceof DataError && /x\.csv is empty/.test(e.message));
  assert.throws(() => parseCsv('a,b,a\n1,2,3\n', 'x.csv'),
    (e: unknown) => e instanceof DataError && /line 1/.test(e.message) && /'a' appears twice/.test(e.message));
});

test('JSONL: keys become columns, absent keys are missing, booleans are 0/1', () => {
  const t = parseJsonl('{"a": 1, "b": "x"}\n\n{"b": "y", "c": true}\r\n{"a": null, "c": false}\n');
  assert.deepEqual(t.columns, ['a', 'b', 'c']);
  assert.deepEqual(cellsOf(t), [[1, 'x', null], [null, 'y', 1], [null, null, 0]]);
  assert.deepEqual(linesOf(t), [1, 3, 4]);
});

test('JSONL: bad lines are skipped and reported by line number', () => {
  const t = parseJsonl('{"a": 1}\n{"a": 2,}\n[1, 2]\n{"a": [1]}\n{"a": 5}\n', 'rows.jsonl');
  assert.deepEqual(cellsOf(t), [[1], [5]]);
  assert.deepEqual(t.problems.map((p) => p.line), [2, 3, 4]);
  assert.match(t.problems[0]!.message, /not valid JSON/);
  assert.match(t.problems[1]!.message, /expected a JSON object/);
  assert.match(t.problems[2]!.message, /field 'a' holds an array/);
});

test('text cut into chunks anywhere reads the same as whole text (quotes, CRLF, BOM, blank lines)', () => {
  const text = '\uFEFFname,note,n\r\n"Smith, J.","said ""hi""",1\r\n\r\n"multi\r\nline",plain,2\r\n3,"x""",\r\nlast,"",4';
  const whole = parseCsv(text, 'w.csv');
  for (let cut = 0; cut <= text.length; cut++) {
    for (const cut2 of [cut, Math.min(text.length, cut + 1), Math.min(text.length, cut + 7)]) {
      const reader = new CsvTableReader('w.csv');
      reader.push(text.slice(0, cut));
      reader.push(text.slice(cut, cut2));
      reader.push(text.slice(cut2));
      const t = reader.finish();
      assert.deepEqual([t.columns, cellsOf(t), linesOf(t), t.problems], [whole.columns, cellsOf(whole), linesOf(whole), whole.problems], `cut at ${cut}, ${cut2}`);
    }
  }
  assert.deepEqual(linesOf(whole), [2, 4, 6, 7]);
});

test('JSONL cut into chunks anywhere reads the same as whole text', () => {
  const text = '{"a": 1, "b": "x"}\r\n\r\n{"b": "y", "c": true}\r{"a": null}\n{"a": 2,}\n{"c": 3}';
  const whole = parseJsonl(text, 'w.jsonl');
  for (let cut = 0; cut <= text.length; cut++) {
    const reader = new JsonlTableReader('w.jsonl');
    reader.push(text.slice(0, cut));
    reader.push(text.slice(cut));
    const t = reader.finish();
    assert.deepEqual([t.columns, cellsOf(t), linesOf(t), t.problems], [whole.columns, cellsOf(whole), linesOf(whole), whole.problems], `cut at ${cut}`);
  }
  assert.deepEqual(linesOf(whole), [1, 3, 4, 6]);
});

test('a JSONL line that is not JSON is reported without quoting the line', () => {
  const t = parseJsonl('{"a": 1}\nSECRET-TOKEN-abc123 not json\n', 'rows.jsonl');
  assert.equal(t.problems.length, 1);
  assert.doesNotMatch(t.problems[0]!.message, /SECRET/);
});
