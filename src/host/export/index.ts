// "Export experiment…": the experiment (or one of its runs, with the trained weights) as a
// Keras 3 package, a Jupyter notebook with that package, or an ONNX model. Asks which run,
// which format and where; the export itself runs in a child (exportProcess.ts).
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { RUN_FILES, sanitizePathSegment } from '../../core/runLayout';
import { resolveExperiment } from '../experimentTarget';
import { parseDocument } from '../parseDocument';
import { readRunsFolder } from '../runFolders';
import { runDirArgument, runsDirOfExperiment } from '../runsLocation';
import { settings } from '../settings';
import { runExport, type ExportFormat } from './exportProcess';
import { defaultWorkspaceOfRun } from '../../node/runWorkspace';

export const EXPORT_COMMAND = 'multiTaskStudio.exportExperiment';

const FORMATS: Array<vscode.QuickPickItem & { format: ExportFormat }> = [
  { label: 'Keras 3 package', description: 'keras/', detail: 'model.py, data.py, losses, weighting as a train_step, train.py (also on several workers)', format: 'keras' },
  { label: 'Jupyter notebook', description: '.ipynb + the Keras package', detail: 'Loads the package, trains or loads the weights, plots each task\'s curves', format: 'notebook' },
  { label: 'ONNX model', description: 'model.onnx', detail: 'The trained inference graph, outputs named by task id (needs a run)', format: 'onnx' },
];

/** The source to export: a run folder given by the Runs view, else the experiment and one of its runs. */
async function pickSource(arg: unknown): Promise<{ source: string; workspaceDir: string } | undefined> {
  const runDir = runDirArgument(arg);
  if (runDir && fs.existsSync(path.join(runDir, RUN_FILES.experiment))) {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(runDir));
    return { source: runDir, workspaceDir: folder?.uri.fsPath ?? defaultWorkspaceOfRun(runDir) };
  }
  const uri = await resolveExperiment(arg, 'Experiment to export');
  if (!uri) return undefined;
  const workspaceDir = path.dirname(uri.fsPath);
  const parsed = parseDocument((await vscode.workspace.openTextDocument(uri)).getText());
  const name = 'doc' in parsed ? (parsed.doc as { name?: unknown }).name : undefined;
  const runs = typeof name === 'string'
    ? (readRunsFolder(runsDirOfExperiment(uri)).find((e) => e.name === sanitizePathSegment(name))?.runs ?? []).filter((r) => r.status === 'completed' && r.hasModel)
    : [];
  if (!runs.length) return { source: uri.fsPath, workspaceDir };
  const items = [
    ...runs.slice(0, 10).map((r, i) => ({ label: `${i === 0 ? 'Latest run' : 'Run'} ${r.id}`, description: 'with its trained weights', source: r.dir })),
    { label: 'The experiment only', description: 'no trained weights', source: uri.fsPath },
  ];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Export which run?', ignoreFocusOut: true });
  return picked && { source: picked.source, workspaceDir };
}

async function exportExperiment(context: vscode.ExtensionContext, arg: unknown): Promise<void> {
  const source = await pickSource(arg);
  if (!source) return;
  const format = await vscode.window.showQuickPick(FORMATS, { placeHolder: 'Export as', ignoreFocusOut: true });
  if (!format) return;
  const start = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(source.source))?.uri ?? vscode.Uri.file(source.workspaceDir);
  const where = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: start, openLabel: 'Export here', title: 'Export into which folder?' });
  if (!where?.[0]) return;
  const s = settings(vscode.Uri.file(source.workspaceDir));
  // Cancel stops the exporter as Ctrl+C stops `mts export`: nothing of it is put in place, an earlier export stays.
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting as ${format.label}…`, cancellable: true }, (_progress, token) => {
    const stop = new AbortController();
    token.onCancellationRequested(() => stop.abort());
    return runExport({
      cliScript: vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath, ...(s.nodePath ? { nodePath: s.nodePath } : {}),
      source: source.source, to: format.format, outDir: where[0]!.fsPath, workspaceDir: source.workspaceDir, signal: stop.signal,
    });
  });
  if (outcome.cancelled) {
    void vscode.window.showInformationMessage(`Export ${outcome.message}`);
    return;
  }
  if (!outcome.ok) {
    void vscode.window.showErrorMessage(`Export failed: ${outcome.message}`);
    return;
  }
  const notebook = outcome.files.find((f) => f.endsWith('.ipynb'));
  const pkg = outcome.files.find((f) => fs.existsSync(path.join(f, 'model.py')));
  if (notebook) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(notebook));
  else if (pkg) await vscode.window.showTextDocument(vscode.Uri.file(path.join(pkg, 'model.py')), { preview: false });
  const exported = `Exported: ${outcome.files.map((f) => vscode.workspace.asRelativePath(f)).join(', ')}`;
  if (outcome.notes?.length) void vscode.window.showWarningMessage(`${exported}. ${outcome.notes.join(' ')}`);
  else void vscode.window.showInformationMessage(exported);
}

export function registerExport(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(EXPORT_COMMAND, (arg?: unknown) => exportExperiment(context, arg)));
}
