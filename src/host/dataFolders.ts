// The folders the trainer may read an experiment's data from (the trainer enforces it:
// src/trainer/data/confine.ts): the workspace folder that holds the experiment (else the
// experiment's own folder) and the folders of multiTaskStudio.allowedDataFolders. That setting
// has machine scope, so a repository's .vscode/settings.json cannot widen it.
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';

export function allowedDataRoots(experiment: vscode.Uri): string[] {
  const folder = vscode.workspace.getWorkspaceFolder(experiment);
  const workspace = folder?.uri.scheme === 'file' ? folder.uri.fsPath
    : experiment.scheme === 'file' ? path.dirname(experiment.fsPath)
      : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const extra = vscode.workspace.getConfiguration('multiTaskStudio').get<string[]>('allowedDataFolders', [])
    .filter((f): f is string => typeof f === 'string' && f.trim() !== '')
    .map((f) => (f === '~' || f.startsWith('~/') ? path.join(os.homedir(), f.slice(1)) : f))
    .map((f) => path.resolve(workspace ?? os.homedir(), f));
  return [...(workspace ? [workspace] : []), ...extra];
}
