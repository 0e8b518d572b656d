// A small two-task experiment on generated data, for study tests that train for real in seconds.
import fs from 'node:fs';
import path from 'node:path';

export function tinyExperiment(samples = 300, epochs = 2) {
  return {
    name: 'tiny-study',
    data: { source: { type: 'synthetic-correlated', samples, correlation: 0.5, inputDim: 8, seed: 3 }, split: { validation: 0.1, test: 0.2, seed: 7 } },
    tasks: [{ id: 'task1', kind: 'regression', target: 'y1' }, { id: 'task2', kind: 'regression', target: 'y2' }],
    model: {
      inputs: [{ id: 'x', shape: [8] }],
      layers: [
        { id: 'trunk1', type: 'dense', units: 8, activation: 'relu', from: ['x'] },
        { id: 'trunk2', type: 'dense', units: 8, activation: 'relu', from: ['trunk1'] },
        { id: 'out1', type: 'dense', units: 1, from: ['trunk2'] },
        { id: 'out2', type: 'dense', units: 1, from: ['trunk2'] },
      ],
      outputs: { task1: 'out1', task2: 'out2' },
    },
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs, batchSize: 32, seed: 5 },
  };
}

export function tinyStudy(repeats = 2) {
  return { name: 'tiny', experiment: 'tiny.mtl.json', repeats, variants: { branchDepths: true, weighting: [{ method: 'dwa' }] } };
}

/** Writes the experiment and the study file into `dir`; returns the study file's path. */
export function writeStudyFiles(dir: string, study: unknown = tinyStudy(), experiment: unknown = tinyExperiment()): string {
  fs.writeFileSync(path.join(dir, 'tiny.mtl.json'), JSON.stringify(experiment, null, 2));
  const file = path.join(dir, 'tiny.mtl-study.json');
  fs.writeFileSync(file, JSON.stringify(study, null, 2));
  return file;
}
