// The designer's side panels (palette, inspector) as the user last left them, for the whole
// workspace: a user who hides the palette to give the canvas room wants it hidden in the next
// experiment too, not only in the editor where it was hidden (a webview's own state is per
// editor). Kept in workspaceState; every open designer follows a change made in any of them.
import * as vscode from 'vscode';
import { panelsOf, samePanels, type DesignerPanels } from '../../core/designerProtocol';

const KEY = 'multiTaskStudio.designer.panels';

export class DesignerPanelMemory implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DesignerPanels>();
  /** Fired after a designer changed the panels, with the new value. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  get(): DesignerPanels {
    return panelsOf(this.state.get(KEY));
  }

  async set(panels: DesignerPanels): Promise<void> {
    const next = panelsOf(panels);
    if (samePanels(this.get(), next)) return;
    await this.state.update(KEY, next);
    this.changed.fire(next);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
