// An input of shape [5] on a csv of 13 feature columns (test/e2e/fixtures/shape-mismatch), opened
// in the designer: the automatic data summary counts the features, the Problems panel shows
// the mismatch on the input's shape, and its code action sets [13] (one undo step).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor, workspaceDir } from './helpers';

/** The suite runs from out/test/integration/ of the repository. */
const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'e2e', 'fixtures', 'shape-mismatch');
const MISMATCH = /Input "x" is \[5\], the data gives 13 features per example: set \[13\]/;

suite('input shape against the data', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the mismatch reaches the Problems panel; its quick fix sets the shape, undo restores it', async () => {
    const dir = path.join(workspaceDir(), 'shape-mismatch');
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ['wine.csv', 'wine.mtl.json']) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
    const uri = vscode.Uri.file(path.join(dir, 'wine.mtl.json'));
    await vscode.commands.executeCommand('vscode.openWith', uri, 'multiTaskStudio.designer');
    const document = await vscode.workspace.openTextDocument(uri);
    const before = document.getText();
    const mismatch = () => vscode.languages.getDiagnostics(uri).find((d) => MISMATCH.test(d.message));
    // Found without "Preview data": the designer summarizes a csv's data when it opens.
    const diagnostic = await waitFor('the input shape diagnostic', mismatch);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(document.getText(diagnostic.range), '[5]', 'it underlines the input\'s shape');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Set shape to [13]');
    assert.ok(fix?.edit, `a "Set shape to [13]" quick fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));

    assert.deepEqual((JSON.parse(document.getText()) as { model: { inputs: Array<{ shape: number[] }> } }).model.inputs[0]!.shape, [13]);
    assert.equal(document.getText(), before.replace('"shape": [5]', '"shape": [13]'), 'only the shape changed');
    await waitFor('the diagnostic to go', () => mismatch() === undefined);

    await vscode.commands.executeCommand('undo');
    await waitFor('undo to restore the text', () => document.getText() === before);
    await waitFor('the diagnostic to come back', mismatch);
  });
});
