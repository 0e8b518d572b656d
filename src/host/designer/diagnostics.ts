// The Problems panel entries of experiment documents open in the designer: every problem
// of core `validate` (found once per version, by snapshotOf) at the text of its JSON path, or one entry where the text stops being
// JSON. Kept while at least one designer shows the document. A problem's fix stays beside its
// entry, for the quick fix of the Problems panel (quickFix.ts).
import * as vscode from 'vscode';
import type { DocumentSnapshot } from '../../core/designerProtocol';
import type { ProblemFix } from '../../core/spec';
import { formatPath } from '../../core/wording';
import { JsonIndex } from '../../core/jsonPath';
import { problemRange } from './problemRange';

export class DesignerDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('multiTaskStudio.designer');
  private readonly viewers = new Map<string, number>();
  private readonly fixes = new Map<string, { diagnostic: vscode.Diagnostic; fix: ProblemFix }[]>();

  /** A designer opened `uri`; the returned disposable says it closed. */
  track(uri: vscode.Uri): vscode.Disposable {
    const key = uri.toString();
    this.viewers.set(key, (this.viewers.get(key) ?? 0) + 1);
    return new vscode.Disposable(() => {
      const left = (this.viewers.get(key) ?? 1) - 1;
      if (left > 0) this.viewers.set(key, left);
      else { this.viewers.delete(key); this.collection.delete(uri); this.fixes.delete(key); }
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
      this.fixes.delete(document.uri.toString());
      return;
    }
    const index = new JsonIndex(text);
    const fixes: { diagnostic: vscode.Diagnostic; fix: ProblemFix }[] = [];
    const diagnostics = snapshot.problems.map((p) => {
      const r = problemRange(index, p.path);
      const d = new vscode.Diagnostic(range(r.start, r.end), p.message,
        p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = 'Multi-Task Studio';
      d.code = formatPath(p.path);
      if (p.fix) fixes.push({ diagnostic: d, fix: p.fix });
      return d;
    });
    this.collection.set(document.uri, diagnostics);
    this.fixes.set(document.uri.toString(), fixes);
  }

  /** The fixes of those of `diagnostics` (as VS Code hands them back) that are this document's entries. */
  fixesFor(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): { diagnostic: vscode.Diagnostic; fix: ProblemFix }[] {
    const known = this.fixes.get(document.uri.toString()) ?? [];
    // VS Code may pass copies: an entry is the same when its place, message and code are.
    const same = (a: vscode.Diagnostic, b: vscode.Diagnostic): boolean => a.range.isEqual(b.range) && a.message === b.message && String(a.code) === String(b.code);
    return diagnostics.flatMap((d) => known.filter((k) => same(k.diagnostic, d)).map((k) => ({ diagnostic: d, fix: k.fix })));
  }

  dispose(): void { this.collection.dispose(); }
}
