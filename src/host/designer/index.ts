// Registration of the designer: the custom editor for *.mtl.json, the "Open experiment
// designer" command, the side panels remembered for the workspace, and the Problems panel
// entries of the documents it shows, with their quick fixes.
import * as vscode from 'vscode';
import { resolveExperiment } from '../experimentTarget';
import { DesignerDiagnostics } from './diagnostics';
import { DesignerPanelMemory } from './panelMemory';
import { DESIGNER_VIEW_TYPE, DesignerProvider } from './provider';
import { ProblemQuickFixes } from './quickFix';

export { applyDocumentEdit } from './documentEdit';

export function registerDesigner(context: vscode.ExtensionContext): void {
  const diagnostics = new DesignerDiagnostics();
  const panels = new DesignerPanelMemory(context.workspaceState);
  context.subscriptions.push(
    diagnostics,
    panels,
    vscode.window.registerCustomEditorProvider(DESIGNER_VIEW_TYPE, new DesignerProvider(context.extensionUri, diagnostics, panels), {
      supportsMultipleEditorsPerDocument: true,
      // Hidden designers are rebuilt from the document and their saved view state.
      webviewOptions: { retainContextWhenHidden: false },
    }),
    vscode.commands.registerCommand('multiTaskStudio.openDesigner', openDesigner),
    vscode.languages.registerCodeActionsProvider({ pattern: '**/*.mtl.json' }, new ProblemQuickFixes(diagnostics), ProblemQuickFixes.metadata),
  );
}

/** Opens the given experiment (explorer, editor title), else the active one, else one the user picks. */
async function openDesigner(arg?: unknown): Promise<void> {
  const target = await resolveExperiment(arg, 'Experiment to open in the designer');
  if (target) await vscode.commands.executeCommand('vscode.openWith', target, DESIGNER_VIEW_TYPE);
}
