// "Try this grouping" in a real VS Code: a 3-task run trained by the train command with
// evaluation.taskAffinity, then the diagram's action (the handler the diagram panel calls on
// its 'tryGrouping' message) with the grouping the run proposes. The grouped experiment is
// written beside the experiment file, validates, and opens in the designer; asked again, it
// never writes over the first file (which the user has edited) but beside it, as name-2.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/core/protocol';
import { validate } from '../../src/core/validate';
import { tryGrouping } from '../../src/host/diagram/tryGrouping';
import { EXTENSION_ID, quickExperiment, waitFor, workspaceDir, writeExperiment } from './helpers';

const NAME = 'integration-grouping';

/** The quick experiment with a third task (digit > 4), so that a grouping into two groups exists. */
function threeTasks(): Record<string, unknown> {
  const doc = quickExperiment(NAME) as { tasks: unknown[]; model: { layers: Array<Record<string, unknown>>; outputs: Record<string, string> } };
  return {
    ...doc,
    tasks: [...doc.tasks, { id: 'big', kind: 'binary', target: 'greaterThan4' }],
    model: {
      ...doc.model,
      layers: [...doc.model.layers, { id: 'bigHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk1'] }],
      outputs: { ...doc.model.outputs, big: 'bigHead' },
    },
    evaluation: { baselines: 'none', taskAffinity: { every: 5 } },
  };
}

const completedRun = () => {
  const dir = path.join(workspaceDir(), 'runs', NAME);
  const runs = fs.existsSync(dir) ? fs.readdirSync(dir).map((r) => path.join(dir, r)) : [];
  return runs.find((r) => {
    try { return (JSON.parse(fs.readFileSync(path.join(r, 'run.json'), 'utf8')) as { status: string }).status === 'completed'; } catch { return false; }
  });
};
const designerTab = (file: string) => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
  .find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.fsPath === file && t.input.viewType === 'multiTaskStudio.designer');

suite('try this grouping', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('writes a valid grouped experiment beside the experiment, opens it in the designer, never over an edited one', async function () {
    this.timeout(300_000);
    const uri = writeExperiment('try-grouping', 'three.mtl.json', threeTasks());
    await vscode.commands.executeCommand('multiTaskStudio.train', uri);
    const runDir = await waitFor('a completed run', completedRun, 240_000);
    const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    const groups = summary.taskAffinity?.groupings[0]?.groups;
    assert.ok(groups && groups.length === 2, 'the run proposes a grouping of its three tasks into two groups');

    const first = await tryGrouping(runDir, groups);
    assert.equal(first.problem, undefined);
    assert.ok(first.file, 'a file is written');
    assert.equal(path.dirname(first.file), path.dirname(uri.fsPath), 'beside the experiment file, so its relative data paths hold');
    assert.match(path.basename(first.file), /^three\.groups-.+\.mtl\.json$/);
    const written = fs.readFileSync(first.file, 'utf8');
    assert.deepEqual(validate(JSON.parse(written)).problems.filter((p) => p.severity === 'error'), []);
    await waitFor('the grouped experiment open in the designer', () => designerTab(first.file!));
    // The extension's own diagnostics of the opened file: no errors in the Problems panel.
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(first.file)).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), []);

    // The user edits the grouped experiment (saved to disk), then asks for the same grouping again.
    const edited = written.replace(/"epochs": 2/, '"epochs": 7');
    assert.notEqual(edited, written);
    fs.writeFileSync(first.file, edited);
    const second = await tryGrouping(runDir, groups);
    assert.equal(second.problem, undefined);
    assert.equal(second.file, first.file.replace(/\.mtl\.json$/, '-2.mtl.json'), 'a second file, named -2');
    assert.equal(fs.readFileSync(first.file, 'utf8'), edited, "the user's edit is kept");
    assert.equal(fs.readFileSync(second.file, 'utf8'), written, 'the second is the grouping as proposed');
    await waitFor('the second grouped experiment open in the designer', () => designerTab(second.file!));
  });
});
