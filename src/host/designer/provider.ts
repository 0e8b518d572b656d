// The designer as a custom text editor: the TextDocument stays the only source of truth.
// The webview gets every version of the text (parsed) and answers with JSON-path edits,
// which become one WorkspaceEdit each, so undo/redo, dirty state, save, hot exit, git diff
// and "Reopen with text editor" are VS Code's own. Several designers on one document each
// follow onDidChangeTextDocument, so they stay in sync with each other and with text edits.
// A data summary (asked for, or the automatic one for a csv/jsonl) also counts the features
// per example, and every later snapshot checks the model's inputs against that count.
import * as vscode from 'vscode';
import { knownFeatureShape } from '../../core/dataShape';
import { dataSettingsKey } from '../../core/dataSummary';
import type { DataPreview, DesignerInit, DesignerSides, DocumentSnapshot, EditOutcome, FromDesigner, ToDesigner } from '../../core/designerProtocol';
import type { EditOp, JsonPath } from '../../core/edits';
import { budgetOf, settings } from '../settings';
import { hostChannel } from '../webviewChannel';
import { DisposableStore } from '../disposables';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { DataPreviewer } from './dataPreview';
import type { DesignerPanelMemory } from './panelMemory';
import type { DesignerDiagnostics } from './diagnostics';
import { applyDocumentEdit } from './documentEdit';
import { revealPath } from './revealPath';
import { dataContextOf, snapshotOf, type DataContext } from './snapshot';

/**
 * After opening and after a change of the data settings (this long after, so typing in the
 * text does not start a trainer per key), the data of a csv/jsonl (any file) source is summarized
 * without being asked: its count of features is known only to the loaders, and an input that
 * does not fit it should show here, not when training starts. Generated sources need no
 * summary (core validate knows their count), so MNIST is not loaded on every open.
 */
const AUTO_SUMMARY_DELAY_MS = 700;

export const DESIGNER_VIEW_TYPE = 'multiTaskStudio.designer';

/** An open designer, as `goTo` finds it: a hidden webview drops posts, so only one that said `ready` since it was shown is sent one. */
interface OpenDesigner { panel: vscode.WebviewPanel; ready: boolean; post(msg: ToDesigner): void }

