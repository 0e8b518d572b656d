// The fuzz suite's rules catch what they are for: a green fuzz run means something only if
// each rule fails on the outcome it describes. Real files in a temp folder, real texts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fieldsToName, type FuzzCase } from '../../fuzz/generators';
import { materialize } from '../../fuzz/materialize';
import { judgeNamesField, judgeProcess, judgeRuns, type ProcessOutcome } from '../../fuzz/oracle';
import { isPending, type Pending } from '../../fuzz/pending';
import { tempDir } from '../../tempFolders';

const outcome = (o: Partial<ProcessOutcome>): ProcessOutcome => ({ status: 1, signal: null, timedOut: false, stdout: '', stderr: '', ...o });
const categories = (o: Partial<ProcessOutcome>) => judgeProcess(outcome(o), 'cli-validate', 'CANARY-1').map((f) => f.category).sort();

test('process rules: crash, hang, internal text, unlocated message and leaks are each caught; a located message passes', () => {
  const located = 'x.mtl.json:3:5: error: Layer "a" reads "b", which does not exist (model.layers.0.from.0)';
  assert.deepEqual(categories({ stderr: located }), []);
  assert.deepEqual(categories({ status: 0, stdout: 'valid (0 warning(s))' }), []);
  assert.deepEqual(categories({ stderr: '/dev/null:1:1: error: not valid JSON: The document is empty: it must be a JSON object.' }), []);
  assert.deepEqual(categories({ status: 139, stderr: located }), ['crash']);
  assert.deepEqual(categories({ status: null, signal: 'SIGSEGV', stderr: located }), ['crash']);
  assert.deepEqual(categories({ status: 1, stderr: `${located}\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory` }), ['crash', 'unlocated']);
  assert.deepEqual(categories({ status: null, signal: 'SIGKILL', timedOut: true }), ['hang']);
  assert.deepEqual(categories({ stderr: 'x.mtl.json:1:1: error: schema.required is not iterable' }), ['internal-error']);
  assert.deepEqual(categories({ stderr: `${located}\n    at validate (core/validate.ts:10:3)` }), ['internal-error']);
  assert.deepEqual(categories({ stderr: 'x.mtl.json:2:1: error: value undefined is too big' }), ['internal-error']);
  assert.deepEqual(categories({ stderr: 'mts: Maximum call stack size exceeded' }), ['internal-error', 'unlocated']);
  assert.deepEqual(categories({ stderr: 'error: training failed' }), ['unlocated']);
  assert.deepEqual(categories({ stderr: '' }), ['unlocated']);
  assert.deepEqual(categories({ stderr: `${located}\nPATH=/bin\0CANARY-1` }), ['leak']);
  assert.deepEqual(categories({ stderr: 'data.csv:1: error: bad row root:x:0:0:root:/root:/bin/bash' }), ['leak']);
  // A quoted value from the user's data is theirs, not ours; so are the cells of the row preview.
  assert.deepEqual(categories({ stderr: 'data.csv:7: error: column \'bmi\' holds "NaN"' }), []);
  const preview = 'first rows of 3:\n  age, bmi\n  86, NaN\nnote: data.csv: 3 rows';
  assert.deepEqual(categories({ status: 0, stdout: preview }), []);
  assert.deepEqual(categories({ status: 0, stdout: `${preview}\ntask stay: mean NaN` }), ['internal-error']);
  // Located, but at the wrong field: a loss infinite on the first step has no learning rate to blame.
  const atStep = (step: number) => `e.mtl.json:24:51: error: training.optimizer.learningRate: Training diverged: the loss of task "stay" became Infinity at epoch 1, step ${step}. Lower the learning rate, or clip gradients with training.clipNorm.`;
  assert.deepEqual(categories({ stderr: atStep(1) }), ['unlocated']);
  assert.deepEqual(categories({ stderr: atStep(12) }), []);
  assert.deepEqual(categories({ stderr: 'e.mtl.json:50:14: error: tasks[1].target: Training diverged: the loss of task "stay" was Infinity on the first step, before any update, so the learning rate is not the cause: look at the scale of the task\'s targets.' }), []);
});

function runFolder(files: Record<string, string>): string {
  const runs = tempDir('oracle');
  const dir = path.join(runs, 'exp', '20261130-000000-abcdef');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return runs;
}

