// The training feature: registers its commands (Train, Stop, and the internal ones the
// status bar and the Runs view use to show a panel) and the panel serializer (panels survive
// a window reload). Other features import only what this file exports.
import * as vscode from 'vscode';
import type { TrainingViewState } from '../../core/panelProtocol';
import { runDirArgument } from '../runsLocation';
import { LiveTrainingPanels, SHOW_SESSION_COMMAND } from './livePanels';
import { TRAINING_VIEW_TYPE } from './panel';
import { RunFolderPanels } from './runFolderPanels';
import { sessions } from './sessions';
import { startRun } from './startRun';
import { stopRun } from './stopRun';

export { progressText } from './progressUi';
export { sessions } from './sessions';
export { checkExperiment, refuseIfUntrusted } from './checkExperiment';

export function registerTraining(context: vscode.ExtensionContext): void {
  const livePanels = new LiveTrainingPanels(context.extensionUri);
  const folderPanels = new RunFolderPanels(context.extensionUri);
  context.subscriptions.push(
    livePanels,
    folderPanels,
    sessions,
    vscode.commands.registerCommand('multiTaskStudio.train', (arg?: unknown) => startRun(context, livePanels, arg)),
    vscode.commands.registerCommand('multiTaskStudio.stopTraining', (arg?: unknown) => stopRun(arg)),
    // Not in the palette: the status bar item and the Runs view call these.
    vscode.commands.registerCommand(SHOW_SESSION_COMMAND, (arg?: unknown) => livePanels.showForArgument(arg)),
    // A run from the Runs view: its live panel if this window trains it, else rebuilt from its folder.
    vscode.commands.registerCommand('multiTaskStudio.showRun', (arg?: unknown) => {
      const runDir = runDirArgument(arg);
      if (runDir && !livePanels.showRun(runDir)) folderPanels.show(runDir);
    }),
    vscode.window.registerWebviewPanelSerializer(TRAINING_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => folderPanels.restore(panel, state as TrainingViewState | undefined),
    }),
  );
}
