// A large tabular experiment generated on the spot (never committed): ROWS rows of 20 columns,
// 17 numeric features with ~1% missing markers, a 4-valued text feature, a 3-class text label
// and a regression value that depends on the features. Used by the scale test (200,000 rows)
// and `npm run bench:data` (1,000,000 rows).
import fs from 'node:fs';
import path from 'node:path';
import { SeededRandom } from '../src/core/random';

export const NUMERIC_FEATURES = 17;
export const COLUMNS = [...Array.from({ length: NUMERIC_FEATURES }, (_, j) => `x${j}`), 'group', 'label', 'value'];

/** Writes `rows` rows to dir/wide.csv and returns the experiment document that trains on it. */
export function writeWideExperiment(dir: string, rows: number, seed = 1): { file: string; doc: Record<string, unknown> } {
  const file = path.join(dir, 'wide.csv');
  const fd = fs.openSync(file, 'w');
  try {
    const rng = new SeededRandom(seed);
    fs.writeSync(fd, `${COLUMNS.join(',')}\n`);
    const groups = ['north', 'south', 'east', 'west'];
    const labels = ['low', 'mid', 'high'];
    let chunk: string[] = [];
    for (let r = 0; r < rows; r++) {
      const cells: string[] = [];
      let s = 0;
      for (let j = 0; j < NUMERIC_FEATURES; j++) {
        const x = rng.normal();
        s += j < 4 ? x : 0;
        cells.push(rng.next() < 0.01 ? 'NA' : x.toFixed(3));
      }
      cells.push(groups[rng.int(4)] as string, labels[s < -0.7 ? 0 : s < 0.7 ? 1 : 2] as string, (2 * s + rng.normal() * 0.1).toFixed(3));
      chunk.push(cells.join(','));
      if (chunk.length === 10_000) { fs.writeSync(fd, chunk.join('\n') + '\n'); chunk = []; }
    }
    if (chunk.length > 0) fs.writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
  const features = NUMERIC_FEATURES + 4;
  const doc = {
    name: 'wide',
    data: {
      source: { type: 'csv', path: 'wide.csv', missing: 'impute' },
      preprocess: [{ op: 'zscore' }],
      split: { validation: 0.1, test: 0.1, seed: 3 },
    },
    tasks: [
      { id: 'level', kind: 'multiclass', target: 'label', classes: 3 },
      { id: 'amount', kind: 'regression', target: 'value' },
    ],
    model: {
      inputs: [{ id: 'x', shape: [features] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 32, activation: 'relu', from: ['x'] },
        { id: 'levelHead', type: 'dense', units: 3, activation: 'softmax', from: ['trunk'] },
        { id: 'amountHead', type: 'dense', units: 1, from: ['trunk'] },
      ],
      outputs: { level: 'levelHead', amount: 'amountHead' },
    },
    training: { optimizer: { type: 'adam', learningRate: 0.003 }, epochs: 1, batchSize: 1024, seed: 1, weighting: { method: 'equal' } },
    evaluation: { baselines: 'none' },
  };
  return { file, doc };
}
