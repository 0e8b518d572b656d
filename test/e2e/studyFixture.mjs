// A study folder as the study runner leaves it, for the study view scenario until a real small
// study runs there (after the runner lands): study.json (a real StudyResult: its summaries were
// computed by core/stats from the per-run values, as test/unit/core/study/fixtures.ts does) and
// one run folder with run.json per variant and repeat. The variants' specs are made from the
// workspace's tiny.mtl.json: as designed, split after trunk1 (trunk2 removed), and with PCGrad.
import fs from 'node:fs';
import path from 'node:path';

export const STUDY_FOLDER = 'study-20261130-090000-e2e1';

/** study.json for the experiment `tiny` (its parsed tiny.mtl.json). */
export function studyResult(tiny) {
  const splitAfterTrunk1 = structuredClone(tiny);
  splitAfterTrunk1.model.layers = tiny.model.layers.filter((l) => l.id !== 'trunk2').map((l) => (l.id.endsWith('Head') ? { ...l, from: ['trunk1'] } : l));
  const pcgrad = structuredClone(tiny);
  pcgrad.training.weighting = { method: 'pcgrad' };
  const specs = { asDesigned: tiny, splitAfterTrunk1, pcgrad };
  return {
    ...HEADER,
    variants: [
      {
        variant: {"id": "single-task", "label": "Single-task models", "kind": "single-task"},
        runs: [
          {"variant": "single-task", "repeat": 0, "seed": 42, "runDir": "single-task-r0", "status": "completed", "test": {"digit": {"accuracy": 0.9}, "parity": {"accuracy": 0.88}}, "parameters": 218187, "trainSeconds": 10},
          {"variant": "single-task", "repeat": 1, "seed": 43, "runDir": "single-task-r1", "status": "completed", "test": {"digit": {"accuracy": 0.92}, "parity": {"accuracy": 0.89}}, "parameters": 218187, "trainSeconds": 11},
          {"variant": "single-task", "repeat": 2, "seed": 44, "runDir": "single-task-r2", "status": "completed", "test": {"digit": {"accuracy": 0.94}, "parity": {"accuracy": 0.9}}, "parameters": 218187, "trainSeconds": 12},
        ],
        test: {"digit": {"accuracy": {"n": 3, "mean": 0.9199999999999999, "sd": 0.019999999999999962, "low": 0.870317242644409, "high": 0.9696827573555908}}, "parity": {"accuracy": {"n": 3, "mean": 0.89, "sd": 0.010000000000000009, "low": 0.8651586213222044, "high": 0.9148413786777956}}},
        parameters: 218187,
        trainSeconds: {"n": 3, "mean": 11, "sd": 1, "low": 8.515862132220448, "high": 13.484137867779552},
      },
      {
        variant: {"id": "as-designed", "label": "As designed", "kind": "as-designed", "spec": specs.asDesigned},
        runs: [
          {"variant": "as-designed", "repeat": 0, "seed": 42, "runDir": "as-designed-r0", "status": "completed", "test": {"digit": {"accuracy": 0.95}, "parity": {"accuracy": 0.86}}, "deltaM": 0.012, "parameters": 109451, "trainSeconds": 8},
          {"variant": "as-designed", "repeat": 1, "seed": 43, "runDir": "as-designed-r1", "status": "completed", "test": {"digit": {"accuracy": 0.96}, "parity": {"accuracy": 0.87}}, "deltaM": -0.004, "parameters": 109451, "trainSeconds": 8.5},
          {"variant": "as-designed", "repeat": 2, "seed": 44, "runDir": "as-designed-r2", "status": "completed", "test": {"digit": {"accuracy": 0.97}, "parity": {"accuracy": 0.88}}, "deltaM": 0.007, "parameters": 109451, "trainSeconds": 9},
        ],
        test: {"digit": {"accuracy": {"n": 3, "mean": 0.96, "sd": 0.010000000000000009, "low": 0.9351586213222044, "high": 0.9848413786777955}}, "parity": {"accuracy": {"n": 3, "mean": 0.87, "sd": 0.010000000000000009, "low": 0.8451586213222044, "high": 0.8948413786777956}}},
        deltaM: {"n": 3, "mean": 0.005, "sd": 0.00818535277187245, "low": -0.015333544781742665, "high": 0.025333544781742667, "verdict": "no-difference"},
        parameters: 109451,
        trainSeconds: {"n": 3, "mean": 8.5, "sd": 0.5, "low": 7.257931066110224, "high": 9.742068933889776},
      },
      {
        variant: {"id": "branch-1", "label": "Split after trunk1 (depth 1)", "kind": "branch", "spec": specs.splitAfterTrunk1},
        runs: [
          {"variant": "branch-1", "repeat": 0, "seed": 42, "runDir": "branch-1-r0", "status": "completed", "test": {"digit": {"accuracy": 0.93}, "parity": {"accuracy": 0.9}}, "deltaM": 0.021, "parameters": 101899, "trainSeconds": 9},
          {"variant": "branch-1", "repeat": 1, "seed": 43, "runDir": "branch-1-r1", "status": "completed", "test": {"digit": {"accuracy": 0.935}, "parity": {"accuracy": 0.905}}, "deltaM": 0.026, "parameters": 101899, "trainSeconds": 9.5},
          {"variant": "branch-1", "repeat": 2, "seed": 44, "runDir": "branch-1-r2", "status": "completed", "test": {"digit": {"accuracy": 0.94}, "parity": {"accuracy": 0.91}}, "deltaM": 0.031, "parameters": 101899, "trainSeconds": 10},
        ],
        test: {"digit": {"accuracy": {"n": 3, "mean": 0.935, "sd": 0.004999999999999949, "low": 0.9225793106611024, "high": 0.9474206893388977}}, "parity": {"accuracy": {"n": 3, "mean": 0.9050000000000001, "sd": 0.0050000000000000044, "low": 0.8925793106611024, "high": 0.9174206893388979}}},
        deltaM: {"n": 3, "mean": 0.026, "sd": 0.004999999999999999, "low": 0.013579310661102245, "high": 0.03842068933889775, "verdict": "helped"},
        parameters: 101899,
        trainSeconds: {"n": 3, "mean": 9.5, "sd": 0.5, "low": 8.257931066110224, "high": 10.742068933889776},
      },
      {
        variant: {"id": "weighting-pcgrad", "label": "PCGrad (parameters)", "kind": "weighting", "spec": specs.pcgrad},
        runs: [
          {"variant": "weighting-pcgrad", "repeat": 0, "seed": 42, "runDir": "weighting-pcgrad-r0", "status": "completed", "test": {"digit": {"accuracy": 0.8}, "parity": {"accuracy": 0.91}}, "deltaM": -0.05, "parameters": 109451, "trainSeconds": 14},
          {"variant": "weighting-pcgrad", "repeat": 1, "seed": 43, "runDir": "weighting-pcgrad-r1", "status": "completed", "test": {"digit": {"accuracy": 0.81}, "parity": {"accuracy": 0.92}}, "deltaM": -0.06, "parameters": 109451, "trainSeconds": 15},
          {"variant": "weighting-pcgrad", "repeat": 2, "seed": 44, "runDir": "weighting-pcgrad-r2", "status": "completed", "test": {"digit": {"accuracy": 0.82}, "parity": {"accuracy": 0.93}}, "deltaM": -0.055, "parameters": 109451, "trainSeconds": 16},
        ],
        test: {"digit": {"accuracy": {"n": 3, "mean": 0.81, "sd": 0.009999999999999953, "low": 0.7851586213222047, "high": 0.8348413786777954}}, "parity": {"accuracy": {"n": 3, "mean": 0.92, "sd": 0.010000000000000009, "low": 0.8951586213222045, "high": 0.9448413786777956}}},
        deltaM: {"n": 3, "mean": -0.055, "sd": 0.0049999999999999975, "low": -0.06742068933889775, "high": -0.04257931066110225, "verdict": "hurt"},
        parameters: 109451,
        trainSeconds: {"n": 3, "mean": 15, "sd": 1, "low": 12.515862132220448, "high": 17.484137867779552},
      },
    ],
  };
}

