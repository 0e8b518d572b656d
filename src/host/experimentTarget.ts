// Which experiment a command acts on: the Uri it was given (designer button, editor title,
// explorer), else the active editor or custom-editor tab showing a *.mtl.json, else the
// user picks one of the workspace's experiments.
import * as vscode from 'vscode';

export const EXPERIMENT_GLOB = '**/*.mtl.json';
const isExperiment = (uri: vscode.Uri | undefined): uri is vscode.Uri => !!uri && uri.path.endsWith('.mtl.json');

/** The experiment the user is looking at, if any. */
export function activeExperiment(): vscode.Uri | undefined {
  const editorUri = vscode.window.activeTextEditor?.document.uri;
  if (isExperiment(editorUri)) return editorUri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) {
    if (isExperiment(input.uri)) return input.uri;
  }
  return undefined;
}

/** Command argument: a Uri, or an object carrying one (tree items, explorer context). */
export function uriArgument(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const maybe = (arg as { resourceUri?: unknown; uri?: unknown } | undefined);
  if (maybe?.resourceUri instanceof vscode.Uri) return maybe.resourceUri;
  if (maybe?.uri instanceof vscode.Uri) return maybe.uri;
  return undefined;
}

export async function pickExperiment(placeHolder: string): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles(EXPERIMENT_GLOB, '**/node_modules/**', 200);
  if (files.length === 0) {
    const create = 'New experiment';
    const choice = await vscode.window.showInformationMessage('There is no *.mtl.json experiment in this workspace.', create);
    if (choice === create) await vscode.commands.executeCommand('multiTaskStudio.newExperiment');
    return undefined;
  }
  files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  const items = files.map((uri) => ({
    label: uri.path.split('/').pop() ?? uri.fsPath,
    description: vscode.workspace.asRelativePath(uri.with({ path: uri.path.replace(/\/[^/]*$/, '') }), true),
    uri,
  }));
  // ignoreFocusOut: run from a walkthrough link, the Welcome page takes the focus back as it
  // checks the step off, which closed the picker before the user could pick (seen in code-server).
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, ignoreFocusOut: true });
  return picked?.uri;
}

export async function resolveExperiment(arg: unknown, placeHolder: string): Promise<vscode.Uri | undefined> {
  const given = uriArgument(arg);
  if (isExperiment(given)) return given;
  return activeExperiment() ?? pickExperiment(placeHolder);
}
