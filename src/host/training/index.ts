// Registers the training commands, the panel serializer (panels survive a window reload)
// and the internal commands the status bar and the Runs view use to show a panel.
import * as vscode from 'vscode';
import type { TrainingViewState } from '../../core/panelProtocol';
import { TrainingController } from './controller';
import { TRAINING_VIEW_TYPE } from './panel';

export function registerTraining(context: vscode.ExtensionContext): void {
  const controller = new TrainingController(context);
  context.subscriptions.push(
    controller,
    vscode.commands.registerCommand('multiTaskStudio.train', (arg?: unknown) => controller.train(arg)),
    vscode.commands.registerCommand('multiTaskStudio.stopTraining', (arg?: unknown) => controller.stop(arg)),
    // Not in the palette: the status bar item and the Runs view call these.
    vscode.commands.registerCommand('multiTaskStudio.showTrainingPanel', (arg?: unknown) => controller.showSessionPanel(arg)),
    vscode.commands.registerCommand('multiTaskStudio.showRun', (arg?: unknown) => controller.showRun(arg)),
    vscode.window.registerWebviewPanelSerializer(TRAINING_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => controller.restore(panel, state as TrainingViewState | undefined),
    }),
  );
}
