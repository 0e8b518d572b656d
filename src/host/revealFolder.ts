// Shows a folder to the user (a run, a study): the Explorer works everywhere (remote, browser),
// the OS file manager only on a local desktop, so the Explorer when the folder is in the workspace.
import * as vscode from 'vscode';

export async function revealFolder(dir: string): Promise<void> {
  const uri = vscode.Uri.file(dir);
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}
