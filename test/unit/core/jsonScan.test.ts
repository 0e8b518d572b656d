import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jsonSyntaxError, parseTree, scanLenient, type JsonNode } from '../../../src/core/jsonScan';
import { MAX_NESTING } from '../../../src/core/nesting';
import { ROOT } from '../trainer/helpers';

const examplesDir = path.join(ROOT, 'examples');
const examples = fs.readdirSync(examplesDir).flatMap((d) => {
  const dir = path.join(examplesDir, d);
  return fs.statSync(dir).isDirectory() ? fs.readdirSync(dir).filter((f) => f.endsWith('.mtl.json')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
});
const slice = (t: string, n: JsonNode) => t.slice(n.start, n.end);

describe('the JSON scanner', () => {
  it('reads a valid document the same way in both modes', () => {
    assert.ok(examples.length > 0);
    for (const text of examples) assert.deepEqual(scanLenient(text), parseTree(text));
  });

  it('keeps every value\'s range, and each member\'s key with the range of its quoted name', () => {
    const text = '{ "a" : [1, "x\\"y"], "a": {"b": null} }';
    const root = parseTree(text);
    assert.deepEqual(root.members!.map((m) => [m.key, text.slice(m.keyStart, m.keyEnd), slice(text, m.value)]), [
      ['a', '"a"', '[1, "x\\"y"]'], ['a', '"a"', '{"b": null}'],
    ]);
    const array = root.members![0]!.value;
    assert.deepEqual(array.members!.map((m) => [m.key, m.keyStart === m.keyEnd && m.keyStart === m.value.start, slice(text, m.value)]), [
      [undefined, true, '1'], [undefined, true, '"x\\"y"'],
    ]);
  });

  it('lenient: reads comments and trailing commas, and keeps what a broken tail began', () => {
    const messy = '// c\n{"a": [1, /* 2 */ 3,], "b": {"c": tru';
    const root = scanLenient(messy)!;
    assert.equal(root.broken, true);
    assert.deepEqual(root.members![0]!.value.members!.map((m) => slice(messy, m.value)), ['1', '3']);
    const b = root.members![1]!.value;
    assert.equal(b.broken, true);
    assert.equal(slice(messy, b.members![0]!.value), 'tru', 'a half-typed word is a value');
    const missing = scanLenient('{"a": 1, "b": ')!.members![1]!;
    assert.deepEqual([missing.key, missing.value.end], ['b', '{"a": 1, "b": '.length], 'a member without its value runs to the end');
    assert.equal(scanLenient(' /* nothing */ '), undefined);
  });

  it('strict: refuses what JSON.parse refuses, saying where and what JSON allows there', () => {
    for (const [text, offset, expected] of [
      ['// c\n{}', 0, 'a value'], ['{"a": [1,]}', 9, 'a value'], ['{"a": 1,}', 8, 'a property name in double quotes'], ['\uFEFF', 0, 'a value'],
    ] as const) {
      const e = jsonSyntaxError(text);
      assert.deepEqual([e?.offset, e?.expected], [offset, expected], text);
    }
  });

  it('scans nesting of any depth without a stack overflow; strict refuses it at the bracket past the limit', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    let node = scanLenient(deep)!;
    for (let depth = 1; depth < 10_000; depth++) node = node.members![0]!.value;
    assert.equal(node.members!.length, 0);
    const e = jsonSyntaxError(deep);
    assert.deepEqual([e?.offset, e?.expected], [MAX_NESTING, 'less nesting']);
  });
});
