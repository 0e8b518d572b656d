// Shared by the trainer tests: the repository root, the examples, a temporary runs folder.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../repoRoot';
import { tempDir } from '../../tempFolders';

export { ROOT, tempDir };

export function exampleFile(name: string): string {
  return path.join(ROOT, 'examples', name, `${name}.mtl.json`);
}

export function exampleDoc(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(exampleFile(name), 'utf8')) as Record<string, unknown>;
}

export const EXAMPLES = ['digits-parity', 'multimnist-cnn', 'correlated-regression', 'tabular-csv', 'partial-labels', 'famo-regression', 'conflicting-gradients', 'cross-stitch-regression', 'mmoe-regression', 'conflicting-tasks-upgrad', 'sequence-lstm'];


/** A temporary folder holding tabular-csv's data and its experiment as exp.mtl.json (the example reads its data beside it). */
export function tabularExperiment(prefix: string): { dir: string; file: string } {
  const dir = tempDir(prefix);
  fs.copyFileSync(path.join(ROOT, 'examples', 'tabular-csv', 'patients.csv'), path.join(dir, 'patients.csv'));
  const file = path.join(dir, 'exp.mtl.json');
  fs.writeFileSync(file, JSON.stringify(exampleDoc('tabular-csv')));
  return { dir, file };
}

/** The one run folder under runsDir/<experiment>/. */
export function onlyRun(runsDir: string, experiment: string): string {
  const dir = path.join(runsDir, experiment);
  const runs = fs.readdirSync(dir);
  if (runs.length !== 1) throw new Error(`expected one run in ${dir}, found ${runs.join(', ')}`);
  return path.join(dir, runs[0]!);
}

export const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

/** An experiment TensorFlow fails inside a layer at run time: pixel values (up to 255) index an embedding of 10. */
export function embeddingPastInputDim() {
  return {
    name: 'emb',
    data: { source: { type: 'mnist', limit: 60 }, split: { validation: 0.2, test: 0.2, seed: 1 } },
    tasks: [{ id: 'digit', kind: 'multiclass', target: 'label', classes: 10 }],
    model: {
      inputs: [{ id: 'image', shape: [784], dtype: 'int32' }],
      layers: [
        { id: 'embed', type: 'embedding', inputDim: 10, outputDim: 2, from: ['image'] },
        { id: 'flat', type: 'flatten', from: ['embed'] },
        { id: 'head', type: 'dense', units: 10, activation: 'softmax', from: ['flat'] },
      ],
      outputs: { digit: 'head' },
    },
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 1, batchSize: 16, seed: 1 },
  };
}
