// Every bundled example trains on a compiled step on native TensorFlow (the eager compiled
// step, native/denseStep.ts, or the fused graph, graph/graphStep.ts, which only ever takes
// what the eager one takes): none falls back to the tape, with the task weighting each uses.
// Cheap (no training): examples.test.ts checks the run logs of brief trainings too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { validate } from '../../../src/core/validate';
import { loadBackend } from '../../../src/trainer/backend';
import { makeHeads } from '../../../src/trainer/heads';
import { nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { EXAMPLES, ROOT, exampleDoc } from './helpers';

test('the examples under test are every example folder', () => {
  const folders = fs.readdirSync(path.join(ROOT, 'examples')).filter((d) => fs.existsSync(path.join(ROOT, 'examples', d, `${d}.mtl.json`)));
  assert.deepEqual([...EXAMPLES].sort(), folders.sort());
});

for (const name of EXAMPLES) {
  test(`${name} trains on a compiled step on native TensorFlow`, async () => {
    const { tf } = await loadBackend('tensorflow');
    const { spec, problems } = validate(exampleDoc(name));
    assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
    // The method is part of the question: nativeStepUnsupported reads it from the spec.
    assert.equal(nativeStepUnsupported(spec!, makeHeads(tf, spec!)), undefined, `${name} (${spec!.training.weighting?.method ?? 'equal'} weighting)`);
  });
}
