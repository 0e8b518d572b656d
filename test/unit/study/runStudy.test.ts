// The study runner trains every variant on every seed for real (native TensorFlow, generated
// data), writes study.json with paired Δm, HParams files TensorBoard reads, and stops on cancel.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { computeDeltaM } from '../../../src/core/deltaM';
import type { FromTrainer, RunSummary } from '../../../src/core/protocol';
import type { StudyResult } from '../../../src/core/study/studyTypes';
import { processStart } from '../../../src/node/processIdentity';
import { runStudy } from '../../../src/trainer/study/runStudy';
import { requirePython, runPython } from '../artifacts/python';
import { readJson, tempDir } from '../trainer/helpers';
import { tinyExperiment, tinyStudy } from './fixtures';

function request(runsDir: string, extra: Partial<Parameters<typeof runStudy>[0]> = {}) {
  const messages: FromTrainer[] = [];
  return {
    messages,
    req: {
      doc: tinyStudy(), studyPath: 'tiny.mtl-study.json', experimentDoc: tinyExperiment(), experimentPath: 'tiny.mtl.json',
      workspaceDir: runsDir, runsDir, backend: 'tensorflow' as const,
      emit: (m: FromTrainer) => { messages.push(m); }, cancelled: () => false, ...extra,
    },
  };
}

const studyDirOf = (messages: FromTrainer[]) => messages.find((m) => m.type === 'studyProgress')!.type === 'studyProgress'
  ? (messages.find((m) => m.type === 'studyProgress') as Extract<FromTrainer, { type: 'studyProgress' }>).studyDir : '';
const summaryOf = (dir: string) => readJson(path.join(dir, 'summary.json')) as unknown as RunSummary;

// TensorBoard's own multiplexer and HParams metadata parsers read the study folder.
const READ_HPARAMS = `
import json, sys
from tensorboard.backend.event_processing import plugin_event_multiplexer as pem
from tensorboard.plugins.hparams import metadata
from tensorboard.util import tensor_util
from google.protobuf import json_format
mux = pem.EventMultiplexer()
mux.AddRunsFromDirectory(sys.argv[1])
mux.Reload()
out = {"experiment": None, "sessions": {}}
for run, tags in mux.PluginRunToTagToContent("hparams").items():
    for tag, content in tags.items():
        if tag == metadata.EXPERIMENT_TAG:
            out["experiment"] = json_format.MessageToDict(metadata.parse_experiment_plugin_data(content))
        elif tag == metadata.SESSION_START_INFO_TAG:
            s = metadata.parse_session_start_info_plugin_data(content)
            acc = mux.GetAccumulator(run)
            out["sessions"].setdefault(run, {}).update({"group": s.group_name, "hparams": {k: json_format.MessageToDict(v) for k, v in s.hparams.items()},
              "metrics": {t: float(tensor_util.make_ndarray(acc.Tensors(t)[-1].tensor_proto)) for t in acc.Tags()["tensors"] if not t.startswith("_hparams_")}})
        elif tag == metadata.SESSION_END_INFO_TAG:
            out["sessions"].setdefault(run, {})["status"] = metadata.parse_session_end_info_plugin_data(content).status
print(json.dumps(out))
`;

