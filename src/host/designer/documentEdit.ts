// One designer edit -> one WorkspaceEdit: the operations are applied to the current text
// (core/edits keeps formatting), then only the span that changed is replaced, so the undo
// step and the git diff are as small as the change.
import * as vscode from 'vscode';
import { applyOpsToText, EditError, minimalReplace, type EditOp } from '../../core/edits';
import { JsonSyntaxError } from '../../core/jsonScan';

/** Applies `ops` to the document; returns why not, when they cannot be applied. */
export async function applyDocumentEdit(document: vscode.TextDocument, ops: EditOp[]): Promise<string | undefined> {
  const edit = workspaceEditOf(document, ops);
  if (typeof edit === 'string') return edit;
  if (!edit) return undefined;
  return (await vscode.workspace.applyEdit(edit)) ? undefined : 'VS Code did not apply the edit (is the file read-only?).';
}

/** `ops` on the current text as one WorkspaceEdit (undefined: nothing changes), or why they cannot be applied. */
export function workspaceEditOf(document: vscode.TextDocument, ops: readonly EditOp[]): vscode.WorkspaceEdit | string | undefined {
  const before = document.getText();
  let after: string;
  try {
    after = applyOpsToText(before, ops);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return 'the text is not valid JSON right now; fix it first.';
    if (error instanceof EditError) return `the document changed meanwhile (${error.message}).`;
    throw error;
  }
  if (after === before) return undefined;
  const r = minimalReplace(before, after);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(r.start), document.positionAt(r.end)), r.text);
  return edit;
}
