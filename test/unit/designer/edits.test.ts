import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOpsToText, applyOpsToValue, EditError, minimalReplace, type EditOp } from '../../../src/core/edits';
import { JsonSyntaxError, jsonSyntaxError, parseTree } from '../../../src/core/jsonScan';
import { snapshotOf } from '../../../src/host/designer/snapshot';
import { digitsParityText, threeTasks } from './fixtures';

const pretty = JSON.stringify(threeTasks(), null, 2);

/** Applies ops to the text, checks it against the value-level result, returns the text and the changed span. */
function edit(text: string, ops: EditOp[]): { after: string; changed: string; removed: string } {
  const after = applyOpsToText(text, ops);
  assert.deepEqual(JSON.parse(after), applyOpsToValue(JSON.parse(text), ops), 'text and value edits agree');
  const r = minimalReplace(text, after);
  assert.equal(text.slice(0, r.start) + r.text + text.slice(r.end), after);
  return { after, changed: r.text, removed: text.slice(r.start, r.end) };
}

describe('document edits on the text', () => {
  it('changes a value in place: one token, nothing else moves', () => {
    const { changed, removed } = edit(digitsParityText, [{ op: 'set', path: ['model', 'layers', 1, 'units'], value: 96 }]);
    assert.equal(removed, '64');
    assert.equal(changed, '96');
  });

  it('adds a layer to a list of one-line layers as one more one-line layer', () => {
    const layer = { id: 'drop1', type: 'dropout', rate: 0.5, from: ['trunk2'] };
    const { after } = edit(digitsParityText, [{ op: 'set', path: ['model', 'layers', 4], value: layer }]);
    assert.match(after, /"from": \["trunk2"\] \},\n {6}\{ "id": "drop1", "type": "dropout", "rate": 0\.5, "from": \["trunk2"\] \}\n {4}\]/);
  });

  it('adds a layer to a JSON.stringify-style file in the same style and indentation', () => {
    const layer = { id: 'extra', type: 'dense', units: 4, from: ['flat'] };
    const { after } = edit(pretty, [{ op: 'insert', path: ['model', 'layers', 0], value: layer }]);
    assert.ok(after.includes('    "layers": [\n      {\n        "id": "extra",\n        "type": "dense",\n        "units": 4,\n        "from": ["flat"]\n      },\n      {\n        "id": "conv1"'));
    assert.equal(edit(pretty, [{ op: 'insert', path: ['model', 'layers', 0], value: layer }]).changed.split('\n').length, 7);
  });

  it('adds a member to a multi-line object on its own line, and to a one-line object inline', () => {
    const a = edit(digitsParityText, [{ op: 'set', path: ['training', 'clipNorm'], value: 1 }]).after;
    assert.match(a, /"weighting": \{ "method": "equal" \},\n {4}"clipNorm": 1\n {2}\}/);
    const b = edit(digitsParityText, [{ op: 'set', path: ['model', 'layers', 0, 'useBias'], value: false }]).after;
    assert.match(b, /"from": \["image"\], "useBias": false \}/);
  });

  it('creates a missing object (layout) with one entry per line', () => {
    const { after } = edit(digitsParityText, [{ op: 'set', path: ['layout'], value: { trunk1: { x: 10, y: 20 } } }]);
    assert.match(after, /"evaluation": \{ "baselines": "single-task" \},\n {2}"layout": \{\n {4}"trunk1": \{ "x": 10, "y": 20 \}\n {2}\}\n\}/);
    const more = edit(after, [{ op: 'set', path: ['layout', 'trunk2'], value: { x: 1, y: 2 } }]).after;
    assert.match(more, /"trunk1": \{ "x": 10, "y": 20 \},\n {4}"trunk2": \{ "x": 1, "y": 2 \}\n/);
  });

  it('lays a one-line list out again, one item per line, when it grows too long', () => {
    let text = digitsParityText;
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) text = edit(text, [{ op: 'insert', path: ['model', 'layers', 0, 'from', 0], value: `input_${id}` }]).after;
    assert.ok(text.split('\n').every((l) => l.length <= 120));
    assert.match(text, /\n {6}\{\n {8}"id": "trunk1",\n {8}"type": "dense",\n/);
    assert.match(text, /\n {8}"from": \["input_h", "input_g", [^\n]*"image"\]\n {6}\},\n {6}\{ "id": "trunk2"/);
  });

  it('removes first, middle, last and only members with their commas', () => {
    const ids = (t: string): string[] => (JSON.parse(t) as { model: { layers: Array<{ id: string }> } }).model.layers.map((l) => l.id);
    assert.deepEqual(ids(edit(digitsParityText, [{ op: 'remove', path: ['model', 'layers', 0] }]).after), ['trunk2', 'digitHead', 'parityHead']);
    assert.deepEqual(ids(edit(digitsParityText, [{ op: 'remove', path: ['model', 'layers', 2] }]).after), ['trunk1', 'trunk2', 'parityHead']);
    const last = edit(digitsParityText, [{ op: 'remove', path: ['model', 'layers', 3] }]).after;
    assert.deepEqual(ids(last), ['trunk1', 'trunk2', 'digitHead']);
    assert.match(last, /"from": \["trunk2"\] \}\n {4}\]/);
    const only = edit(digitsParityText, [{ op: 'remove', path: ['model', 'inputs', 0] }]).after;
    assert.match(only, /"inputs": \[\],/);
    assert.equal(edit(pretty, [{ op: 'remove', path: ['training', 'schedule'] }]).after.includes('sgdr'), false);
    assert.equal(applyOpsToText(digitsParityText, [{ op: 'remove', path: ['nothing'] }]), digitsParityText);
  });

  it('renames a key where it stands (model.outputs keeps its order)', () => {
    const { after, changed } = edit(digitsParityText, [{ op: 'renameKey', path: ['model', 'outputs', 'digit'], key: 'number' }]);
    assert.equal(changed.replace(/"/g, ''), 'number');
    assert.deepEqual(Object.keys((JSON.parse(after) as { model: { outputs: object } }).model.outputs), ['number', 'parity']);
  });

  it('keeps CRLF line endings and tab indentation', () => {
    const crlf = pretty.replace(/\n/g, '\r\n');
    const a = edit(crlf, [{ op: 'set', path: ['training', 'clipNorm'], value: 2 }, { op: 'insert', path: ['tasks', 0], value: { id: 't', kind: 'binary', target: 't' } }]).after;
    assert.equal(/[^\r]\n/.test(a), false, 'no bare \\n');
    const tabs = JSON.stringify(threeTasks(), null, '\t');
    const b = edit(tabs, [{ op: 'set', path: ['evaluation'], value: { baselines: 'none' } }]).after;
    assert.match(b, /\n\t"evaluation": \{ "baselines": "none" \}\n\}/);
  });

  it('applies several operations in order, each on the text the previous one left', () => {
    const ops: EditOp[] = [
      { op: 'set', path: ['model', 'layers', 4], value: { id: 'd', type: 'dropout', rate: 0.1, from: ['trunk2'] } },
      { op: 'set', path: ['model', 'layers', 2, 'from'], value: ['d'] },
      { op: 'remove', path: ['model', 'layers', 0] },
    ];
    const { after } = edit(digitsParityText, ops);
    assert.deepEqual((JSON.parse(after) as { model: { layers: Array<{ id: string }> } }).model.layers.map((l) => l.id), ['trunk2', 'digitHead', 'parityHead', 'd']);
  });

  it('refuses paths that do not fit the document, and text that is not JSON', () => {
    assert.throws(() => applyOpsToText(digitsParityText, [{ op: 'set', path: ['model', 'layers', 9], value: 1 }]), EditError);
    assert.throws(() => applyOpsToText(digitsParityText, [{ op: 'set', path: ['nope', 'x'], value: 1 }]), EditError);
    assert.throws(() => applyOpsToText(digitsParityText, [{ op: 'insert', path: ['model', 'outputs', 'x'], value: 1 }]), EditError);
    assert.throws(() => applyOpsToText('{"a": 1,}', [{ op: 'set', path: ['a'], value: 2 }]), JsonSyntaxError);
  });
});

