// Shared fixtures of the host tests: a two-task experiment and run folders written the way
// the trainer writes them (run.json, summary.json, experiment.json, metrics.jsonl).
import fs from 'node:fs';
import path from 'node:path';
import type { MetricPoint, RunSummary } from '../../../src/core/protocol';
import type { RunRecord } from '../../../src/core/runLayout';
import type { ExperimentSpec } from '../../../src/core/spec';
import { digitsParity } from '../../fixtures/digitsParity';
import { tempDir as tempFolder } from '../../tempFolders';

export function experiment(name = 'digits-parity'): ExperimentSpec {
  const spec = digitsParity();
  return { ...spec, name, training: { ...spec.training, epochs: 2 } };
}

export function summary(runDir: string, deltaM = 0.004): RunSummary {
  return {
    runDir, status: 'completed', backend: 'cpu',
    test: { digit: { loss: 0.4, accuracy: 0.912, macroF1: 0.9 }, parity: { loss: 0.2, accuracy: 0.951, rocAuc: 0.97 } },
    parameters: { total: 109451, shared: 108736, perTask: { digit: 650, parity: 65 }, singleTaskTotal: 218187 },
    baselines: {
      test: { digit: { accuracy: 0.91 }, parity: { accuracy: 0.947 } },
      comparisons: [
        { task: 'digit', metric: 'accuracy', higherIsBetter: true, shared: 0.912, baseline: 0.91, relativeImprovement: 0.0022 },
        { task: 'parity', metric: 'accuracy', higherIsBetter: true, shared: 0.951, baseline: 0.947, relativeImprovement: 0.0042 },
      ],
      deltaM, parameters: 218187,
    },
    timings: { startedAt: '2026-01-02T03:04:05.000Z', endedAt: '2026-01-02T03:05:05.000Z', trainSeconds: 60 },
  };
}

export function record(id: string, status: RunRecord['status'], pid = 999999): RunRecord {
  return {
    formatVersion: 1, id, experiment: 'digits-parity', status, backend: 'cpu', versions: {}, seed: 42, pid,
    hostname: 'test', startedAt: new Date(2026, 0, 2, 3, 4, Number(id.slice(13, 15))).toISOString(),
  };
}

export function tempDir(): string {
  return tempFolder('host-test');
}

export interface RunFixture { record?: RunRecord; summary?: boolean; points?: Array<MetricPoint & { baseline?: string }>; metricsTail?: string }

/** Writes <runsDir>/<experiment>/<id>/ with the files asked for; returns the run folder. */
export function writeRun(runsDir: string, id: string, f: RunFixture, experimentName = 'digits-parity'): string {
  const dir = path.join(runsDir, experimentName, id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'experiment.json'), JSON.stringify(experiment(experimentName)));
  if (f.record) fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(f.record));
  if (f.summary) fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary(dir)));
  if (f.points) fs.writeFileSync(path.join(dir, 'metrics.jsonl'), f.points.map((p) => JSON.stringify(p)).join('\n') + '\n' + (f.metricsTail ?? ''));
  return dir;
}
