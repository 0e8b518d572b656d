// Where runs are written: the workspace folder of the experiment + the runsFolder setting
// (an absolute setting is used as is). The trainer creates <runsDir>/<experiment>/<run>.
import path from 'node:path';
import * as vscode from 'vscode';
import { settings } from './settings';

export function runsDirOfFolder(folder: vscode.WorkspaceFolder): string {
  const configured = settings(folder.uri).runsFolder.trim() || 'runs';
  return path.isAbsolute(configured) ? configured : path.join(folder.uri.fsPath, configured);
}

/** The runs folder for an experiment file; outside any workspace folder, next to the file. */
export function runsDirOfExperiment(specUri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(specUri);
  if (folder) return runsDirOfFolder(folder);
  const configured = settings(specUri).runsFolder.trim() || 'runs';
  return path.isAbsolute(configured) ? configured : path.join(path.dirname(specUri.fsPath), configured);
}

/** Every runs folder of the open workspace (one per workspace folder, duplicates removed). */
export function allRunsDirs(): string[] {
  return [...new Set((vscode.workspace.workspaceFolders ?? []).map(runsDirOfFolder))];
}

/** The run folder a command is about: a run tree item ({ runDir }), a folder Uri or a path. */
export function runDirArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const item = arg as { runDir?: unknown } | undefined;
  return typeof item?.runDir === 'string' ? item.runDir : undefined;
}