describe('text edits agree with value edits', () => {
  it('on 300 random operations over two formatting styles', () => {
    let seed = 12345;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const values: unknown[] = [1, 'x', true, null, [], {}, [1, 2], { a: 1 }, { id: 'n', from: ['a', 'b'] }, { deep: { er: [{ x: 1 }] } }];
    for (const start of [digitsParityText, pretty, JSON.stringify(threeTasks())]) {
      let text = start;
      for (let i = 0; i < 100; i++) {
        // Walk to a random container, then pick a random operation on it.
        const doc = JSON.parse(text) as unknown;
        const path: (string | number)[] = [];
        let here: unknown = doc;
        while (typeof here === 'object' && here !== null && rand(3) > 0) {
          const keys = Array.isArray(here) ? here.map((_, j) => j) : Object.keys(here);
          if (keys.length === 0) break;
          const k = keys[rand(keys.length)]!;
          const next = (here as Record<string | number, unknown>)[k];
          if (typeof next !== 'object' || next === null) break;
          path.push(k);
          here = next;
        }
        if (typeof here !== 'object' || here === null) continue;
        const size = Array.isArray(here) ? here.length : Object.keys(here).length;
        const value = values[rand(values.length)];
        let op: EditOp;
        if (Array.isArray(here)) {
          const kind = rand(3);
          op = kind === 0 ? { op: 'insert', path: [...path, rand(size + 1)], value }
            : kind === 1 && size > 0 ? { op: 'remove', path: [...path, rand(size)] } : { op: 'set', path: [...path, size === 0 ? 0 : rand(size)], value };
        } else {
          const keys = Object.keys(here);
          const kind = rand(4);
          op = kind === 0 && keys.length ? { op: 'remove', path: [...path, keys[rand(keys.length)]!] }
            : kind === 1 && keys.length ? { op: 'renameKey', path: [...path, keys[rand(keys.length)]!], key: `k${i}` }
              : { op: 'set', path: [...path, kind === 2 && keys.length ? keys[rand(keys.length)]! : `new${i}`], value };
        }
        text = edit(text, [op]).after;
      }
    }
  });
});

