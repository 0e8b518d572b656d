// The trainings of this window, one per experiment at a time. The Runs view listens to
// onDidChange (a run folder appears when a session starts, its status changes when it ends).
import * as vscode from 'vscode';
import type { TrainingSession } from './session';

class Sessions implements vscode.Disposable {
  private readonly byExperiment = new Map<string, TrainingSession>();
  private readonly changed = new vscode.EventEmitter<TrainingSession>();
  readonly onDidChange = this.changed.event;

  /** The session of an experiment file (running or the last one that ended). */
  get(specUri: vscode.Uri): TrainingSession | undefined {
    return this.byExperiment.get(specUri.toString());
  }

  set(specUri: vscode.Uri, session: TrainingSession): void {
    this.byExperiment.set(specUri.toString(), session);
    this.changed.fire(session);
  }

  fireChanged(session: TrainingSession): void {
    this.changed.fire(session);
  }

  running(): TrainingSession[] {
    return [...this.byExperiment.values()].filter((s) => s.running);
  }

  byRunDir(runDir: string): TrainingSession | undefined {
    return [...this.byExperiment.values()].find((s) => s.runDir === runDir);
  }

  /** The window closes: every session lets its trainer go. */
  dispose(): void {
    for (const s of this.byExperiment.values()) s.dispose();
  }
}

export const sessions = new Sessions();
