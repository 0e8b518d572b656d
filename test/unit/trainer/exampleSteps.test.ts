// Every bundled example trains on a compiled step on native TensorFlow (the eager compiled
// step, native/denseStep.ts, or the fused graph, graph/graphStep.ts, which only ever takes
// what the eager one takes): none falls back to the tape, with the task weighting each uses,
// nor any of its single-task baselines, nor any variant of a bundled study.
// Cheap (no training): examples.test.ts checks the run logs of brief trainings too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { singleTaskSpec } from '../../../src/core/baseline';
import type { ExperimentSpec } from '../../../src/core/spec';
import { checkStudy } from '../../../src/core/study/studySchema';
import { studyVariants } from '../../../src/core/study/variants';
import { validate } from '../../../src/core/validate';
import { loadBackend } from '../../../src/trainer/backend';
import { makeHeads } from '../../../src/trainer/heads';
import { nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { EXAMPLES, ROOT, exampleDoc } from './helpers';

test('the examples under test are every example folder', () => {
  const folders = fs.readdirSync(path.join(ROOT, 'examples')).filter((d) => fs.existsSync(path.join(ROOT, 'examples', d, `${d}.mtl.json`)));
  assert.deepEqual([...EXAMPLES].sort(), folders.sort());
});

/** Why `spec` would not train on a compiled step, or undefined. The method is part of the question: nativeStepUnsupported reads it from the spec. */
async function fallback(spec: ExperimentSpec): Promise<string | undefined> {
  const { tf } = await loadBackend('tensorflow');
  return nativeStepUnsupported(spec, makeHeads(tf, spec));
}

for (const name of EXAMPLES) {
  test(`${name} and its single-task baselines train on a compiled step on native TensorFlow`, async () => {
    const { spec, problems } = validate(exampleDoc(name));
    assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
    assert.equal(await fallback(spec!), undefined, `${name} (${spec!.training.weighting?.method ?? 'equal'} weighting)`);
    for (const t of spec!.tasks) assert.equal(await fallback(singleTaskSpec(spec!, t.id)), undefined, `${name}'s single-task ${t.id}`);
  });
}

const studies = fs.readdirSync(path.join(ROOT, 'examples')).flatMap((d) => fs.readdirSync(path.join(ROOT, 'examples', d))
  .filter((f) => f.endsWith('.mtl-study.json')).map((f) => path.join(ROOT, 'examples', d, f)));

test('there are bundled studies', () => assert.ok(studies.length > 0));

for (const file of studies) {
  test(`every variant of ${path.basename(file)} trains on a compiled step on native TensorFlow`, async () => {
    const study = checkStudy(JSON.parse(fs.readFileSync(file, 'utf8')));
    assert.ok(study.spec, JSON.stringify(study.problems));
    const experiment = validate(JSON.parse(fs.readFileSync(path.join(path.dirname(file), study.spec.experiment), 'utf8'))).spec!;
    const plan = studyVariants(experiment, study.spec);
    assert.deepEqual(plan.problems.filter((p) => p.severity === 'error'), []);
    const variants = plan.variants.filter((v) => v.spec);
    assert.ok(variants.length > 1);
    for (const v of variants) assert.equal(await fallback(v.spec!), undefined, `variant ${v.id}`);
  });
}
