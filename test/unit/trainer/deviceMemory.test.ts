// The native backend trains on a CSV's feature matrix in place: a second copy of a large data
// set during training would double what a run holds (npm run bench:data measures it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend } from '../../../src/trainer/backend';
import { parseCsv } from '../../../src/trainer/data/csv';
import { tableToDataset } from '../../../src/trainer/data/table';

test('a CSV feature matrix is shared with its native tensor, not copied', async () => {
  const { tf, name } = await loadBackend('tensorflow');
  assert.equal(name, 'tensorflow');
  // Several sizes: a matrix that happens to be aligned where it was allocated is shared by luck.
  for (let k = 0; k < 8; k++) {
    const rows = Array.from({ length: 5000 + 7 * k }, (_, r) => `${r},${r % 3},${r % 2}`);
    const ds = tableToDataset(parseCsv(['a,b,y', ...rows].join('\n'), 'm.csv'), { targets: [{ column: 'y', kind: 'class', usedBy: 'test', role: 'task' }] });
    const x = tf.tensor2d(ds.features, [ds.n, 2]);
    try {
      // TensorFlow takes the values at the first op that reads the tensor: in place, or a copy.
      tf.dispose(tf.reshape(x, [-1]));
      ds.features[0] = 42;
      assert.equal((await x.slice([0, 0], [1, 1]).data())[0], 42, `matrix of ${ds.n} rows copied`);
    } finally {
      x.dispose();
    }
  }
});
