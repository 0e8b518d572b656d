// Train metrics counted during the steps (evaluation.trainMetrics "running", the default) against
// the epoch-end evaluation ("epochEnd") on native TensorFlow: the fused graph's session sums,
// the eager compiled step's and the tape's outputs read back, and a masked-label case.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricPoint } from '../../../src/core/protocol';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { makeHeads } from '../../../src/trainer/heads';
import { RunningTrainMetrics } from '../../../src/trainer/trainMetrics';
import { GRAPH_STEP_PATH } from '../../../src/trainer/graph/graphStep';
import { graphSpec, trainWith } from './graphTraining';
import { equivalenceData } from './stepFixtures';
import { trainMetricsNote } from '../../../src/trainer/artifacts/report';
import { renderGeneralisationSection } from '../../../src/trainer/artifacts/generalisationSection';

const TOL = 1e-5;

/** The last epoch's train metrics (not the loss) as `task metric` -> value. */
const trainMetrics = (points: MetricPoint[]): Map<string, number> => {
  const last = Math.max(...points.map((p) => p.epoch ?? 0));
  return new Map(points.filter((p) => p.split === 'train' && p.epoch === last && p.metric !== 'epochLoss' && p.metric !== 'loss').map((p) => [`${p.task} ${p.metric}`, p.value]));
};

const withMode = (s: ExperimentSpec, mode: 'running' | 'epochEnd'): ExperimentSpec => ({ ...s, evaluation: { ...s.evaluation, trainMetrics: mode } });

const assertClose = (a: Map<string, number>, b: Map<string, number>, what: string) => {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), `${what}: the same metrics`);
  for (const [k, v] of a) assert.ok(Math.abs(v - b.get(k)!) <= TOL, `${what}: ${k} ${v} vs ${b.get(k)}`);
};

test('running train metrics with a learning rate of 0 equal the epoch-end evaluation of every training row, on the fused graph, the eager step and the tape', { timeout: 120_000 }, async () => {
  // No update: each step's predictions are the final model's, so counting them as the steps run
  // must give what evaluating all 100 rows (under TRAIN_EVAL_LIMIT) at the end gives.
  const s = graphSpec({ optimizer: { type: 'sgd', learningRate: 0 }, epochs: 1 });
  const reference = trainMetrics((await trainWith(withMode(s, 'epochEnd'), 'tensorflow')).epochPoints);
  assert.deepEqual([...reference.keys()].sort(), ['bin accuracy', 'bin rocAuc', 'cls accuracy', 'cls macroF1', 'reg mae', 'reg r2', 'reg rmse']);
  const fused = await trainWith(withMode(s, 'running'), 'tensorflow');
  assert.ok(fused.path.startsWith(GRAPH_STEP_PATH), fused.path);
  assertClose(trainMetrics(fused.epochPoints), reference, 'fused graph');
  assertClose(trainMetrics((await trainWith(withMode(s, 'running'), 'tensorflow', { fusedGraph: false })).epochPoints), reference, 'eager compiled step');
  assertClose(trainMetrics((await trainWith(withMode(s, 'running'), 'cpu')).epochPoints), reference, 'tape');
});

test('running train metrics of a gradient method (two session runs a step) on the fused graph, with a learning rate of 0, equal the epoch-end evaluation', { timeout: 120_000 }, async () => {
  const s = graphSpec({ optimizer: { type: 'sgd', learningRate: 0 }, epochs: 1, weighting: { method: 'upgrad' } });
  const fused = await trainWith(withMode(s, 'running'), 'tensorflow');
  assert.ok(fused.path.startsWith(GRAPH_STEP_PATH), fused.path);
  assertClose(trainMetrics(fused.epochPoints), trainMetrics((await trainWith(withMode(s, 'epochEnd'), 'tensorflow')).epochPoints), 'upgrad on the fused graph');
});

test('running train metrics: the fused graph equals the eager step over two epochs of training', { timeout: 120_000 }, async () => {
  const s = withMode(graphSpec({ epochs: 2 }), 'running');
  const fused = await trainWith(s, 'tensorflow');
  const eager = await trainWith(s, 'tensorflow', { fusedGraph: false });
  assert.ok(fused.path.startsWith(GRAPH_STEP_PATH) && !eager.path.startsWith(GRAPH_STEP_PATH), `${fused.path} / ${eager.path}`);
  assertClose(trainMetrics(fused.epochPoints), trainMetrics(eager.epochPoints), 'fused vs eager');
  // Counted as the steps saw the rows (before their updates), not the epoch's final model: with
  // a learning rate the two differ.
  const atEnd = trainMetrics((await trainWith(withMode(s, 'epochEnd'), 'tensorflow')).epochPoints);
  assert.ok([...atEnd].some(([k, v]) => Math.abs(v - trainMetrics(fused.epochPoints).get(k)!) > 1e-4), 'running differs from the epoch-end evaluation');
});

