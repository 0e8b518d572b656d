// The bench's parsing and arithmetic (never its times): the ratio lines a reader greps for,
// the Python scripts' output, and the fixed + per-sample fit of a step's time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastest, parsePythonLines, ratioLine, stepCost, type Figure } from '../../../bench/speedReport';

function figure(batch: number, steps: number, seconds: number, samples = steps * batch): Figure {
  return { framework: 'ours', label: 'x', workload: 'dense', batch, epochs: 1, steps, samples, seconds, samplesPerSecond: samples / seconds };
}

test('ratio lines read ours / theirs in samples per second, n/a when a side is missing', () => {
  assert.equal(ratioLine('vs_pytorch', 32, figure(32, 10, 1), figure(32, 10, 2)), 'ratio_vs_pytorch batch=32 2.00');
  assert.equal(ratioLine('vs_keras', 256, figure(256, 10, 3), figure(256, 10, 1)), 'ratio_vs_keras batch=256 0.33');
  assert.equal(ratioLine('vs_pytorch', 256, figure(256, 10, 1), undefined), 'ratio_vs_pytorch batch=256 n/a');
});

test('fastest picks the higher samples per second and skips missing runs', () => {
  const slow = figure(32, 10, 2);
  const quick = figure(32, 10, 1);
  assert.equal(fastest([slow, undefined, quick]), quick);
  assert.equal(fastest([undefined]), undefined);
});

test('the Python scripts\' JSON lines are read, other lines skipped', () => {
  const out = 'some notice\n{"batch": 32, "seconds": 1.5, "samples_per_second": 40000.0, "cpu_seconds": 1.2, "threads": 1}\n\n{"unrelated": 1}\n';
  assert.deepEqual(parsePythonLines(out), [{ batch: 32, seconds: 1.5, samples_per_second: 40000, cpu_seconds: 1.2, threads: 1 }]);
});

test('a step is fitted as fixed + per-sample x batch through two batch sizes', () => {
  // Worked by hand: 100 steps of 32 in 0.5 s -> 5 ms/step; 10 steps of 256 in 0.166 s -> 16.6 ms/step.
  // per sample (16.6 - 5) / (256 - 32) = 0.0517857... ms = 51.7857 µs; fixed 5 - 32 x 0.0517857 = 3.342857 ms.
  const c = stepCost(figure(32, 100, 0.5), figure(256, 10, 0.166));
  assert.ok(Math.abs(c.msPerStep[0] - 5) < 1e-9 && Math.abs(c.msPerStep[1] - 16.6) < 1e-9);
  assert.ok(Math.abs(c.perSampleUs - 51.785714) < 1e-5, String(c.perSampleUs));
  assert.ok(Math.abs(c.fixedMs - 3.342857) < 1e-5, String(c.fixedMs));
});

test('a last short batch counts as it ran: the mean batch, not the nominal one', () => {
  // 1,000 samples in steps of 256: 4 steps, mean batch 250. 1 ms + 10 µs/sample -> 3.5 ms/step, 14 ms in all.
  // 3,200 samples in steps of 32: 100 steps of 1.32 ms -> 132 ms.
  const c = stepCost(figure(32, 100, 0.132, 3200), figure(256, 4, 0.014, 1000));
  assert.ok(Math.abs(c.fixedMs - 1) < 1e-9, String(c.fixedMs));
  assert.ok(Math.abs(c.perSampleUs - 10) < 1e-6, String(c.perSampleUs));
});

test('the fit on CPU time uses each run\'s CPU seconds', () => {
  // Same steps as above, CPU 0.4 s (4 ms/step) and 0.15 s (15 ms/step): 11 / 224 ms per sample.
  const small = { ...figure(32, 100, 0.5), cpuSeconds: 0.4 };
  const large = { ...figure(256, 10, 0.166), cpuSeconds: 0.15 };
  const c = stepCost(small, large, 'cpu');
  assert.ok(Math.abs(c.perSampleUs - (11 / 224) * 1000) < 1e-6, String(c.perSampleUs));
  assert.ok(Math.abs(c.fixedMs - (4 - 32 * (11 / 224))) < 1e-9, String(c.fixedMs));
});
