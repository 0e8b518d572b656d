// Evaluation's losses and predictions in the fused graph's session (graph/evalScores.ts): after
// steps that moved the weights, evaluate() given the session's scores makes the same metrics as
// on the eager forward and heads (softmax, sigmoid and regression heads; the squared error and
// Huber); a split with unlabelled rows is measured on the eager ops, as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { disposeSplit, toDevice } from '../../../src/trainer/deviceData';
import { evaluate } from '../../../src/trainer/evaluate';
import { compileGraphStep } from '../../../src/trainer/graph/graphStep';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { graphSpec } from './graphTraining';
import { equivalenceData } from './stepFixtures';

const huber = (s: ExperimentSpec): ExperimentSpec => ({ ...s, tasks: s.tasks.map((t) => (t.kind === 'regression' ? { ...t, loss: 'huber' as const } : t)) });

for (const [label, s] of [['squared error', graphSpec({})], ['Huber', huber(graphSpec({}))]] as const) {
  test(`the session's evaluation scores give the eager evaluation's metrics: ${label}`, { timeout: 60_000 }, async () => {
    const { tf } = await loadBackend('tensorflow');
    const heads = makeHeads(tf, s);
    const topo = analyzeGraph(s).order;
    const built = buildModel(tf, s, topo, 3);
    const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
    const train = toDevice(tf, s, heads, equivalenceData(64, { seed: 2 }));
    const step = compileGraphStep(tf, s, built, heads, topo);
    step.bind(train.x, train.targets);
    for (let b = 0; b < 6; b++) step.step(Int32Array.from({ length: 16 }, (_, i) => (b * 16 + i) % 64), 0.05, heads.map(() => 1));
    step.sync();
    assert.ok(step.evaluationForward && step.evaluationScores, 'the graph scores evaluation');
    // The predictions themselves (accuracy reads only their argmax): each head's predict on the eager forward.
    const split = toDevice(tf, s, heads, equivalenceData(40, { seed: 4 }));
    const scored = step.evaluationScores(split.x, heads.map((h) => split.targets.get(h.task.id)!));
    const outs = forward(split.x, false);
    heads.forEach((h, i) => {
      const eager = h.predict(outs.get(h.task.id)!).dataSync();
      assert.equal(scored.predictions[i]!.length, eager.length);
      // Relative above 1: a regression prediction can pass 1, and another CPU rounds float32 at its own size.
      const worst = Math.max(...Array.from(eager, (v, j) => Math.abs(v - scored.predictions[i]![j]!) / Math.max(1, Math.abs(v))));
      assert.ok(worst < 1e-5, `${h.task.id}: largest |session - eager| / max(1, |eager|) prediction ${worst}`);
    });
    tf.dispose([...outs.values()]);
    disposeSplit(split);
    for (const partial of [false, true]) {
      const split = toDevice(tf, s, heads, equivalenceData(40, { seed: 4, partial }));
      const [byGraph, byEager] = [evaluate(tf, step.evaluationForward, heads, split, Infinity, step.evaluationScores), evaluate(tf, forward, heads, split)];
      for (const h of heads) {
        const metrics = Object.entries(byEager[h.task.id]!);
        assert.ok(metrics.length >= 2, `${h.task.id}: ${metrics.length} metrics`);
        for (const [metric, v] of metrics) assert.ok(Math.abs(byGraph[h.task.id]![metric]! - v) < 1e-5 * Math.max(1, Math.abs(v)), `${partial ? 'partial labels: ' : ''}${h.task.id} ${metric}: ${byGraph[h.task.id]![metric]} vs ${v}`);
      }
      disposeSplit(split);
    }
    step.dispose();
    disposeSplit(train);
    built.model.dispose();
  });
}