export class DesignerProvider implements vscode.CustomTextEditorProvider {
  /** The open designers of each document (by Uri string). */
  private readonly open = new Map<string, Set<OpenDesigner>>();
  /** A setting to show in the next designer of a document to be ready (opened or rebuilt for `goTo`). */
  private readonly pendingGoTo = new Map<string, JsonPath>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly diagnostics: DesignerDiagnostics, private readonly panels: DesignerPanelMemory) {}

  /** Opens (or brings to the front) the designer of `uri` and shows the setting at `path` in its inspector. */
  async goTo(uri: vscode.Uri, path: JsonPath): Promise<void> {
    const key = uri.toString();
    this.pendingGoTo.set(key, path);
    await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE);
    // Already open and listening: told now. Otherwise its `ready` takes the pending one.
    const shown = [...this.open.get(key) ?? []].find((o) => o.panel.active && o.ready);
    if (shown && this.pendingGoTo.delete(key)) shown.post({ type: 'goTo', path });
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = webviewOptions(this.extensionUri);
    // The handlers are defined below; no message arrives before this method returns.
    const channel = hostChannel<DesignerSides>(webview, {
      note: (msg) => onMessage(msg),
      answer: { edit: ({ ops }) => applyEdit(ops), dataPreview: () => summarize() },
    });
    const post = (msg: ToDesigner): void => channel.notify(msg);
    const key = document.uri.toString();
    const self: OpenDesigner = { panel, ready: false, post };
    const open = this.open.get(key) ?? new Set<OpenDesigner>();
    this.open.set(key, open.add(self));
    // What the last data summary found (columns, features per example, a refusal) for the data settings of its key.
    let features: DataContext | undefined;
    // One parse and validation per version of the text (and count of features), whoever asks for it.
    let last: { snapshot: DocumentSnapshot; features: DataContext | undefined } | undefined;
    const snapshot = (): DocumentSnapshot => {
      if (last?.snapshot.version !== document.version || last.features !== features) {
        last = { snapshot: snapshotOf(document.getText(), document.version, { budget: budgetOf(settings(document.uri)), ...(features ? { data: features } : {}) }), features };
      }
      return last.snapshot;
    };
    const publish = (): void => {
      const next = snapshot();
      this.diagnostics.update(document, next);
      post({ type: 'document', document: next });
    };

    const first = snapshot();
    this.diagnostics.update(document, first);
    const init: DesignerInit = { fileName: document.uri.path.split('/').pop() ?? 'experiment', trusted: vscode.workspace.isTrusted, document: first, panels: this.panels.get() };
    webview.html = webviewHtml(webview, this.extensionUri, 'designer', `Designer: ${init.fileName}`, init);

    const previewer = new DataPreviewer(this.extensionUri);
    // Kept for a webview that comes back after being hidden (messages to a hidden one are dropped).
    let lastPreview: DataPreview | undefined;
    const keep = (preview: DataPreview): DataPreview => {
      lastPreview = preview;
      const next = dataContextOf(preview.key, preview.result);
      if (next && JSON.stringify(next) !== JSON.stringify(features)) {
        features = next;
        publish();
      }
      return preview;
    };
    /** The summary of the current text; null when a newer one replaced it (that one is answered or sent). */
    const summarize = async (): Promise<DataPreview | null> => {
      const current = snapshot();
      if (!current.ok) return keep({ key: '', result: { ok: false, message: `The document is not valid JSON (line ${current.error.line + 1}): ${current.error.message}` } });
      const key = dataSettingsKey(current.doc);
      const result = await previewer.preview(document, current.doc).catch((err: unknown) => (
        // An answer even then (e.g. the trainer could not be started), not a spinner.
        { ok: false as const, message: `The data preview failed: ${err instanceof Error ? err.message : String(err)}` }));
      return result ? keep({ key, result }) : null;
    };
    let autoKey: string | undefined;
    let autoTimer: ReturnType<typeof setTimeout> | undefined;
    const autoSummary = (delayMs: number): void => {
      const current = snapshot();
      if (!current.ok || !vscode.workspace.isTrusted || !readsDataFile(current.doc)) return;
      const key = dataSettingsKey(current.doc);
      if (key === autoKey) return;
      autoKey = key;
      clearTimeout(autoTimer);
      autoTimer = setTimeout(() => void summarize().then((preview) => { if (preview) post({ type: 'dataPreview', preview }); }), delayMs);
    };
    // Edits run one after another, each on the text the previous one left.
    let queue: Promise<unknown> = Promise.resolve();
    const applyEdit = (ops: EditOp[]): Promise<EditOutcome> => {
      const done = queue.then(async (): Promise<EditOutcome> => {
        const problem = await applyDocumentEdit(document, ops).catch((error: unknown) => `unexpected error: ${String(error)}`);
        if (!problem) return { applied: true };
        post({ type: 'document', document: snapshot() });
        return { applied: false, message: problem };
      });
      queue = done;
      return done;
    };
    const onMessage = (msg: FromDesigner): void => {
      switch (msg.type) {
        case 'ready':
          post({ type: 'document', document: snapshot() });
          post({ type: 'trust', trusted: vscode.workspace.isTrusted });
          if (lastPreview) post({ type: 'dataPreview', preview: lastPreview });
          post({ type: 'panels', panels: this.panels.get() });
          self.ready = true;
          if (panel.active && this.pendingGoTo.has(key)) { post({ type: 'goTo', path: this.pendingGoTo.get(key)! }); this.pendingGoTo.delete(key); }
          break;
        case 'train':
          void vscode.commands.executeCommand('multiTaskStudio.train', document.uri);
          break;
        case 'compareSharing':
          void vscode.commands.executeCommand('multiTaskStudio.compareSharing', document.uri);
          break;
        case 'export':
          void vscode.commands.executeCommand('multiTaskStudio.exportExperiment', document.uri);
          break;
        case 'revealText':
          void revealPath(document, msg.at);
          break;
        case 'manageTrust':
          void vscode.commands.executeCommand('workbench.trust.manage');
          break;
        case 'saveAfterEdits':
          // Behind the edits already queued (messages arrive in order), and only if one made it dirty.
          queue = queue.then(() => (document.isDirty ? document.save() : undefined)).catch(() => undefined);
          break;
        case 'panels':
          void this.panels.set(msg.panels);
          break;
      }
    };

    const subscriptions = new DisposableStore();
    subscriptions.add(previewer);
    subscriptions.add(this.diagnostics.track(document.uri));
    subscriptions.add(channel);
    subscriptions.add(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== document || e.contentChanges.length === 0) return;
      publish();
      autoSummary(AUTO_SUMMARY_DELAY_MS);
    }));
    subscriptions.add(this.panels.onDidChange((panels) => post({ type: 'panels', panels })));
    subscriptions.add(vscode.workspace.onDidGrantWorkspaceTrust(() => { post({ type: 'trust', trusted: true }); autoSummary(0); }));
    subscriptions.add({ dispose: () => clearTimeout(autoTimer) });
    // Hidden, the webview is torn down (retainContextWhenHidden is off) and says `ready` again when shown.
    subscriptions.add(panel.onDidChangeViewState(() => { if (!panel.visible) self.ready = false; }));
    subscriptions.add({ dispose: () => { open.delete(self); if (!open.size) this.open.delete(key); } });
    autoSummary(0);
    panel.onDidDispose(() => subscriptions.dispose());
  }
}

/** A source read from files (csv, jsonl, ...): its count of features needs the loaders. */
function readsDataFile(doc: unknown): boolean {
  const data = typeof doc === 'object' && doc !== null ? (doc as { data?: unknown }).data : undefined;
  const source = typeof data === 'object' && data !== null ? (data as { source?: unknown }).source : undefined;
  return typeof source === 'object' && source !== null && typeof (source as { type?: unknown }).type === 'string' && knownFeatureShape(source) === undefined;
}
