// The extension's settings, read when needed (never cached: the user may change them).
import * as vscode from 'vscode';
import type { BackendPreference } from '../core/protocol';

export interface Settings {
  backend: BackendPreference;
  nodePath: string;
  runsFolder: string;
  /** TensorFlow intra-op threads; 0 = automatic. */
  threads: number;
}

export function settings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration('multiTaskStudio', scope);
  return {
    backend: c.get<BackendPreference>('backend', 'auto'),
    nodePath: c.get<string>('nodePath', ''),
    runsFolder: c.get<string>('runsFolder', 'runs'),
    threads: c.get<number>('threads', 0),
  };
}

export function trainerScript(context: { extensionUri: vscode.Uri }): string {
  return vscode.Uri.joinPath(context.extensionUri, 'dist', 'trainer.js').fsPath;
}
