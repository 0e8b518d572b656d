// "Stop training": the session of the experiment or run folder it was given, else the one
// running, else the one the user picks among those running.
import * as vscode from 'vscode';
import { runDirArgument } from '../runsLocation';
import { progressText } from './progressUi';
import { sessions } from './sessions';

export async function stopRun(arg: unknown): Promise<void> {
  const running = sessions.running();
  const runDir = runDirArgument(arg);
  const uri = arg instanceof vscode.Uri && arg.path.endsWith('.mtl.json') ? arg : undefined;
  let target = uri ? sessions.get(uri) : runDir ? sessions.byRunDir(runDir) : undefined;
  if (!target) {
    if (running.length === 0) {
      void vscode.window.showInformationMessage('No training is running.');
      return;
    }
    if (running.length === 1) target = running[0];
    else {
      const picked = await vscode.window.showQuickPick(running.map((s) => ({ label: s.label, description: progressText(s), session: s })),
        { placeHolder: 'Which training do you want to stop?', ignoreFocusOut: true });
      target = picked?.session;
    }
  }
  target?.stop();
}