test('run folder rules: a run left "running", a cut metrics line, a summary ahead of run.json, leftovers; a final run passes', () => {
  const line = JSON.stringify({ step: 1, epoch: 1, split: 'train', task: '*', metric: 'loss', value: 0.5 });
  const good = runFolder({ 'run.json': '{"status":"completed"}', 'metrics.jsonl': `${line}\n${line}\n`, 'summary.json': '{"status":"completed"}' });
  assert.deepEqual(judgeRuns(good, 0, false), []);
  const failed = runFolder({ 'run.json': '{"status":"failed","error":{"message":"data.csv:3: not a number"}}' });
  assert.deepEqual(judgeRuns(failed, 1, false), []);
  const bad = (files: Record<string, string>, exit: number | null) => judgeRuns(runFolder(files), exit, false).map((f) => f.message.replace(/^\S+: /, ''));
  assert.deepEqual(bad({ 'run.json': '{"status":"running"}' }, 1), ['run.json still "running" after the process ended']);
  assert.deepEqual(bad({ 'run.json': '{"status":"failed","error":{"message":"x"}}', 'metrics.jsonl': `${line}\n{"step":2,"ep` }, 1), ['metrics.jsonl line 2 does not parse']);
  assert.deepEqual(bad({ 'run.json': '{"status":"running"}', 'summary.json': '{"status":"completed"}' }, 1),
    ['run.json still "running" after the process ended', 'summary.json "completed" beside run.json "running"']);
  assert.deepEqual(bad({ 'run.json': '{"status":"failed","error":{"message":"x"}}', 'model.tmp-123/weights.bin': '' }, 1), ['temporary files left: model.tmp-123, model.tmp-123/weights.bin']);
  assert.deepEqual(bad({ 'run.json': '{"status":"failed"}' }, 0), ['run.json is "failed" with no error message', 'exit 0 but run.json is "failed"']);
  assert.deepEqual(bad({ 'run.json': '{"stat' }, 1), ['run.json unreadable: Unterminated string in JSON at position 6']);
  // Killed by the fuzz timeout: "running" is what a killed run leaves; a reader must tell (integrity), not this rule.
  assert.deepEqual(judgeRuns(runFolder({ 'run.json': '{"status":"running"}' }), null, true), []);
});

test('a pending entry matches its own finding only', () => {
  const f = { category: 'internal-error' as const, layer: 'validate', message: 'validate threw TypeError: schema.required is not iterable' };
  const pending: Pending[] = [{ tag: 'proto-type-names', area: 'validation', finding: 'an example', message: /schema\.required is not iterable/, caseTags: ['proto-string'] }];
  assert.equal(isPending(f, ['proto-string'], pending), true);
  assert.equal(isPending(f, ['csv-bom'], pending), false);
  assert.equal(isPending({ ...f, message: 'validate threw TypeError: x is not a function' }, ['proto-string'], pending), false);
  assert.equal(isPending(f, ['proto-string']), false, 'nothing is pending on main');
});

test('a case that only sets training.weighting must be refused naming training.weighting; a case touching more names nothing in particular', () => {
  const weighting = (method: number, param: number, value: string): FuzzCase['mutations'][number] => ({ tag: 'weighting', op: 'weighting', method, param, value: { raw: value } });
  const only: FuzzCase = { base: 'ple-regression', mutations: [weighting(9, 0, '1e999')], csv: [] };
  assert.deepEqual(fieldsToName(only), ['training.weighting']);
  assert.deepEqual(fieldsToName({ ...only, csv: [{ tag: 'csv-bom' }] }), []);
  assert.deepEqual(fieldsToName({ ...only, mutations: [...only.mutations, { tag: 'experiment-bom', op: 'bom' }] }), []);
  // The mutation writes the method and the parameter it picks: pcgrad (the 10th method) has none of its own, so "mode".
  const m = materialize(only, tempDir('oracle'));
  assert.ok(m.recipe.includes('set training.weighting = { "method": "pcgrad", "mode": 1e999 }'), m.recipe.join('\n'));
  const refusal = (line: string) => judgeNamesField(outcome({ stderr: line }), fieldsToName(only), 'cli-validate').map((f) => f.category);
  assert.deepEqual(refusal('e.mtl.json:119:15: error: "mode" must be one of "parameters", "representation", got Infinity. (training.weighting.mode)'), []);
  assert.deepEqual(refusal('e.mtl.json:3:1: error: the experiment cannot be trained. (model.layers)'), ['unlocated']);
  assert.deepEqual(judgeNamesField(outcome({ status: 0, stdout: 'valid' }), fieldsToName(only)), [], 'an accepted case names nothing');
});
