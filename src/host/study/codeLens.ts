// "Run study" above a `*.mtl-study.json` (also an editor title button, package.json).
import * as vscode from 'vscode';

export const STUDY_FILE_SELECTOR: vscode.DocumentSelector = { pattern: '**/*.mtl-study.json' };

export class RunStudyCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run study', command: 'multiTaskStudio.runStudy', arguments: [document.uri], tooltip: 'Train every variant under the same repeats and compare them' }),
    ];
  }
}
