// Registration of the designer: the custom editor for *.mtl.json, the "Open experiment
// designer" and "Choose task weighting" commands, the side panels remembered for the workspace, and the Problems panel
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
  const provider = new DesignerProvider(context.extensionUri, diagnostics, panels);
  context.subscriptions.push(
    diagnostics,
    panels,
    vscode.window.registerCustomEditorProvider(DESIGNER_VIEW_TYPE, provider, {
      supportsMultipleEditorsPerDocument: true,
      // Hidden designers are rebuilt from the document and their saved view state.
      webviewOptions: { retainContextWhenHidden: false },
    }),
    vscode.commands.registerCommand('multiTaskStudio.openDesigner', openDesigner),
    // The walkthrough's "Choose task weighting": the designer at its weighting picker, where a new user would not look.
    vscode.commands.registerCommand('multiTaskStudio.chooseWeighting', async (arg?: unknown) => {
      const target = await resolveExperiment(arg, 'Experiment whose task weighting to choose');
      if (target) await provider.goTo(target, ['training', 'weighting']);
    }),
    vscode.languages.registerCodeActionsProvider({ pattern: '**/*.mtl.json' }, new ProblemQuickFixes(diagnostics), ProblemQuickFixes.metadata),
  );
}

/** Opens the given experiment (explorer, editor title), else the active one, else one the user picks. */
async function openDesigner(arg?: unknown): Promise<void> {
  const target = await resolveExperiment(arg, 'Experiment to open in the designer');
  if (target) await vscode.commands.executeCommand('vscode.openWith', target, DESIGNER_VIEW_TYPE);
}
