// A study with crossValidation trains every variant on every fold and seed for real (native
// TensorFlow, generated data), one run folder each, pairs Δm per seed and fold, gives the
// corrected resampled t interval, and on resume trains only the folds that did not finish.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { computeDeltaM } from '../../../src/core/deltaM';
import type { FromTrainer, RunSummary } from '../../../src/core/protocol';
import type { ExperimentSpec } from '../../../src/core/spec';
import { correctedSummarize } from '../../../src/core/stats/correctedResampledT';
import type { StudyResult } from '../../../src/core/study/studyTypes';
import { runStudy } from '../../../src/trainer/study/runStudy';
import { readJson, tempDir } from '../trainer/helpers';
import { tinyExperiment } from './fixtures';

const STUDY = { name: 'tiny-cv', experiment: 'tiny.mtl.json', repeats: 2, crossValidation: { folds: 2 }, variants: { branchDepths: [1] } };
const RUNS = ['as-designed-r0-f0', 'as-designed-r0-f1', 'as-designed-r1-f0', 'as-designed-r1-f1', 'branch-1-r0-f0', 'branch-1-r0-f1', 'branch-1-r1-f0', 'branch-1-r1-f1'];

function request(runsDir: string, messages: FromTrainer[], resumeDir?: string) {
  return {
    doc: STUDY, studyPath: path.join(runsDir, 'tiny.mtl-study.json'), experimentDoc: tinyExperiment(300, 1), experimentPath: 'tiny.mtl.json',
    workspaceDir: runsDir, runsDir, backend: 'tensorflow' as const, ...(resumeDir ? { resumeDir } : {}),
    emit: (m: FromTrainer) => { messages.push(m); }, cancelled: () => false,
  };
}
const trainedRuns = (messages: FromTrainer[]) => messages.flatMap((m) => (m.type === 'started' && m.phase.kind === 'shared' ? [path.basename(m.runDir)] : []));

test('a cross-validated study trains each variant on each fold and seed, pairs Δm by both, and resumes only the unfinished folds', { timeout: 120_000 }, async () => {
  const runsDir = tempDir('study-cv');
  const messages: FromTrainer[] = [];
  assert.equal(await runStudy(request(runsDir, messages)), 'completed');
  const studyDir = (messages.find((m) => m.type === 'studyProgress') as Extract<FromTrainer, { type: 'studyProgress' }>).studyDir;
  // Folds outermost, the seeds of a fold, then the variants.
  assert.deepEqual(trainedRuns(messages), ['as-designed-r0-f0', 'branch-1-r0-f0', 'as-designed-r1-f0', 'branch-1-r1-f0', 'as-designed-r0-f1', 'branch-1-r0-f1', 'as-designed-r1-f1', 'branch-1-r1-f1']);
  assert.deepEqual(fs.readdirSync(studyDir).filter((d) => /-r\d/.test(d)).sort(), RUNS);

  // Each run folder says which fold and seed it holds; a fold's rows are the same for every variant.
  const summary = (run: string) => readJson(path.join(studyDir, run, 'summary.json')) as unknown as RunSummary;
  const experiment = (run: string) => readJson(path.join(studyDir, run, 'experiment.json')) as unknown as ExperimentSpec;
  assert.deepEqual(experiment('branch-1-r1-f0').evaluation?.crossValidation, { folds: 2, test: 'fixed', fold: 1 });
  assert.equal(experiment('branch-1-r1-f0').training.seed, 6);
  assert.equal(summary('branch-1-r1-f0').repeated, undefined, 'one fold per run: the study does the repeating');
  assert.deepEqual(summary('branch-1-r0-f1').labelled?.rows, summary('as-designed-r1-f1').labelled?.rows);
  assert.equal(summary('as-designed-r0-f0').labelled?.rows.test, summary('as-designed-r0-f1').labelled?.rows.test, 'the test split is fixed');
  assert.notDeepEqual(summary('as-designed-r0-f0').test, summary('as-designed-r0-f1').test, 'the folds train on different rows');

  const result = readJson(path.join(studyDir, 'study.json')) as unknown as StudyResult;
  assert.equal(result.status, 'completed');
  assert.deepEqual(result.variants.map((v) => [v.variant.id, v.runs.map((r) => `${r.runDir}:${r.status}`)]), [
    ['single-task', ['as-designed-r0-f0', 'as-designed-r1-f0', 'as-designed-r0-f1', 'as-designed-r1-f1'].map((r) => `${r}:completed`)],
    ['as-designed', ['as-designed-r0-f0', 'as-designed-r1-f0', 'as-designed-r0-f1', 'as-designed-r1-f1'].map((r) => `${r}:completed`)],
    ['branch-1', ['branch-1-r0-f0', 'branch-1-r1-f0', 'branch-1-r0-f1', 'branch-1-r1-f1'].map((r) => `${r}:completed`)],
  ]);
  // Paired with the single-task models of the same seed and fold, not of another fold.
  const branch = result.variants[2]!;
  const own = computeDeltaM(summary('branch-1-r1-f1').test, summary('as-designed-r1-f1').baselines!.test, (_t, m) => m !== 'loss').deltaM;
  const otherFold = computeDeltaM(summary('branch-1-r1-f1').test, summary('as-designed-r1-f0').baselines!.test, (_t, m) => m !== 'loss').deltaM;
  assert.equal(branch.runs[3]!.deltaM, own);
  assert.notEqual(own, otherFold);
  // The interval over the 4 paired units is the corrected resampled t with the runs' own n_test/n_train.
  const rows = summary('branch-1-r0-f0').labelled!.rows;
  const ratios = branch.runs.map((r) => r.rows!.test / r.rows!.train);
  assert.equal(ratios[0], rows.test / rows.train);
  const expected = correctedSummarize(branch.runs.map((r) => r.deltaM!), ratios.reduce((a, b) => a + b, 0) / ratios.length);
  assert.deepEqual({ ...branch.deltaM, verdict: undefined }, { ...expected, verdict: undefined });
  assert.equal(branch.deltaM?.n, 4);
  assert.match(result.method, /corrected resampled t interval \(Nadeau and Bengio 2003\), 2 folds × 2 seeds/);
  const report = fs.readFileSync(path.join(studyDir, 'study-report.md'), 'utf8');
  assert.match(report, /2-fold cross-validation/);
  assert.match(report, /comparisons use the 95 % corrected resampled t interval \(Nadeau and Bengio 2003\), 2 folds × 2 seeds/);

  // A crash lost fold 2 of seed 0 of branch-1 (and left the as-designed run of fold 2, seed 1 half done): resuming trains those two only.
  fs.rmSync(path.join(studyDir, 'branch-1-r0-f1'), { recursive: true });
  const half = path.join(studyDir, 'as-designed-r1-f1', 'run.json');
  fs.writeFileSync(half, JSON.stringify({ ...readJson(half), status: 'failed' }));
  const resumed: FromTrainer[] = [];
  assert.equal(await runStudy(request(runsDir, resumed, studyDir)), 'completed');
  assert.deepEqual(trainedRuns(resumed), ['branch-1-r0-f1', 'as-designed-r1-f1']);
  assert.ok(resumed.some((m) => m.type === 'log' && m.message.includes('6 of 8 runs completed and kept, 2 to train')));
});