describe('study runner', () => {
  it('trains each variant on each seed into the study folder, with Δm paired by seed and study.json after every run', { timeout: 60_000 }, async (t) => {
    const runsDir = tempDir('study');
    // Absolute paths, as the extension host sends them.
    const { req, messages } = request(runsDir, { studyPath: path.join(runsDir, 'tiny.mtl-study.json'), experimentPath: path.join(runsDir, 'tiny.mtl.json') });
    assert.equal(await runStudy(req), 'completed');
    const studyDir = studyDirOf(messages);
    assert.equal(path.dirname(studyDir), path.join(runsDir, 'tiny-study'));
    assert.match(path.basename(studyDir), /^study-\d{8}-\d{6}-[0-9a-f]{6}$/);
    assert.deepEqual(fs.readdirSync(studyDir).sort(), ['as-designed-r0', 'as-designed-r1', 'branch-1-r0', 'branch-1-r1', 'charts', 'hparams', 'study-report.md', 'study.json', 'study.mtl-study.json', 'weighting-dwa-r0', 'weighting-dwa-r1']);

    const result = readJson(path.join(studyDir, 'study.json')) as unknown as StudyResult;
    assert.equal(result.status, 'completed');
    // The experiment as the study file names it (relative to it), not this machine's absolute path:
    // the study view and study-report.md show it, and the folder stays readable when moved.
    assert.equal(result.experiment, 'tiny.mtl.json');
    // The study file relative to the study folder: the resume offer still finds it when the workspace moves.
    assert.equal(result.studyFile, '../../tiny.mtl-study.json');
    assert.match(fs.readFileSync(path.join(studyDir, 'study-report.md'), 'utf8'), /^# Study: tiny\n[\s\S]*Single-task models/, 'the study report is written with the study');
    assert.deepEqual(result.variants.map((v) => v.variant.id), ['single-task', 'as-designed', 'branch-1', 'weighting-dwa']);
    for (const v of result.variants) assert.deepEqual(v.runs.map((r) => [r.repeat, r.seed, r.status]), [[0, 5, 'completed'], [1, 6, 'completed']]);
    const asDesigned = [0, 1].map((r) => summaryOf(path.join(studyDir, `as-designed-r${r}`)));
    const branch1 = summaryOf(path.join(studyDir, 'branch-1-r1'));
    assert.equal(branch1.baselines, undefined, 'only the as-designed runs train the single-task models');
    assert.equal((readJson(path.join(studyDir, 'branch-1-r1', 'experiment.json')) as { training: { seed: number } }).training.seed, 6);
    // The single-task variant is the as-designed runs' baselines; Δm pairs a run with its own seed's.
    assert.deepEqual(result.variants[0]!.runs[1]!.test, asDesigned[1]!.baselines!.test);
    const paired = computeDeltaM(branch1.test, asDesigned[1]!.baselines!.test, (_t, m) => m !== 'loss').deltaM;
    const otherSeed = computeDeltaM(branch1.test, asDesigned[0]!.baselines!.test, (_t, m) => m !== 'loss').deltaM;
    assert.equal(result.variants[2]!.runs[1]!.deltaM, paired);
    assert.notEqual(paired, otherSeed);
    assert.equal(result.variants[1]!.runs[0]!.deltaM, asDesigned[0]!.baselines!.deltaM, 'as designed: the run\'s own Δm');
    assert.equal(result.variants[2]!.deltaM?.n, 2);
    assert.ok(['helped', 'hurt', 'no-difference'].includes(result.variants[2]!.deltaM!.verdict));

    // Progress after each run starts and ends (and once at the start); the data loaded once.
    const progress = messages.filter((m) => m.type === 'studyProgress');
    assert.equal(progress.length, 1 + 2 * 6 + 1);
    const reused = messages.filter((m) => m.type === 'log' && m.message.startsWith('data: as loaded for the previous run'));
    assert.equal(reused.length, 5, 'six runs, one load');

    const python = requirePython(t, 'tensorboard.plugins.hparams.metadata');
    if (!python) return;
    const hp = JSON.parse(runPython(python, READ_HPARAMS, [studyDir])) as {
      experiment: { hparamInfos: { name: string; domainDiscrete?: string[] }[]; metricInfos: { name: { tag: string } }[] };
      sessions: Record<string, { group: string; hparams: Record<string, unknown>; metrics: Record<string, number>; status: number }>;
    };
    assert.deepEqual(hp.experiment.hparamInfos.find((h) => h.name === 'variant')?.domainDiscrete, ['single-task', 'as-designed', 'branch-1', 'weighting-dwa']);
    assert.ok(hp.experiment.metricInfos.some((m) => m.name.tag === 'delta_m'));
    assert.deepEqual(Object.keys(hp.sessions).sort(), ['as-designed-r0', 'as-designed-r1', 'branch-1-r0', 'branch-1-r1', 'single-task-r0', 'single-task-r1', 'weighting-dwa-r0', 'weighting-dwa-r1'].map((s) => `hparams/${s}`));
    const s = hp.sessions['hparams/branch-1-r1']!;
    assert.equal(s.group, 'branch-1');
    assert.deepEqual(s.hparams, { variant: 'branch-1', kind: 'branch', weighting: 'equal', seed: 6, repeat: 1 });
    assert.equal(s.status, 1, 'STATUS_SUCCESS');
    // TensorBoard keeps a float32 (2^-24 relative): 1e-6 relative above 1, as Δm in % or an MAE can pass 1.
    assert.ok(Math.abs(s.metrics.delta_m! - paired) < 1e-6 * Math.max(1, Math.abs(paired)));
    assert.ok(Math.abs(s.metrics['test/task1/mae']! - branch1.test.task1!.mae!) < 1e-6 * Math.max(1, Math.abs(branch1.test.task1!.mae!)));
  });

  it('cancel stops the run in progress (it reads cancelled) and the study; nothing after it starts', { timeout: 60_000 }, async () => {
    const runsDir = tempDir('study-cancel');
    let stop = false;
    const { req, messages } = request(runsDir, { cancelled: () => stop });
    req.emit = (m) => {
      messages.push(m);
      // Mid-way through the second run (branch-1 of seed 0): after its first epoch.
      if (m.type === 'epochEnd' && messages.filter((x) => x.type === 'started' && x.phase.kind === 'shared').length === 2) stop = true;
    };
    assert.equal(await runStudy(req), 'cancelled');
    const studyDir = studyDirOf(messages);
    const result = readJson(path.join(studyDir, 'study.json')) as unknown as StudyResult;
    assert.equal(result.status, 'cancelled');
    const statuses = Object.fromEntries(result.variants.flatMap((v) => v.runs.map((r) => [`${v.variant.id}-r${r.repeat}`, r.status])));
    assert.deepEqual(statuses, {
      'single-task-r0': 'completed', 'as-designed-r0': 'completed', 'branch-1-r0': 'cancelled', 'weighting-dwa-r0': 'pending',
      'single-task-r1': 'pending', 'as-designed-r1': 'pending', 'branch-1-r1': 'pending', 'weighting-dwa-r1': 'pending',
    });
    assert.equal(readJson(path.join(studyDir, 'branch-1-r0', 'run.json')).status, 'cancelled');
    assert.ok(!fs.existsSync(path.join(studyDir, 'weighting-dwa-r0')));
  });

  it('resuming keeps a completed run only when it was trained with the settings the study has now', { timeout: 60_000 }, async () => {
    const runsDir = tempDir('study-settings');
    const doc = { ...tinyStudy(1), variants: { singleTask: true } };
    const first = request(runsDir, { doc });
    assert.equal(await runStudy(first.req), 'completed');
    const studyDir = studyDirOf(first.messages);
    const trainedBy = async (extra: Partial<Parameters<typeof runStudy>[0]>) => {
      const again = request(runsDir, { doc, resumeDir: studyDir, ...extra });
      assert.equal(await runStudy(again.req), 'completed');
      return again.messages.filter((m) => m.type === 'started' && m.phase.kind === 'shared').length;
    };
    assert.equal(await trainedBy({}), 0, 'same settings: kept');
    assert.equal(await trainedBy({ epochs: 1 }), 1, 'other epochs: trained again');
    assert.equal((readJson(path.join(studyDir, 'as-designed-r0', 'experiment.json')) as { training: { epochs: number } }).training.epochs, 1);
  });

  it('does the repeating itself: the experiment\'s own evaluation.repeats does not repeat inside every run', { timeout: 60_000 }, async () => {
    const runsDir = tempDir('study-own-repeats');
    const experimentDoc = { ...tinyExperiment(300, 1), evaluation: { repeats: 3 } };
    const { req, messages } = request(runsDir, { doc: { ...tinyStudy(1), variants: { singleTask: true } }, experimentDoc });
    assert.equal(await runStudy(req), 'completed');
    assert.equal(messages.filter((m) => m.type === 'started' && m.phase.kind === 'shared').length, 1, 'one seed, one training');
    const run = path.join(studyDirOf(messages), 'as-designed-r0');
    assert.equal(summaryOf(run).repeated, undefined);
    assert.equal((readJson(path.join(run, 'experiment.json')) as { evaluation: { repeats?: number } }).evaluation.repeats, undefined);
  });

  it('refuses to resume a study whose run is still training in a live process, and leaves that run alone', async () => {
    const studyDir = tempDir('study-live');
    fs.writeFileSync(path.join(studyDir, 'study.json'), JSON.stringify({ startedAt: new Date().toISOString() }));
    fs.mkdirSync(path.join(studyDir, 'as-designed-r0'));
    const live = { status: 'running', pid: process.pid, hostname: os.hostname(), processStart: processStart(process.pid), startedAt: new Date().toISOString() };
    fs.writeFileSync(path.join(studyDir, 'as-designed-r0', 'run.json'), JSON.stringify(live));
    const { req, messages } = request(studyDir, { resumeDir: studyDir });
    assert.equal(await runStudy(req), 'failed');
    const error = messages.find((m) => m.type === 'error');
    assert.match(error?.type === 'error' ? error.message : '', new RegExp(`as-designed-r0 is still training in process ${process.pid}: stop that study before resuming it`));
    assert.deepEqual(readJson(path.join(studyDir, 'as-designed-r0', 'run.json')), live);
  });

  it('a study folder that cannot be made is an error message and "failed", never a thrown stack', async () => {
    const dir = tempDir('study-nofolder');
    const file = path.join(dir, 'runs');
    fs.writeFileSync(file, 'a file where the runs folder should be');
    const { req, messages } = request(file);
    assert.equal(await runStudy(req), 'failed');
    const error = messages.find((m) => m.type === 'error');
    assert.match(error?.type === 'error' ? error.message : '', /^the study stopped: .*(ENOTDIR|EEXIST|not a folder|is a file)/);
  });

  it('refuses a study whose variants cannot be made, at the study file\'s path, before training anything', async () => {
    const runsDir = tempDir('study-invalid');
    const { req, messages } = request(runsDir, { doc: { ...tinyStudy(), variants: { branchDepths: [2] } } });
    assert.equal(await runStudy(req), 'invalid');
    const problems = messages.find((m) => m.type === 'problems');
    assert.ok(problems?.type === 'problems');
    assert.deepEqual(problems.problems.map((p) => p.path), [['variants', 'branchDepths', 0]]);
    assert.ok(!fs.existsSync(path.join(runsDir, 'tiny-study')), 'no study folder');
  });
});
