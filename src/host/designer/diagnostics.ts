// The Problems panel entries of experiment documents open in the designer: every problem
// of core `validate` (found once per version, by snapshotOf) at the text of its JSON path, or one entry where the text stops being
// JSON. Kept while at least one designer shows the document.
import * as vscode from 'vscode';
import type { DocumentSnapshot } from '../../core/designerProtocol';
import { formatPath } from '../../core/wording';
import { JsonIndex } from '../../core/jsonPath';
import { problemRange } from './problemRange';

export class DesignerDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('multiTaskStudio.designer');
  private readonly viewers = new Map<string, number>();

  /** A designer opened `uri`; the returned disposable says it closed. */
  track(uri: vscode.Uri): vscode.Disposable {
    const key = uri.toString();
    this.viewers.set(key, (this.viewers.get(key) ?? 0) + 1);
    return new vscode.Disposable(() => {
      const left = (this.viewers.get(key) ?? 1) - 1;
      if (left > 0) this.viewers.set(key, left);
      else { this.viewers.delete(key); this.collection.delete(uri); }
    });
  }

  update(document: vscode.TextDocument, snapshot: DocumentSnapshot): void {
    const text = document.getText();
    const range = (start: number, end: number): vscode.Range => new vscode.Range(document.positionAt(start), document.positionAt(end));
    if (!snapshot.ok) {
      const { offset, message } = snapshot.error;
      const d = new vscode.Diagnostic(range(offset, Math.min(offset + 1, text.length)), `Not valid JSON: ${message}`, vscode.DiagnosticSeverity.Error);
      d.source = 'Multi-Task Studio';
      this.collection.set(document.uri, [d]);
      return;
    }
    const index = new JsonIndex(text);
    const diagnostics = snapshot.problems.map((p) => {
      const r = problemRange(index, p.path);
      const d = new vscode.Diagnostic(range(r.start, r.end), p.message,
        p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = 'Multi-Task Studio';
      d.code = formatPath(p.path);
      return d;
    });
    this.collection.set(document.uri, diagnostics);
  }

  dispose(): void { this.collection.dispose(); }
}
