// The designer as VS Code sees it: the custom editor opens *.mtl.json, a designer edit is
// an edit of the text document (so undo restores it), and problems reach the Problems panel.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyDocumentEdit } from '../../src/host/designer/documentEdit';
import { EXTENSION_ID, quickExperiment, waitFor, writeExperiment } from './helpers';

const tabInputUri = (t: vscode.Tab) => (t.input instanceof vscode.TabInputCustom || t.input instanceof vscode.TabInputText ? t.input.uri.toString() : '');

suite('designer', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('*.mtl.json opens in the designer by default', async () => {
    const uri = writeExperiment('designer-open', 'open.mtl.json', quickExperiment('open'));
    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await waitFor('a designer tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => tabInputUri(t) === uri.toString() && t.input instanceof vscode.TabInputCustom));
    assert.equal((tab.input as vscode.TabInputCustom).viewType, 'multiTaskStudio.designer');
  });

  test('a designer edit changes the text document; undo restores it', async () => {
    const uri = writeExperiment('designer-edit', 'edit.mtl.json', quickExperiment('edit'));
    await vscode.commands.executeCommand('vscode.openWith', uri, 'multiTaskStudio.designer');
    const document = await vscode.workspace.openTextDocument(uri);
    const before = document.getText();
    // What the designer sends when the user sets trunk1's units to 96 in the inspector.
    const refused = await applyDocumentEdit(document, [{ op: 'set', path: ['model', 'layers', 0, 'units'], value: 96 }]);
    assert.equal(refused, undefined);
    assert.equal((JSON.parse(document.getText()) as { model: { layers: Array<{ units: number }> } }).model.layers[0]!.units, 96);
    assert.ok(document.isDirty, 'the edit makes the document dirty');
    assert.match(document.getText(), /"units": 96/, 'formatting is kept');
    await vscode.commands.executeCommand('undo');
    await waitFor('undo to restore the text', () => document.getText() === before);
  });

  test('problems of the document are listed in the Problems panel with their place', async () => {
    const doc = quickExperiment('dangling') as { model: { layers: Array<{ from: string[] }> } };
    doc.model.layers[1]!.from = ['trunk9'];
    const uri = writeExperiment('designer-problems', 'dangling.mtl.json', doc);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'multiTaskStudio.designer');
    const diagnostics = await waitFor('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => /trunk9/.test(x.message));
      return d.length ? d : undefined;
    });
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(diagnostics[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(document.getText(diagnostics[0]!.range), '"trunk9"', 'the range is the dangling reference itself');
  });
});
