// The Problems panel's quick fixes for experiment documents: a problem that carries a fix
// (core Problem.fix, e.g. "Set shape to [13]" for an input the data does not fit) becomes a
// code action on its diagnostic. The fix is the same edit the designer's button sends, applied
// to the current text (formatting kept), so it is one undo step either way.
import * as vscode from 'vscode';
import type { DesignerDiagnostics } from './diagnostics';
import { workspaceEditOf } from './documentEdit';

export class ProblemQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: DesignerDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    return this.diagnostics.fixesFor(document, context.diagnostics).flatMap(({ diagnostic, fix }) => {
      const edit = workspaceEditOf(document, fix.ops);
      if (!(edit instanceof vscode.WorkspaceEdit)) return []; // not JSON right now, or already so
      const action = new vscode.CodeAction(fix.label, vscode.CodeActionKind.QuickFix);
      action.edit = edit;
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return [action];
    });
  }
}
