// "Show environment": which TensorFlow.js backend the trainer loads here, with versions
// and threads. Asked of a forked trainer, so the extension host itself never loads tfjs.
import * as vscode from 'vscode';
import { forkTrainer } from '../trainerProcess';
import { output } from '../output';
import { settings, trainerScript } from '../settings';

export function registerEnvironment(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('multiTaskStudio.showEnvironment', () => showEnvironment(context)));
}

async function showEnvironment(context: vscode.ExtensionContext): Promise<void> {
  const out = output();
  const s = settings();
  out.show(true);
  out.appendLine(`Checking the trainer environment (backend preference: ${s.backend}) ...`);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Multi-Task Studio: checking TensorFlow backend' }, async () => {
    const trainer = forkTrainer({ script: trainerScript(context), nodePath: s.nodePath, onStderr: (line) => out.appendLine(`  [trainer] ${line}`) });
    let answered = false;
    trainer.onMessage((msg) => {
      if (msg.type === 'info') {
        answered = true;
        for (const line of msg.lines) out.appendLine(`  ${line}`);
      } else if (msg.type === 'error') {
        answered = true;
        out.appendLine(`  error: ${msg.message}`);
        void vscode.window.showErrorMessage(`Multi-Task Studio: ${msg.message}`);
      }
    });
    trainer.send({ type: 'info', backend: s.backend, ...(s.threads > 0 ? { threads: s.threads } : {}) });
    const timer = setTimeout(() => trainer.kill(), 120_000);
    const { code, signal } = await trainer.exited;
    clearTimeout(timer);
    if (!answered) out.appendLine(`  the trainer exited without an answer (code ${code}, signal ${signal}); see the lines above`);
    out.appendLine(`  runtime: ${s.nodePath || `VS Code's own (${process.execPath})`}`);
    if (!(s.threads > 0)) out.appendLine('  threads setting: automatic (a run of a small model uses one TensorFlow thread)');
  });
}
