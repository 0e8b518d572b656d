// The training commands and panels: Train (checks, one training per experiment, fork),
// Stop, the panel of a session or of a run folder, and panels restored after a reload.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TrainingViewState } from '../../core/panelProtocol';
import type { RunStatus, RunSummary } from '../../core/protocol';
import { RUN_FILES } from '../../core/runLayout';
import { allowedDataRoots } from '../dataFolders';
import { output } from '../output';
import { endRunOfDeadTrainer } from './endRun';
import { runDirArgument, runsDirOfExperiment } from '../runsLocation';
import { settings, trainerScript } from '../settings';
import { forkTrainer } from '../trainerProcess';
import { checkExperiment, refuseIfUntrusted } from './checkExperiment';
import { resolveExperiment } from '../experimentTarget';
import { TrainingPanel, type PanelActions } from './panel';
import { announceEnd, progressText, showSessionProgress } from './progressUi';
import { readRunFolderFiles, runFolderEvents } from './runFolderStream';
import { TrainingSession } from './session';
import { sessions } from './sessions';
import { SessionStream } from './sessionStream';
import { headerFromSpec } from './startInfo';

const SHOW_SESSION_COMMAND = 'multiTaskStudio.showTrainingPanel';

function readRunStatus(runDir: string): RunStatus | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.run), 'utf8')) as { status?: RunStatus }).status;
  } catch {
    return undefined;
  }
}

interface FolderPanel { panel: TrainingPanel; watcher?: vscode.Disposable }

export class TrainingController implements vscode.Disposable {
  /** One panel per experiment for its live trainings (a new training reuses it). */
  private readonly livePanels = new Map<string, { panel: TrainingPanel; session: TrainingSession }>();
  /** Panels of run folders (Runs view, restored after a reload), by run folder. */
  private readonly folderPanels = new Map<string, FolderPanel>();

  constructor(private readonly context: vscode.ExtensionContext) {}

  async train(arg: unknown): Promise<void> {
    if (await refuseIfUntrusted()) return;
    const uri = await resolveExperiment(arg, 'Which experiment do you want to train?');
    if (!uri) return;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Save the experiment as a file in the workspace first: the trainer reads it from disk.');
      return;
    }
    if (await this.refuseIfRunning(uri)) return;
    const checked = await checkExperiment(uri);
    if (!checked || (await this.refuseIfRunning(uri))) return;