test('running train metrics leave unlabelled rows out, as the evaluation does', { timeout: 120_000 }, async () => {
  const s = graphSpec({ optimizer: { type: 'sgd', learningRate: 0 }, epochs: 1 });
  const data = (n: number, seed: number) => equivalenceData(n, { seed, partial: true });
  const reference = trainMetrics((await trainWith(withMode(s, 'epochEnd'), 'tensorflow', { data })).epochPoints);
  assert.ok(reference.has('reg r2'), 'the regression task has labelled rows');
  // Partial labels keep the fused graph out: the eager compiled step and the tape count.
  const eager = await trainWith(withMode(s, 'running'), 'tensorflow', { data });
  assert.equal(eager.path, 'native');
  assertClose(trainMetrics(eager.epochPoints), reference, 'masked, eager step');
  assertClose(trainMetrics((await trainWith(withMode(s, 'running'), 'cpu', { data })).epochPoints), reference, 'masked, tape');
});

test('RunningTrainMetrics counts each step\'s outputs against its rows\' targets: two hand-worked steps', async () => {
  const { tf } = await loadBackend('tensorflow');
  const spec = graphSpec({});
  const heads = makeHeads(tf, spec).filter((h) => h.task.id === 'bin' || h.task.id === 'reg');
  // Rows 0..5; row 4's binary label and row 1's value are missing.
  const targets = new Map([['bin', Float32Array.from([1, 0, 1, 0, NaN, 1])], ['reg', Float32Array.from([1, NaN, 3, 0, 2, 4])]]);
  const running = new RunningTrainMetrics(tf, heads, targets);
  // The binary head's output is its logit (sigmoid in the loss): logits for p = 0.9, 0.6, 0.2 then 0.7, 0.5, 0.4.
  const logit = (p: number) => Math.log(p / (1 - p));
  const step = (rows: number[], ps: number[], values: number[]) => tf.tidy(() => running.sink(Int32Array.from(rows))(new Map([
    ['bin', tf.tensor2d(ps.map(logit), [ps.length, 1])], ['reg', tf.tensor2d(values, [values.length, 1])]])));
  step([2, 0, 3], [0.9, 0.6, 0.2], [2, 1, 1]);
  step([5, 1, 4], [0.7, 0.5, 0.4], [5, 9, 2]);
  const v = running.take();
  // bin rows (label, p): (1, .9) (1, .6) (0, .2) (1, .7) (0, .5); row 4 unlabelled.
  // Classes at >= 0.5: 1 1 0 1 1 -> 4 of 5 right. AUC: positives .9 .6 .7 over negatives .2 .5: 6 of 6 pairs.
  assert.ok(Math.abs(v.bin!.accuracy! - 0.8) < TOL, String(v.bin!.accuracy));
  assert.ok(Math.abs(v.bin!.rocAuc! - 1) < TOL, String(v.bin!.rocAuc));
  // reg rows (truth, prediction): (3, 2) (1, 1) (0, 1) (4, 5) (2, 2); row 1 unlabelled.
  // errors -1 0 1 1 0: mae 3/5, rmse sqrt(3/5); truths mean 2, squared deviations 1+1+4+4+0 = 10: r2 = 1 - 3/10.
  assert.ok(Math.abs(v.reg!.mae! - 0.6) < TOL);
  assert.ok(Math.abs(v.reg!.rmse! - Math.sqrt(0.6)) < TOL);
  assert.ok(Math.abs(v.reg!.r2! - 0.7) < TOL, String(v.reg!.r2));
  // The count starts again after a take.
  step([0], [0.1], [3]);
  const again = running.take();
  assert.equal(again.bin!.accuracy, 0);
  assert.ok(Math.abs(again.reg!.mae! - 2) < TOL);
  running.dispose();
});

test('the report says how the train metrics were measured, under the results table and in the generalisation section', () => {
  const running = withMode(graphSpec({}), 'running'), atEnd = withMode(graphSpec({}), 'epochEnd');
  assert.match(trainMetricsNote(running), /running over each epoch.*"running"/);
  assert.match(trainMetricsNote(atEnd), /first 2,000 training rows.*"epochEnd"/);
  const points: MetricPoint[] = (['train', 'validation'] as const).flatMap((split) => [1, 2].map((epoch) => ({ step: epoch * 7, epoch, split, task: 'cls', metric: 'accuracy', value: split === 'train' ? 0.8 : 0.7 })));
  const intro = (flag: boolean) => renderGeneralisationSection(running.tasks.slice(0, 1), () => 'accuracy', points, undefined, 0, flag).lines.join('\n');
  assert.match(intro(true), /lag/);
  assert.match(intro(false), /both measured the same way/);
});
