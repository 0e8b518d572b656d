// The designer as a custom text editor: the TextDocument stays the only source of truth.
// The webview gets every version of the text (parsed) and answers with JSON-path edits,
// which become one WorkspaceEdit each, so undo/redo, dirty state, save, hot exit, git diff
// and "Reopen with text editor" are VS Code's own. Several designers on one document each
// follow onDidChangeTextDocument, so they stay in sync with each other and with text edits.
import * as vscode from 'vscode';
import { dataSettingsKey } from '../../core/dataSummary';
import type { DataPreview, DesignerInit, DocumentSnapshot, FromDesigner, ToDesigner } from '../../core/designerProtocol';
import { budgetOf, settings } from '../settings';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { DataPreviewer } from './dataPreview';
import type { DesignerDiagnostics } from './diagnostics';
import { applyDocumentEdit } from './documentEdit';
import { revealPath } from './revealPath';
import { snapshotOf } from './snapshot';

export const DESIGNER_VIEW_TYPE = 'multiTaskStudio.designer';

export class DesignerProvider implements vscode.CustomTextEditorProvider {
  constructor(private readonly extensionUri: vscode.Uri, private readonly diagnostics: DesignerDiagnostics) {}

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = webviewOptions(this.extensionUri);
    const post = (msg: ToDesigner): void => { void webview.postMessage(msg); };
    // One parse and validation per version of the text, whoever asks for it.
    let last: DocumentSnapshot | undefined;
    const snapshot = (): DocumentSnapshot => (last?.version === document.version ? last : (last = snapshotOf(document.getText(), document.version, budgetOf(settings(document.uri)))));

    const first = snapshot();
    this.diagnostics.update(document, first);
    const init: DesignerInit = { fileName: document.uri.path.split('/').pop() ?? 'experiment', trusted: vscode.workspace.isTrusted, document: first };
    webview.html = webviewHtml(webview, this.extensionUri, 'designer', `Designer: ${init.fileName}`, init);

    const previewer = new DataPreviewer(this.extensionUri);
    // Kept for a webview that comes back after being hidden (messages to a hidden one are dropped).
    let lastPreview: DataPreview | undefined;
    const postPreview = (preview: DataPreview): void => { lastPreview = preview; post({ type: 'dataPreview', preview }); };
    // Edits run one after another, each on the text the previous one left.
    let queue: Promise<void> = Promise.resolve();
    const onMessage = (msg: FromDesigner): void => {
      switch (msg.type) {
        case 'ready':
          post({ type: 'document', document: snapshot() });
          post({ type: 'trust', trusted: vscode.workspace.isTrusted });
          if (lastPreview) post({ type: 'dataPreview', preview: lastPreview });
          break;
        case 'edit':
          queue = queue.then(async () => {
            const problem = await applyDocumentEdit(document, msg.ops).catch((error: unknown) => `unexpected error: ${String(error)}`);
            if (problem) {
              post({ type: 'editRejected', message: `${msg.label}: ${problem}` });
              post({ type: 'document', document: snapshot() });
            }
          });
          break;
        case 'train':
          void vscode.commands.executeCommand('multiTaskStudio.train', document.uri);
          break;
        case 'revealText':
          void revealPath(document, msg.at);
          break;
        case 'manageTrust':
          void vscode.commands.executeCommand('workbench.trust.manage');
          break;
        case 'requestDataPreview': {
          const current = snapshot();
          if (!current.ok) {
            postPreview({ key: '', result: { ok: false, message: `The document is not valid JSON (line ${current.error.line + 1}): ${current.error.message}` } });
            break;
          }
          const key = dataSettingsKey(current.doc);
          previewer.preview(document, current.doc).then((result) => {
            if (result) postPreview({ key, result });
          }, (err: unknown) => {
            // Never leave the designer waiting (e.g. the trainer could not be started).
            postPreview({ key, result: { ok: false, message: `The data preview failed: ${err instanceof Error ? err.message : String(err)}` } });
          });
          break;
        }
      }
    };

    const subscriptions: vscode.Disposable[] = [
      previewer,
      this.diagnostics.track(document.uri),
      webview.onDidReceiveMessage(onMessage),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== document || e.contentChanges.length === 0) return;
        const next = snapshot();
        this.diagnostics.update(document, next);
        post({ type: 'document', document: next });
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => post({ type: 'trust', trusted: true })),
    ];
    panel.onDidDispose(() => subscriptions.forEach((s) => s.dispose()));
  }
}
