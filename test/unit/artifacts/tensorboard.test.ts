import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readEventFile, scalarsByTag } from '../../../src/trainer/artifacts/eventFileReader';
import { FILE_VERSION, tensorboardTag, TensorBoardWriter } from '../../../src/trainer/artifacts/tensorboard';
import { WHOLE_MODEL } from '../../../src/core/protocol';
import { tempDir as tempFolder } from '../../tempFolders';

async function tempDir(): Promise<string> {
  return tempFolder('tb');
}

describe('TensorBoard event writer', () => {
  it('writes events.out.tfevents.<seconds>.<host> starting with the file version, then the scalars', async () => {
    const dir = await tempDir();
    const writer = await TensorBoardWriter.open(dir, { now: () => 1700000000.25, hostname: 'my host' });
    assert.equal(path.basename(writer.filePath), 'events.out.tfevents.1700000000.my-host');
    writer.scalars(10, [{ tag: 'digit/loss/train', value: 0.5 }, { tag: 'lr', value: 0.01 }]);
    writer.scalar('digit/loss/train', 0.25, 20);
    writer.scalar('digit/loss/train', Number.NaN, 30);
    writer.scalar('big/step', 1, 2 ** 40);
    await writer.close();

    const { events, truncated } = await readEventFile(writer.filePath);
    assert.equal(truncated, false);
    assert.equal(events[0]?.fileVersion, FILE_VERSION);
    assert.equal(events[0]?.wallTime, 1700000000.25);
    const scalars = scalarsByTag(events);
    assert.deepEqual(scalars.get('digit/loss/train')?.map((s) => [s.step, s.value]), [[10, 0.5], [20, 0.25], [30, Number.NaN]]);
    assert.ok(Math.abs((scalars.get('lr')?.[0]?.value ?? 0) - 0.01) < 1e-9); // stored as float32
    assert.equal(scalars.get('big/step')?.[0]?.step, 2 ** 40);
  });

  it('never appends to an existing event file of the same second', async () => {
    const dir = await tempDir();
    const a = await TensorBoardWriter.open(dir, { now: () => 5, hostname: 'h' });
    const b = await TensorBoardWriter.open(dir, { now: () => 5, hostname: 'h' });
    assert.notEqual(a.filePath, b.filePath);
    await a.close();
    await b.close();
    assert.equal((await fs.readdir(dir)).length, 2);
  });

  it('tags points <task>/<metric>/<split>, whole-model values <metric>/<split>, the learning rate lr', () => {
    assert.equal(tensorboardTag({ task: 'digit', metric: 'accuracy', split: 'validation' }), 'digit/accuracy/validation');
    assert.equal(tensorboardTag({ task: WHOLE_MODEL, metric: 'loss', split: 'train' }), 'total_loss_unweighted_sum/train');
    assert.equal(tensorboardTag({ task: WHOLE_MODEL, metric: 'lr', split: 'train' }), 'lr');
  });

  it('reads the same scalars from our file as from tfjs-node\'s native summary writer', async (t) => {
    let tfn: typeof import('@tensorflow/tfjs-node');
    try {
      tfn = await import('@tensorflow/tfjs-node');
    } catch (err) {
      t.skip(`@tensorflow/tfjs-node does not load here: ${(err as Error).message.split('\n')[0]}`);
      return;
    }
    const ours = await tempDir();
    const native = await tempDir();
    const values: Array<[string, number, number]> = [['a/loss/train', 1, 0.75], ['a/loss/train', 2, 0.5], ['lr', 2, 0.001]];
    const writer = await TensorBoardWriter.open(ours);
    for (const [tag, step, value] of values) writer.scalar(tag, value, step);
    await writer.close();
    const nativeWriter = tfn.node.summaryFileWriter(native);
    for (const [tag, step, value] of values) nativeWriter.scalar(tag, value, step);
    nativeWriter.flush();

    const read = async (dir: string): Promise<Array<[string, number, number]>> => {
      const files = (await fs.readdir(dir)).filter((f) => f.includes('tfevents'));
      assert.equal(files.length, 1);
      const { events } = await readEventFile(path.join(dir, files[0] as string));
      assert.equal(events[0]?.fileVersion, FILE_VERSION);
      return events.flatMap((e) => e.values.map((v): [string, number, number] => [v.tag, e.step, Number(v.value.toPrecision(6))]));
    };
    const expected = values.map(([tag, step, value]): [string, number, number] => [tag, step, Number(Math.fround(value).toPrecision(6))]);
    assert.deepEqual(await read(ours), expected);
    assert.deepEqual(await read(native), expected);
  });
});
