// The panels of this window's trainings: one per experiment, reused for its newest training,
// so a second run of an experiment replaces the curves of the first in the same place.
import * as vscode from 'vscode';
import { TrainingPanel, type PanelActions } from './panel';
import type { TrainingSession } from './session';
import { sessions } from './sessions';

/** Internal command (status bar, notification): the panel of an experiment's session. */
export const SHOW_SESSION_COMMAND = 'multiTaskStudio.showTrainingPanel';

const actionsOf = (session: TrainingSession): PanelActions =>
  ({ stop: () => session.stop(), runDir: () => session.runDir, specPath: () => session.header.specPath });

export class LiveTrainingPanels implements vscode.Disposable {
  /** By experiment Uri: its panel and the session it shows. */
  private readonly panels = new Map<string, { panel: TrainingPanel; session: TrainingSession }>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The panel of a session: the experiment's panel, reused for its newest training. */
  show(session: TrainingSession, uri: vscode.Uri): void {
    const key = uri.toString();
    const title = `Training: ${session.label}`;
    const entry = this.panels.get(key);
    if (entry && !entry.panel.isDisposed) {
      if (entry.session !== session) {
        entry.panel.attach(session.stream, actionsOf(session), title);
        entry.session = session;
      }
      entry.panel.reveal();
      return;
    }
    const panel = TrainingPanel.create(this.extensionUri, title);
    panel.attach(session.stream, actionsOf(session), title);
    this.panels.set(key, { panel, session });
    panel.onDidDispose(() => { if (this.panels.get(key)?.panel === panel) this.panels.delete(key); });
  }

  /** SHOW_SESSION_COMMAND: the experiment it names, else the first running session. */
  showForArgument(arg: unknown): void {
    const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : undefined;
    const session = uri ? sessions.get(uri) : sessions.running()[0];
    if (session && uri) this.show(session, uri);
  }

  /** A run this window trains (or trained): its live panel; false when it is not one of ours. */
  showRun(runDir: string): boolean {
    for (const [key, entry] of this.panels) {
      if (entry.session.runDir === runDir && !entry.panel.isDisposed) {
        this.show(entry.session, vscode.Uri.parse(key));
        return true;
      }
    }
    const live = sessions.byRunDir(runDir);
    if (!live?.header.specPath) return false;
    this.show(live, vscode.Uri.file(live.header.specPath));
    return true;
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
