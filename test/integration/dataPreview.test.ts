// "Preview data" in the extension host: the designer's previewer forks the extension's own
// trainer on the document's current text (unsaved edits included), and reads the files a run
// would read: inside the workspace, or in a folder multiTaskStudio.allowedDataFolders lists
// (it needs trust, as training).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { DataPreviewer } from '../../src/host/designer/dataPreview';
import { EXTENSION_ID, writeExperiment } from './helpers';

const csv = 'x,y,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n9,1,a\n2,3,b\n4,5,a\n6,7,b\n8,9,a\n1,1,b\n';

function tableExperiment(file: string): Record<string, unknown> {
  return {
    name: 'table', data: { source: { type: 'csv', path: file }, split: { validation: 0.2, test: 0.2, seed: 1 } },
    tasks: [{ id: 'label', kind: 'binary', target: 'label' }],
    model: { inputs: [{ id: 'in', shape: [2] }], layers: [{ id: 'head', type: 'dense', units: 1, activation: 'sigmoid', from: ['in'] }], outputs: { label: 'head' } },
    training: { optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 4, seed: 1 },
  };
}

suite('data preview', () => {
  let previewer: DataPreviewer;
  suiteSetup(() => { previewer = new DataPreviewer(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri); });
  suiteTeardown(() => previewer.dispose());

  test('a csv in the workspace is summarized from the unsaved text of the document', async () => {
    const uri = writeExperiment('preview-inside', 'table.mtl.json', tableExperiment('data.csv'));
    fs.writeFileSync(path.join(path.dirname(uri.fsPath), 'data.csv'), csv);
    const document = await vscode.workspace.openTextDocument(uri);
    const unsaved = tableExperiment('data.csv') as { data: { split: { test: number } } };
    unsaved.data.split.test = 0.3; // as typed in the designer, not saved
    const result = await previewer.preview(document, unsaved);
    assert.ok(result?.ok, result && !result.ok ? result.message : 'an answer');
    assert.equal(result.summary.examples, 10);
    assert.equal(result.summary.split.test, 3);
    const label = result.summary.tasks[0]!;
    assert.ok(label.kind === 'binary');
    assert.deepEqual(label.classes.map((c) => c.counts.train + c.counts.validation + c.counts.test), [5, 5]);
  });

  test('a csv out of the workspace, by a path or a symlink, is refused at data.source.path until multiTaskStudio.allowedDataFolders lists its folder', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-outside-'));
    fs.writeFileSync(path.join(outside, 'shared.csv'), csv);
    const uri = writeExperiment('preview-outside', 'table.mtl.json', tableExperiment('x'));
    const document = await vscode.workspace.openTextDocument(uri);
    const relative = path.relative(path.dirname(uri.fsPath), path.join(outside, 'shared.csv'));
    fs.symlinkSync(outside, path.join(path.dirname(uri.fsPath), 'datasets'));
    for (const file of [relative, 'datasets/shared.csv']) {
      const refused = await previewer.preview(document, tableExperiment(file));
      assert.ok(refused && !refused.ok, `${file} is refused`);
      assert.match(refused.message, /outside the folders data may be read from/);
      assert.deepEqual(refused.path, ['data', 'source', 'path']);
    }
    const config = vscode.workspace.getConfiguration('multiTaskStudio');
    await config.update('allowedDataFolders', [outside], vscode.ConfigurationTarget.Global);
    try {
      for (const file of [relative, 'datasets/shared.csv']) {
        const result = await previewer.preview(document, tableExperiment(file));
        assert.ok(result?.ok, result && !result.ok ? `${file}: ${result.message}` : 'an answer');
        assert.equal(result.summary.examples, 10, file);
      }
      const missing = await previewer.preview(document, tableExperiment('datasets/nope.csv'));
      assert.ok(missing && !missing.ok);
      assert.match(missing.message, /nope\.csv/);
    } finally {
      await config.update('allowedDataFolders', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