describe('where the text stops being JSON', () => {
  const at = (text: string): { line: number; column: number; message: string } => {
    const s = snapshotOf(text, 1);
    assert.equal(s.ok, false);
    return s.ok ? { line: -1, column: -1, message: '' } : s.error;
  };

  it('a document nested 10,000 deep: where it passes 64 levels (it could not be posted to the designer)', () => {
    const text = `{\n  "name": "x",\n  "description": ${'['.repeat(10_000)}${']'.repeat(10_000)}\n}`;
    const e = at(text);
    assert.match(e.message, /deeper than 64 levels/);
    assert.equal(e.line, 2);
    assert.equal(e.column, '  "description": '.length + 63);
  });

  it('names the line, the column and what to do', () => {
    const broken = digitsParityText.replace('"units": 64,', '"units": 64,,');
    const e = at(broken);
    assert.equal(e.line, 15);
    assert.equal(broken.split('\n')[e.line]![e.column], ',');
    assert.match(at('{\n  "a": 1,\n}').message, /Trailing comma/);
    assert.match(at('{ "a": 1 "b": 2 }').message, /Expected "," or "}"/);
    assert.match(at('{ "a": "x\n" }').message, /Line breaks/);
    assert.match(at('').message, /empty/);
    assert.match(at("{ 'a': 1 }").message, /double quotes/);
    assert.match(at('{ "a": 1 } x').message, /after the end/);
  });

  it('says what JSON allows at the spot, for messages that name it (the training commands)', () => {
    assert.equal(jsonSyntaxError('{"a": 1}'), undefined);
    const comma = jsonSyntaxError('{"a": 1,}');
    assert.deepEqual([comma?.offset, comma?.expected], [8, 'a property name in double quotes']);
    assert.equal(jsonSyntaxError('{"a": [,]}')?.expected, 'a value');
    assert.equal(jsonSyntaxError('{"a": 1} x')?.expected, 'the end of the document');
    assert.equal(jsonSyntaxError('{"a" 1}')?.expected, "':'");
  });

  it('edits a document that starts with a byte-order mark, keeping the mark', () => {
    const after = applyOpsToText('\uFEFF{\n  "name": "a"\n}\n', [{ op: 'set', path: ['name'], value: 'b' }]);
    assert.equal(after, '\uFEFF{\n  "name": "b"\n}\n');
    // A syntax error is found where it is (an offset into the text as given), not at the mark.
    const text = '\uFEFF{"name": }';
    const snapshot = snapshotOf(text, 1);
    assert.ok(!snapshot.ok && text[snapshot.error.offset] === '}', JSON.stringify(snapshot));
  });

  it('accepts exactly what JSON.parse accepts on these samples', () => {
    for (const t of ['{}', '[]', '{"a":[1,-2.5e3,true,null,"\\u00e9\\n"]}', '\uFEFF{"a":1}', ' 0 ', '{"a":01}', '{"a":1.}', '{"a":-}', '[1,]', '{"a":"\\x"}']) {
      let expected = true;
      try { JSON.parse(t.replace(/^\uFEFF/, '')); } catch { expected = false; }
      let actual = true;
      try { parseTree(t); } catch { actual = false; }
      assert.equal(actual, expected, t);
    }
  });
});

describe('the one replacement between two texts', () => {
  it('is the differing middle, never splitting a CRLF pair', () => {
    assert.deepEqual(minimalReplace('abcdef', 'abXYef'), { start: 2, end: 4, text: 'XY' });
    assert.deepEqual(minimalReplace('same', 'same'), { start: 4, end: 4, text: '' });
    const r = minimalReplace('a\r\nb', 'a\r\r\nb');
    assert.ok(r.start <= 1 || r.start >= 3);
  });
});
