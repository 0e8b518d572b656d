// graphCache.ts hands a step the training graph it built last when the inputs are the same, and
// builds anew for anything else: a changed layer, other heads, other options (a set among them).
// A wrong hit would train another network than the spec says, so each miss is checked against
// a fresh build, byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import type { DenseLayer } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { trainGraphFor } from '../../../src/trainer/graph/graphCache';
import { buildTrainGraph } from '../../../src/trainer/graph/trainGraph';
import { makeHeads } from '../../../src/trainer/heads';
import { digitsParity } from '../../fixtures/digitsParity';

const bytes = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length);

test('the same network, heads and options get the graph built last; a changed one gets its own', async () => {
  const { tf } = await loadBackend('tensorflow');
  const spec = digitsParity();
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const first = trainGraphFor(spec, heads, topo, {});
  assert.equal(trainGraphFor(digitsParity(), heads, topo, {}), first, 'an equal spec (another object) is a hit');
  assert.deepEqual(bytes(first.savedModel), bytes(buildTrainGraph(spec, heads, topo, {}).savedModel));

  const wider = digitsParity();
  (wider.model.layers[1] as DenseLayer).units = 32;
  const changed = trainGraphFor(wider, heads, topo, {});
  assert.notEqual(changed, first);
  assert.deepEqual(bytes(changed.savedModel), bytes(buildTrainGraph(wider, heads, topo, {}).savedModel));
  assert.notDeepEqual(bytes(changed.savedModel), bytes(first.savedModel));

  const again = trainGraphFor(spec, heads, topo, {});
  assert.notEqual(trainGraphFor(spec, makeHeads(tf, spec), topo, {}), again, 'other heads objects build anew');
});

test('options holding a set are told apart by its members', async () => {
  const { tf } = await loadBackend('tensorflow');
  const spec = digitsParity();
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const plain = trainGraphFor(spec, heads, topo, { coded: new Set() });
  // A set written as JSON is {} whatever it holds: the key must hold its members.
  const coded = trainGraphFor(spec, heads, topo, { coded: new Set(['image']) });
  assert.notEqual(coded, plain);
  assert.deepEqual(bytes(coded.savedModel), bytes(buildTrainGraph(spec, heads, topo, { coded: new Set(['image']) }).savedModel));
  assert.equal(trainGraphFor(spec, heads, topo, { coded: new Set(['image']) }), coded);
});
