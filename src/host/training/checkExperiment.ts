// Everything that must hold before a training starts, each refusal said where the user is:
// a trusted workspace, the saved file (offer to save), valid JSON, no validation errors.
import * as vscode from 'vscode';
import type { ExperimentSpec, Problem } from '../../core/spec';
import { validate } from '../../core/validate';
import { budgetOf, settings } from '../settings';
import { formatPath } from '../../core/wording';
import { parseDocument } from '../parseDocument';

export interface CheckedExperiment {
  uri: vscode.Uri;
  doc: unknown;
  spec: ExperimentSpec;
  warnings: Problem[];
}

const fileName = (uri: vscode.Uri): string => uri.path.split('/').pop() ?? uri.fsPath;

export async function refuseIfUntrusted(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return false;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showErrorMessage(
    'Training is disabled in Restricted Mode: it runs code from this workspace\'s data settings and writes run folders into it. Trust the workspace to train.',
    manage);
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return true;
}

async function offerToOpen(uri: vscode.Uri, message: string, withProblems: boolean): Promise<void> {
  const open = 'Open experiment';
  const problems = 'Show Problems';
  const choice = await vscode.window.showErrorMessage(message, ...(withProblems ? [open, problems] : [open]));
  if (choice === open) await vscode.commands.executeCommand('vscode.open', uri);
  if (choice === problems) await vscode.commands.executeCommand('workbench.actions.view.problems');
}

/** The saved, valid experiment at `uri`, or undefined after telling the user why not. */
export async function checkExperiment(uri: vscode.Uri): Promise<CheckedExperiment | undefined> {
  const name = fileName(uri);
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(uri);
  } catch (err) {
    void vscode.window.showErrorMessage(`Cannot read ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  if (document.isDirty) {
    const save = 'Save and train';
    const choice = await vscode.window.showWarningMessage(`${name} has unsaved changes.`,
      { modal: true, detail: 'Training reads the file from disk and records it in the run folder, so it trains the saved version.' }, save);
    if (choice !== save) return undefined;
    if (!(await document.save())) {
      void vscode.window.showErrorMessage(`${name} could not be saved; training did not start.`);
      return undefined;
    }
  }
  const parsed = parseDocument(document.getText());
  if ('error' in parsed) {
    await offerToOpen(uri, `Cannot train ${name}: it is not valid JSON (${parsed.error}).`, false);
    return undefined;
  }
  const { spec, problems } = validate(parsed.doc, { budget: budgetOf(settings(uri)) });
  const errors = problems.filter((p) => p.severity === 'error');
  if (!spec || errors.length) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    await offerToOpen(uri, `Cannot train ${name}: ${first ? `${formatPath(first.path)}: ${first.message.replace(/\.$/, '')}` : 'the document is not a valid experiment'}${more}. Fix the problems, then train again.`, true);
    return undefined;
  }
  return { uri, doc: parsed.doc, spec, warnings: problems.filter((p) => p.severity === 'warning') };
}
