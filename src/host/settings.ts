// The extension's settings, read when needed (never cached: the user may change them).
import os from 'node:os';
import * as vscode from 'vscode';
import { memoryBudget, parseMemorySize, type MemoryBudget } from '../core/budget';
import type { BackendPreference } from '../core/protocol';

export interface Settings {
  backend: BackendPreference;
  nodePath: string;
  runsFolder: string;
  /** TensorFlow intra-op threads; 0 = automatic. */
  threads: number;
  /** multiTaskStudio.maxMemory in bytes; undefined: the default (half this machine's memory). */
  maxMemory?: number;
}

export function settings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration('multiTaskStudio', scope);
  return {
    backend: c.get<BackendPreference>('backend', 'auto'),
    nodePath: c.get<string>('nodePath', ''),
    runsFolder: c.get<string>('runsFolder', 'runs'),
    threads: c.get<number>('threads', 0),
    ...maxMemoryOf(c.get<string | number>('maxMemory', '')),
  };
}

/** "8GB", "512MB" or a number of megabytes; empty, 0 or unreadable: the default. */
function maxMemoryOf(value: string | number): { maxMemory?: number } {
  const bytes = value === '' || value === 0 ? undefined : parseMemorySize(value);
  return bytes === undefined ? {} : { maxMemory: bytes };
}

/** The budget validation refuses past (the trainer applies the same one, from the same setting). */
export function budgetOf(s: Settings): MemoryBudget {
  return memoryBudget(s.maxMemory, os.totalmem(), 'multiTaskStudio.maxMemory');
}

export function trainerScript(context: { extensionUri: vscode.Uri }): string {
  return vscode.Uri.joinPath(context.extensionUri, 'dist', 'trainer.js').fsPath;
}
