// The last training graph is written once for the same experiment (graph/trainGraphCache.ts),
// and written again when anything it is written from differs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { trainGraphFor } from '../../../src/trainer/graph/trainGraphCache';
import { makeHeads } from '../../../src/trainer/heads';
import { convSpec } from './convFixtures';

test('the training graph is reused for an equal experiment and written again for a changed one', async () => {
  const { tf } = await loadBackend('tensorflow');
  const graphOf = (s: ExperimentSpec, uncertainty = false) => trainGraphFor(s, makeHeads(tf, s), analyzeGraph(s).order, { uncertainty });
  const first = graphOf(convSpec({}));
  // An equal spec built again (another object) gets the same graph, not a new one.
  assert.equal(graphOf(convSpec({})), first);
  const changed: Array<[string, ExperimentSpec, boolean]> = [
    ['another optimizer', convSpec({ optimizer: { type: 'adam', learningRate: 0.01 } }), false],
    ['another layer', convSpec({}, (l) => l.map((x) => (x.id === 'c1' ? { ...x, filters: 5 } : x))), false],
    ['learned task weights', convSpec({}), true],
  ];
  for (const [what, s, uncertainty] of changed) {
    const g = graphOf(s, uncertainty);
    assert.notEqual(g, first, what);
    assert.notDeepEqual(g.savedModel, first.savedModel, what);
    // And the changed one is now the one kept.
    assert.equal(graphOf(s, uncertainty), g, what);
  }
});
