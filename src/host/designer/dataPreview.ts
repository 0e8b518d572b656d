// "Preview data" of the designer: a forked trainer loads the data of the document's current
// text with the loaders training uses, so the preview tells the truth. It runs the trainer
// process and reads the files a run would read (inside the workspace or a folder of
// multiTaskStudio.allowedDataFolders: the trainer's one rule, data/confine.ts), so like
// training it waits for workspace trust: an untrusted repository's document cannot make the
// designer read anything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { PREVIEW_NEEDS_TRUST, type DataSummaryResult } from '../../core/dataSummary';
import { allowedDataRoots } from '../dataFolders';
import { askDataSummary, type PendingSummary } from './dataSummaryProcess';
import { settings, trainerScript } from '../settings';

export class DataPreviewer implements vscode.Disposable {
  private pending?: PendingSummary;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The summary, or undefined when a newer request replaced this one. */
  async preview(document: vscode.TextDocument, doc: unknown): Promise<DataSummaryResult | undefined> {
    this.pending?.cancel();
    this.pending = undefined;
    const fail = (message: string, at?: (string | number)[]): DataSummaryResult => ({ ok: false, message, ...(at ? { path: at } : {}) });
    if (!vscode.workspace.isTrusted) return fail(PREVIEW_NEEDS_TRUST);
    // Relative data paths start at the experiment's folder; which files may be read at all is
    // the trainer's one rule (data/confine.ts) over allowedDataRoots, as for training.
    const workspaceDir = document.uri.scheme === 'file' ? path.dirname(document.uri.fsPath) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.tmpdir();
    const script = trainerScript({ extensionUri: this.extensionUri });
    if (!fs.existsSync(script)) return fail(`The trainer is missing (${script}). Build the extension (npm run build) and try again.`);
    const { nodePath, maxMemory } = settings(document.uri);
    const pending = askDataSummary({ script, cwd: workspaceDir, ...(nodePath ? { nodePath } : {}) }, { doc, workspaceDir, allowedRoots: allowedDataRoots(document.uri), ...(maxMemory !== undefined ? { maxMemory } : {}) });
    this.pending = pending;
    const result = await pending.result;
    if (this.pending !== pending) return undefined;
    this.pending = undefined;
    return result;
  }

  dispose(): void { this.pending?.cancel(); }
}
