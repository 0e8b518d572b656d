// Where a running training shows outside its panel: a cancellable progress notification
// (phase and epoch; Cancel stops the training), a status bar item (click: the panel), and
// one message when it ends.
import * as vscode from 'vscode';
import { phaseLabel } from '../../core/phase';
import { repeatLabel } from '../../core/repeats';
import { completionText } from '../../core/runsIndex';
import type { RunSummary } from '../../core/protocol';
import { output as outputChannel } from '../output';
import type { TrainingSession } from './session';

/** Fraction of the whole training done: phases run one after another, each `totalEpochs` long. */
export function fractionDone(session: TrainingSession): number {
  const phases = Math.max(1, session.header.phases.length);
  const { phaseIndex, epoch, totalEpochs, repeat } = session.progress;
  if (phaseIndex === 0 || totalEpochs <= 0) return 0;
  // A repeated run trains every phase once per repeat.
  const repeats = repeat?.of ?? 1;
  const before = (repeat?.index ?? 0) * phases;
  return Math.min(1, (before + (phaseIndex - 1) + epoch / totalEpochs) / (phases * repeats));
}

export function progressText(session: TrainingSession): string {
  if (session.stopping) return 'stopping after the current step…';
  const p = session.progress;
  if (!p.phase) return 'loading data…';
  const phases = session.header.phases.length;
  return `${p.repeat ? `${repeatLabel(p.repeat)} · ` : ''}${phaseLabel(p.phase)}${phases > 1 ? ` (${p.phaseIndex}/${phases})` : ''} · epoch ${Math.min(p.epoch + 1, p.totalEpochs)}/${p.totalEpochs}`;
}

export function showSessionProgress(session: TrainingSession, showPanelCommand: vscode.Command): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('multiTaskStudio.training', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Multi-Task Studio training';
  item.command = showPanelCommand;
  const update = () => {
    item.text = `$(sync~spin) ${session.label} ${Math.round(fractionDone(session) * 100)}%`;
    item.tooltip = `Training ${session.label}: ${progressText(session)}. Click to show the training panel.`;
  };
  update();
  item.show();
  const unsubscribe = session.stream.subscribe(update);

  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Training ${session.label}`, cancellable: true },
    (progress, token) => {
      token.onCancellationRequested(() => session.stop());
      let reported = 0;
      const report = () => {
        const now = fractionDone(session) * 100;
        progress.report({ message: progressText(session), increment: Math.max(0, now - reported) });
        reported = Math.max(reported, now);
      };
      report();
      const off = session.stream.subscribe((i) => {
        if (i.event.kind === 'stopping' || (i.event.kind === 'trainer' && (i.event.msg.type === 'started' || i.event.msg.type === 'epochEnd'))) report();
      });
      return session.ended.then(() => off());
    });

  void session.ended.then(() => {
    unsubscribe();
    item.dispose();
  });
  return { dispose: () => { unsubscribe(); item.dispose(); } };
}

/** The one message at the end, with the actions that make sense for how it ended. */
export async function announceEnd(session: TrainingSession, summary: RunSummary | undefined, problems: number,
  actions: { showPanel(): void; openReport(): void; openExperiment(): void }): Promise<void> {
  const name = session.label;
  const show = 'Show results';
  switch (session.endStatus) {
    case 'completed': {
      const report = 'Open report';
      const choice = await vscode.window.showInformationMessage(completionText(name, summary, session.header.tasks), show, report);
      if (choice === show) actions.showPanel();
      if (choice === report) actions.openReport();
      return;
    }
    case 'cancelled':
      void vscode.window.showInformationMessage(`${name}: training stopped. The run folder keeps what was logged.`);
      return;
    case 'invalid': {
      const open = 'Open experiment';
      const choice = await vscode.window.showErrorMessage(`${name}: the trainer found ${problems} problem${problems === 1 ? '' : 's'} in the experiment; see the training panel.`, show, open);
      if (choice === show) actions.showPanel();
      if (choice === open) actions.openExperiment();
      return;
    }
    default: {
      const output = 'Show output';
      const choice = await vscode.window.showErrorMessage(`${name}: training failed. ${lastErrorOf(session) ?? ''}`.trim(), show, output);
      if (choice === show) actions.showPanel();
      if (choice === output) outputChannel().show(true);
    }
  }
}

function lastErrorOf(session: TrainingSession): string | undefined {
  const items = session.stream.snapshot();
  for (let i = items.length - 1; i >= 0; i--) {
    const e = items[i]!.event;
    if (e.kind === 'ended' && e.message) return e.message;
    if (e.kind === 'trainer' && e.msg.type === 'error') return e.msg.message;
  }
  return undefined;
}
