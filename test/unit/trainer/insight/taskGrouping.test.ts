// "Try this grouping" end to end without VS Code: a real 3-task run keeps its shared units'
// reliance and its affinity in summary.json, the diagram's host data reads both, the grouped
// experiment is written beside the experiment (never over a file) and trains as written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { describeUnitUse } from '../../../../src/core/explain';
import { countParams } from '../../../../src/core/params';
import type { FromTrainer, RunSummary } from '../../../../src/core/protocol';
import { sanitizePathSegment } from '../../../../src/core/runLayout';
import type { ExperimentSpec } from '../../../../src/core/spec';
import { checkStudy } from '../../../../src/core/study/studySchema';
import { studyVariants } from '../../../../src/core/study/variants';
import { runData } from '../../../../src/host/diagram/diagramData';
import { writeGroupingFile } from '../../../../src/host/diagram/groupingFile';
import { runExperiment } from '../../../../src/trainer/run';
import { threeDigitTasks } from '../../core/fixtures';
import { onlyRun, tempDir } from '../helpers';

async function train(doc: ExperimentSpec, dir: string): Promise<{ runDir: string; summary: RunSummary }> {
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({ doc, workspaceDir: dir, runsDir: path.join(dir, 'runs'), backend: 'tensorflow', emit: (m) => messages.push(m), cancelled: () => false });
  assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error')));
  const runDir = onlyRun(path.join(dir, 'runs'), sanitizePathSegment(doc.name));
  return { runDir, summary: JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary };
}

test('a 3-task run keeps unit reliance and affinity; its best grouping is written as a new experiment that trains', { timeout: 240_000 }, async () => {
  const dir = tempDir('grouping');
  const spec = threeDigitTasks();
  const doc: ExperimentSpec = { ...spec, data: { ...spec.data, source: { type: 'mnist', limit: 600 } }, evaluation: { baselines: 'none', conflict: { every: 5 }, taskAffinity: { every: 5 } } };
  const experimentFile = path.join(dir, 'three.mtl.json');
  fs.writeFileSync(experimentFile, JSON.stringify(doc));
  const { runDir, summary } = await train(doc, dir);

  // Every run keeps its shared layers' reliance (no evaluation.explain asked): one value per unit and task.
  assert.deepEqual(summary.unitReliance?.map((r) => [r.layer, Object.keys(r.tasks), ...Object.values(r.tasks).map((v) => v.length)]),
    [['trunk1', ['digit', 'parity', 'big'], 32, 32, 32], ['trunk2', ['digit', 'parity', 'big'], 16, 16, 16]]);
  summary.unitReliance!.forEach((r) => Object.values(r.tasks).forEach((v) => assert.ok(v.every((x) => Number.isFinite(x) && x >= 0) && v.some((x) => x > 0))));
  assert.equal(summary.taskAffinity?.groupings.length, 1); // three tasks: two groups only
  const report = fs.readFileSync(path.join(runDir, 'report.md'), 'utf8');
  for (const r of summary.unitReliance!) assert.ok(report.includes(`- ${describeUnitUse(r)}`), `${r.layer}'s counts in the report`);
  assert.match(report, /"Try this grouping" in this run's shared-weight diagram/);

  // What the diagram panel is sent.
  const data = runData(runDir);
  assert.deepEqual(data.reliance, summary.unitReliance);
  assert.deepEqual(data.affinity, summary.taskAffinity);

  // "Try this grouping" with the proposed grouping, twice: two files, the first never overwritten.
  const groups = summary.taskAffinity!.groupings[0]!.groups;
  const first = writeGroupingFile(runDir, experimentFile, groups);
  const second = writeGroupingFile(runDir, experimentFile, groups);
  assert.ok('file' in first && 'file' in second);
  assert.equal(path.dirname(first.file), dir);
  assert.match(path.basename(first.file), /^three\.groups-.+\.mtl\.json$/);
  assert.equal(path.basename(second.file), path.basename(first.file).replace(/\.mtl\.json$/, '-2.mtl.json'));
  // Beside it, a study of the experiment file as designed against the grouping.
  assert.equal(first.study, path.join(dir, path.basename(first.file).replace(/\.mtl\.json$/, '.mtl-study.json')));
  const study = checkStudy(JSON.parse(fs.readFileSync(first.study, 'utf8')));
  assert.deepEqual(study.problems, []);
  assert.equal(study.spec!.experiment, './three.mtl.json');
  assert.deepEqual(studyVariants(doc, study.spec!).variants.map((v) => v.kind), ['single-task', 'as-designed', 'grouping']);
  const grouped = JSON.parse(fs.readFileSync(first.file, 'utf8')) as ExperimentSpec;
  const trunks = grouped.model.layers.filter((l) => l.id.startsWith('trunk1_')).map((l) => l.id).sort();
  assert.deepEqual(trunks, groups.map((g) => `trunk1_${g.join('_')}`).sort());

  // The written experiment trains as it is (real native TensorFlow), with two trunks' parameters,
  // measuring conflict and affinity though a task reaches none of the other group's shared layers.
  const g = await train(grouped, tempDir('grouped'));
  assert.equal(g.summary.parameters.total, countParams(grouped).total);
  assert.equal(g.summary.parameters.total, countParams(doc).total + 784 * 32 + 32 + 32 * 16 + 16);
  assert.ok(g.summary.conflict && g.summary.taskAffinity?.measurements);

  // A grouping that is not a partition of the tasks is refused with the reason, and nothing is written.
  const before = fs.readdirSync(dir).length;
  const refused = writeGroupingFile(runDir, experimentFile, [['digit'], ['parity']]);
  assert.ok('problem' in refused && /"big" is in no group/.test(refused.problem));
  assert.equal(fs.readdirSync(dir).length, before);
});
