// Our event files read by TensorBoard itself (the Python package), an independent reader.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { describe, it } from 'node:test';
import { TensorBoardWriter } from '../../../src/trainer/artifacts/tensorboard';
import { requirePython, runPython } from './python';
import { tempDir } from '../../tempFolders';

// Reads every record with TensorBoard's own record reader (it checks both CRCs and raises
// DataLossError on a mismatch), then loads the folder with EventAccumulator as the
// TensorBoard server does, and prints what it saw as JSON.
const READ_WITH_TENSORBOARD = `
import json, sys
from tensorboard.compat.tensorflow_stub import pywrap_tensorflow, errors
from tensorboard.compat.proto import event_pb2
from tensorboard.backend.event_processing import event_accumulator
path, logdir = sys.argv[1], sys.argv[2]
reader = pywrap_tensorflow.PyRecordReader_New(path)
records = []
while True:
    try:
        reader.GetNext()
    except errors.OutOfRangeError:
        break
    records.append(event_pb2.Event.FromString(reader.record()))
acc = event_accumulator.EventAccumulator(logdir)
acc.Reload()
print(json.dumps({
    "fileVersion": records[0].file_version,
    "records": len(records),
    "scalars": {tag: [[e.step, e.value, e.wall_time] for e in acc.Scalars(tag)] for tag in acc.Tags()["scalars"]},
}))
`;

describe('TensorBoard reads our event files', () => {
  it('through its record reader (CRCs checked) and EventAccumulator', async (t) => {
    const python = requirePython(t, 'tensorboard.backend.event_processing.event_accumulator');
    if (!python) return;
    const logdir = tempDir('tbpy');
    const writer = await TensorBoardWriter.open(logdir, { now: () => 1700000123.5 });
    for (let epoch = 1; epoch <= 3; epoch++) {
      writer.scalars(epoch * 100, [
        { tag: 'digit/loss/train', value: 1 / epoch },
        { tag: 'digit/accuracy/validation', value: 0.5 + epoch / 10 },
        { tag: 'lr', value: 0.01 * 0.5 ** epoch },
      ]);
    }
    await writer.close();

    const out = JSON.parse(runPython(python, READ_WITH_TENSORBOARD, [writer.filePath, logdir])) as {
      fileVersion: string; records: number; scalars: Record<string, Array<[number, number, number]>>;
    };
    assert.equal(out.fileVersion, 'brain.Event:2');
    assert.equal(out.records, 4);
    assert.deepEqual(Object.keys(out.scalars).sort(), ['digit/accuracy/validation', 'digit/loss/train', 'lr']);
    const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-6;
    const loss = out.scalars['digit/loss/train'] ?? [];
    assert.deepEqual(loss.map(([step]) => step), [100, 200, 300]);
    assert.ok(loss.every(([step, value], i) => close(value, 1 / (i + 1)) && step === (i + 1) * 100));
    assert.ok((out.scalars.lr ?? []).every(([, value], i) => close(value, 0.01 * 0.5 ** (i + 1))));
    assert.equal(loss[0]?.[2], 1700000123.5);
  });

  it('rejects a file whose data was altered (the CRC is real)', async (t) => {
    const python = requirePython(t, 'tensorboard.backend.event_processing.event_accumulator');
    if (!python) return;
    const logdir = tempDir('tbpy');
    const writer = await TensorBoardWriter.open(logdir);
    writer.scalar('x', 1, 1);
    await writer.close();
    const bytes = await fs.readFile(writer.filePath);
    bytes[bytes.length - 6] = (bytes[bytes.length - 6] as number) ^ 0xff; // inside the last event's data
    await fs.writeFile(writer.filePath, bytes);
    assert.throws(
      () => runPython(python, READ_WITH_TENSORBOARD, [writer.filePath, logdir]),
      (err: { stderr?: string }) => /DataLossError.*failed event crc32 check/.test(String(err.stderr)),
    );
  });
});
