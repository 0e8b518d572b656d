// "Preview data" of the designer: a forked trainer loads the data of the document's current
// text with the loaders training uses, so the preview tells the truth. It runs the trainer
// process and reads the files a run would read (a data folder linked in, ../datasets), so
// like training it waits for workspace trust: an untrusted repository's document cannot make
// the designer read anything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { PREVIEW_NEEDS_TRUST, type DataSummaryResult } from '../../core/dataSummary';
import { askDataSummary, type PendingSummary } from '../dataSummaryProcess';
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
    const source = dataSource(doc);
    const tabular = (source?.type === 'csv' || source?.type === 'jsonl') && typeof source.path === 'string' && source.path.trim() !== '' ? source.path : undefined;
    let workspaceDir: string;
    if (document.uri.scheme === 'file') workspaceDir = path.dirname(document.uri.fsPath);
    else if (tabular !== undefined) return fail('Save the experiment as a file in the workspace first: its data file is found relative to it.');
    else workspaceDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.tmpdir();
    const script = trainerScript({ extensionUri: this.extensionUri });
    if (!fs.existsSync(script)) return fail(`The trainer is missing (${script}). Build the extension (npm run build) and try again.`);
    const { nodePath, maxMemory } = settings(document.uri);
    const pending = askDataSummary({ script, cwd: workspaceDir, ...(nodePath ? { nodePath } : {}) }, { doc, workspaceDir, ...(maxMemory !== undefined ? { maxMemory } : {}) });
    this.pending = pending;
    const result = await pending.result;
    if (this.pending !== pending) return undefined;
    this.pending = undefined;
    return result;
  }

  dispose(): void { this.pending?.cancel(); }
}

function dataSource(doc: unknown): { type?: unknown; path?: unknown } | undefined {
  const data = typeof doc === 'object' && doc !== null ? (doc as { data?: unknown }).data : undefined;
  const source = typeof data === 'object' && data !== null ? (data as { source?: unknown }).source : undefined;
  return typeof source === 'object' && source !== null ? source : undefined;
}