    const script = trainerScript(this.context);
    if (!fs.existsSync(script)) {
      void vscode.window.showErrorMessage(`The trainer is missing (${script}). Build the extension (npm run build) and try again.`);
      return;
    }
    const s = settings(uri);
    const specPath = uri.fsPath;
    const workspaceDir = path.dirname(specPath);
    const header = headerFromSpec(checked.spec, specPath);
    const out = output();
    for (const w of checked.warnings) out.appendLine(`[${header.experiment}] warning: ${w.path.join('.')}: ${w.message}`);
    // fork() runs in start(), after the session exists: stderr lines go to it.
    const session: TrainingSession = new TrainingSession({
      header,
      start: { type: 'start', doc: checked.doc, specPath, workspaceDir, allowedRoots: allowedDataRoots(uri), runsDir: runsDirOfExperiment(uri), backend: s.backend,
        ...(Number.isInteger(s.threads) && s.threads > 0 ? { threads: s.threads } : {}),
        ...(s.maxMemory !== undefined ? { maxMemory: s.maxMemory } : {}) },
      fork: () => forkTrainer({ script, ...(s.nodePath ? { nodePath: s.nodePath } : {}), cwd: workspaceDir, onStderr: (line) => session.stderr(line) }),
      log: (line) => out.appendLine(line),
      readRunStatus,
      endRun: (runDir, pid, status, message) => {
        if (endRunOfDeadTrainer(runDir, pid, status, message)) out.appendLine(`[${session.label}] run.json of ${runDir} marked ${status}: ${message}`);
      },
    });
    sessions.set(uri, session);
    this.showSession(session, uri);
    // The Runs view shows the new run folder and the session's phase and epoch.
    session.stream.subscribe((i) => {
      if (i.event.kind === 'stopping' || (i.event.kind === 'trainer' && (i.event.msg.type === 'started' || i.event.msg.type === 'epochEnd'))) sessions.fireChanged(session);
    });
    // The notification and the status bar item go away by themselves when the session ends.
    showSessionProgress(session, { title: 'Show training panel', command: SHOW_SESSION_COMMAND, arguments: [uri] });
    session.start();
    void session.ended.then(() => this.onEnded(session, uri));
  }

  private async refuseIfRunning(uri: vscode.Uri): Promise<boolean> {
    const current = sessions.get(uri);
    if (!current?.running) return false;
    const stop = 'Stop training';
    const show = 'Show progress';
    const choice = await vscode.window.showWarningMessage(`${current.label} is already training (${progressText(current)}). One training per experiment at a time.`, stop, show);
    if (choice === stop) current.stop();
    if (choice === show) this.showSession(current, uri);
    return true;
  }

  private onEnded(session: TrainingSession, uri: vscode.Uri): void {
    sessions.fireChanged(session);
    let summary: RunSummary | undefined;
    let problems = 0;
    for (const { event } of session.stream.snapshot()) {
      if (event.kind !== 'trainer') continue;
      if (event.msg.type === 'done') summary = event.msg.summary;
      if (event.msg.type === 'problems') problems = event.msg.problems.filter((p) => p.severity === 'error').length;
    }
    void announceEnd(session, summary, problems, {
      showPanel: () => this.showSession(session, uri),
      openReport: () => { if (session.runDir) void vscode.commands.executeCommand('multiTaskStudio.openReport', vscode.Uri.file(session.runDir)); },
      openExperiment: () => void vscode.commands.executeCommand('vscode.open', uri),
    });
  }

  async stop(arg: unknown): Promise<void> {
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
          { placeHolder: 'Which training do you want to stop?' });
        target = picked?.session;
      }
    }
    target?.stop();
  }

  private sessionActions(session: TrainingSession): PanelActions {
    return { stop: () => session.stop(), runDir: () => session.runDir, specPath: () => session.header.specPath };
  }

  /** The panel of a session: the experiment's live panel, reused for its newest training. */
  showSession(session: TrainingSession, uri: vscode.Uri): void {
    const key = uri.toString();
    const entry = this.livePanels.get(key);
    if (entry && !entry.panel.isDisposed) {
      if (entry.session !== session) {
        entry.panel.attach(session.stream, this.sessionActions(session), `Training: ${session.label}`);
        entry.session = session;
      }
      entry.panel.reveal();
      return;
    }
    const panel = TrainingPanel.create(this.context.extensionUri, `Training: ${session.label}`);
    panel.attach(session.stream, this.sessionActions(session), `Training: ${session.label}`);
    this.livePanels.set(key, { panel, session });
    panel.onDidDispose(() => { if (this.livePanels.get(key)?.panel === panel) this.livePanels.delete(key); });
  }

  /** Status bar: the panel of the experiment's session. */
  showSessionPanel(arg: unknown): void {
    const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : undefined;
    const session = uri ? sessions.get(uri) : sessions.running()[0];
    if (session && uri) this.showSession(session, uri);
  }

  /** A run from the Runs view: its live panel if this window trains it, else rebuilt from the folder. */
  showRun(arg: unknown): void {
    const runDir = runDirArgument(arg);
    if (!runDir) return;
    for (const [key, entry] of this.livePanels) {
      if (entry.session.runDir === runDir && !entry.panel.isDisposed) return this.showSession(entry.session, vscode.Uri.parse(key));
    }
    const live = sessions.byRunDir(runDir);
    if (live?.header.specPath) return this.showSession(live, vscode.Uri.file(live.header.specPath));
    const existing = this.folderPanels.get(runDir);
    if (existing && !existing.panel.isDisposed) {
      this.refreshFolder(runDir);
      existing.panel.reveal();
      return;
    }
    this.openFolderPanel(TrainingPanel.create(this.context.extensionUri, this.folderTitle(runDir), vscode.ViewColumn.Active), runDir);
  }

  /** WebviewPanelSerializer: a panel from before a window reload, rebuilt from its run folder. */
  restore(webviewPanel: vscode.WebviewPanel, state: TrainingViewState | undefined): void {
    const runDir = state?.runDir;
    const panel = new TrainingPanel(webviewPanel, this.context.extensionUri);
    if (!runDir || !fs.existsSync(runDir)) {
      // Nothing to rebuild from (the run never started, or its folder was deleted).
      panel.dispose();
      return;
    }
    this.openFolderPanel(panel, runDir);
  }

  private folderTitle(runDir: string): string {
    return `Run ${path.basename(runDir).replace(/^(\d{8}-\d{6}).*$/, '$1')}: ${path.basename(path.dirname(runDir))}`;
  }

  private openFolderPanel(panel: TrainingPanel, runDir: string): void {
    const entry: FolderPanel = { panel };
    this.folderPanels.set(runDir, entry);
    this.refreshFolder(runDir);
    // A run another window (or the CLI) is still writing: follow its files.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runDir), '*.{json,jsonl}'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => { clearTimeout(timer); timer = setTimeout(() => this.refreshFolder(runDir), 700); };
    watcher.onDidChange(later);
    watcher.onDidCreate(later);
    entry.watcher = watcher;
    panel.onDidDispose(() => {
      clearTimeout(timer);
      watcher.dispose();
      if (this.folderPanels.get(runDir) === entry) this.folderPanels.delete(runDir);
    });
  }

  private refreshFolder(runDir: string): void {
    const entry = this.folderPanels.get(runDir);
    if (!entry || entry.panel.isDisposed) return;
    const files = readRunFolderFiles(runDir);
    const stream = new SessionStream();
    for (const e of runFolderEvents(files)) stream.append(e);
    entry.panel.attach(stream, { stop: () => undefined, runDir: () => runDir, specPath: () => undefined }, this.folderTitle(runDir));
  }

  dispose(): void {
    for (const { panel } of this.livePanels.values()) panel.dispose();
    for (const { panel, watcher } of this.folderPanels.values()) { watcher?.dispose(); panel.dispose(); }
    for (const s of sessions.all()) s.dispose();
  }
}
