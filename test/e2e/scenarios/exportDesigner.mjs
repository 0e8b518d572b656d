// Export from the designer: the "Export…" button → "Jupyter notebook" (the Keras 3 package
// with it) → the folder dialog's "Export here" on the workspace: the package (model.py,
// train.py, weighting.py, the data) and the .ipynb are written, and the notebook opens in
// VS Code's notebook editor with its cells on screen. Then the experiment is trained from the
// designer and exported again from its run: "Latest run" → "ONNX model" writes model.onnx,
// the trained inference graph with one output per task.
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText, runFolders, runStatus } from '../expect.mjs';

const PACKAGE = 'digits_parity_tiny'; // packageNameOf("digits-parity-tiny")

/** The designer's "Export…" button, then the format (and the run, when the experiment has one), then "Export here" on the proposed folder. */
export async function exportFromDesigner(s, designer, format, run) {
  await designer.locator('vscode-button', { hasText: 'Export…' }).click();
  if (run) await s.pick(run, { placeholder: /Export which run/ });
  await s.pick(format, { placeholder: /^Export as$/ });
  // The folder dialog (VS Code's own, drawn in the quick input under code-server) opens on the workspace.
  const widget = s.page.locator('.quick-input-widget');
  await expectText(widget.locator('.quick-input-title'), 'Export into which folder?', 'the folder dialog');
  await s.waitUntil(async () => (await widget.locator('input').inputValue()).replace(/\/$/, '') === s.workspace,
    `the folder dialog to propose the workspace ${s.workspace}`);
  await widget.locator('.monaco-button', { hasText: 'Export here' }).click();
}

export default {
  name: 'export from the designer',
  workspace: 'tiny',
  async run(s) {
    const { page } = s;
    const designer = await s.openDesigner('tiny.mtl.json');

    // No run yet: the experiment alone, as a notebook with the Keras package.
    await exportFromDesigner(s, designer, 'Jupyter notebook');
    await s.waitForNotification(new RegExp(`Exported: ${PACKAGE}, ${PACKAGE}\\.ipynb`), 300_000);
    const pkg = path.join(s.workspace, PACKAGE);
    for (const f of ['__init__.py', 'model.py', 'train.py', 'weighting.py', 'data.py', 'experiment.json', 'data/dataset.npz']) {
      assert(fs.existsSync(path.join(pkg, f)), `the package holds ${f}`);
    }
    assert(!fs.existsSync(path.join(pkg, 'weights')), 'no weights: the experiment was exported without a run');
    const notebookFile = path.join(s.workspace, `${PACKAGE}.ipynb`);
    const notebook = JSON.parse(fs.readFileSync(notebookFile, 'utf8'));
    assert(notebook.cells.some((c) => c.cell_type === 'code'), 'the .ipynb has code cells');

    // The notebook opens in the notebook editor: its cells are drawn, their code readable.
    await page.locator('.tabs-container .tab.active', { hasText: `${PACKAGE}.ipynb` }).waitFor();
    const editor = page.locator('.notebookOverlay.notebook-editor');
    await editor.waitFor({ state: 'visible' });
    const cells = editor.locator('.cell-list-container .monaco-list-row');
    await s.waitUntil(async () => (await cells.count()) >= 3, 'the notebook\'s cells to be drawn');
    await expectText(editor.locator('.code-cell-row .view-lines').first(), `from ${PACKAGE} import data, model as model_py, train`, 'the first code cell\'s text');
    const box = await editor.locator('.code-cell-row').first().boundingBox();
    assert(box && box.width > 300 && box.height > 40, `the first code cell is drawn at a readable size: ${JSON.stringify(box)}`);
    await s.screenshot('notebook');
    await editor.locator('.code-cell-row .view-lines', { hasText: 'fit_experiment' }).first().scrollIntoViewIfNeeded();
    await expectText(editor.locator('.code-cell-row .view-lines', { hasText: 'fit_experiment' }), 'train.fit_experiment(epochs=3', 'the training cell');
    await s.screenshot('notebook-training-cell');

    // Trained from the designer, then exported from its run as ONNX.
    // A hidden designer's webview is rebuilt when shown again: its frame is looked up anew.
    const designerAgain = async () => {
      await page.locator('.tabs-container .tab', { hasText: 'tiny.mtl.json' }).click();
      const d = await s.designer('tiny.mtl.json');
      return d;
    };
    await (await designerAgain()).locator('vscode-button', { hasText: 'Train' }).click();
    await s.waitForNotification(/digits-parity-tiny: training completed/, 300_000);
    const runs = runFolders(s.workspace);
    assert(runs.length === 1 && runStatus(runs[0]) === 'completed', `one completed run: ${JSON.stringify(runs.map((r) => [r, runStatus(r)]))}`);
    await exportFromDesigner(s, await designerAgain(), 'ONNX model', 'Latest run');
    await s.waitForNotification(/Exported: model\.onnx/, 300_000);
    const onnx = fs.readFileSync(path.join(s.workspace, 'model.onnx'));
    // 109,451 float32 parameters, and an output named by each task id.
    assert(onnx.length > 109_451 * 4, `model.onnx holds the trained weights: ${onnx.length} bytes`);
    for (const task of ['digit', 'parity']) assert(onnx.includes(Buffer.from(task)), `model.onnx names the output ${task}`);
    await s.screenshot('onnx-exported');
  },
};