const HEADER = {"name": "digits-parity-tiny: sharing strategies", "studyFile": "tiny.mtl-study.json", "experiment": "./tiny.mtl.json", "status": "completed", "startedAt": "2026-11-30T09:00:00.000Z", "endedAt": "2026-11-30T09:04:12.000Z", "method": "95 % Student's t interval of the mean over repeats", "repeats": 3};

/** Writes runs/<experiment>/<STUDY_FOLDER>/ into the workspace; returns the study folder. */
export function writeStudyFolder(workspace) {
  const result = studyResult(JSON.parse(fs.readFileSync(path.join(workspace, 'tiny.mtl.json'), 'utf8')));
  const dir = path.join(workspace, 'runs', 'digits-parity-tiny', STUDY_FOLDER);
  for (const v of result.variants) {
    for (const r of v.runs) {
      const runDir = path.join(dir, r.runDir);
      fs.mkdirSync(runDir, { recursive: true });
      fs.writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({
        formatVersion: 1, id: r.runDir, experiment: 'digits-parity-tiny', status: r.status, backend: 'tensorflow', versions: {},
        seed: r.seed, pid: 1, hostname: 'e2e', startedAt: result.startedAt, endedAt: result.endedAt,
      }, null, 2));
    }
  }
  fs.writeFileSync(path.join(dir, 'study.json'), `${JSON.stringify(result, null, 2)}\n`);
  return dir;
}
