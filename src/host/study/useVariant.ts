// "Use this variant": the variant's model, training and evaluation written into the experiment
// file the study was made from, as one WorkspaceEdit (one undo step in that file's editor).
import path from 'node:path';
import * as vscode from 'vscode';
import { useVariantOps } from '../../core/study/useVariant';
import type { StudyResult } from '../../core/study/studyTypes';
import { applyDocumentEdit } from '../designer/index';
import { parseDocument } from '../parseDocument';
import { studyExperimentPath } from './studyFolder';

/** Undefined when written (or nothing to change), else why not. */
export async function useVariant(result: StudyResult, variantId: string, studyDir: string): Promise<string | undefined> {
  const variant = result.variants.find((v) => v.variant.id === variantId)?.variant;
  if (!variant) return `the study has no variant "${variantId}".`;
  if (!variant.spec) return `"${variant.label}" has no experiment of its own to write back (it is one model per task).`;
  const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const file = studyExperimentPath(result, roots, studyDir);
  if (!file) return `the experiment ${result.experiment} was not found (moved or deleted?).`;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const parsed = parseDocument(document.getText());
  if ('error' in parsed) return `${path.basename(file)} is not valid JSON right now (${parsed.error}); fix it first.`;
  const ops = useVariantOps(parsed.doc, variant.spec);
  if (!ops.length) {
    void vscode.window.showInformationMessage(`${path.basename(file)} already is "${variant.label}".`);
    return undefined;
  }
  const problem = await applyDocumentEdit(document, ops);
  if (problem) return problem;
  void vscode.window.showInformationMessage(`${path.basename(file)} now trains "${variant.label}" (model, training and evaluation). Undo in the experiment's editor to go back.`);
  // Beside the study view, which stays in front: the user sees the result and the edit together.
  await vscode.commands.executeCommand('vscode.open', document.uri, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  return undefined;
}
