// "Show in text": the document in a text editor beside the designer, with the value at a
// JSON path (or the spot where the text stops being JSON) selected.
import * as vscode from 'vscode';
import type { JsonPath } from '../../core/edits';
import { problemRange } from './problemRange';

export async function revealPath(document: vscode.TextDocument, at: { path: JsonPath } | { offset: number }): Promise<void> {
  const r = 'path' in at ? problemRange(document.getText(), at.path) : { start: at.offset, end: at.offset };
  const selection = new vscode.Range(document.positionAt(r.start), document.positionAt(r.end));
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection, preserveFocus: false });
}
