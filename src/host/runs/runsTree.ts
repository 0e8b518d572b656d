// The Runs view: experiments, then their runs (newest first) with a status icon and the
// headline metrics. A run this window is training shows its phase and epoch instead.
import path from 'node:path';
import * as vscode from 'vscode';
import { describeRun, formatRunTime, type RunEntry } from '../../core/runsIndex';
import { progressText, sessions } from '../training/index';
import { readRunsFolder, type ExperimentRuns } from '../runFolders';
import { allRunsDirs } from '../runsLocation';

export class ExperimentItem extends vscode.TreeItem {
  constructor(readonly experiment: ExperimentRuns, readonly runsDir: string, showFolder: boolean) {
    super(experiment.name, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `experiment:${experiment.dir}`;
    this.contextValue = 'experiment';
    this.iconPath = new vscode.ThemeIcon('beaker');
    const n = experiment.runs.length;
    this.description = `${n} run${n === 1 ? '' : 's'}${showFolder ? ` · ${path.basename(path.dirname(runsDir))}` : ''}`;
    this.tooltip = experiment.dir;
  }
}

const STATUS_ICONS: Record<RunEntry['status'], vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('sync~spin'),
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
  unknown: new vscode.ThemeIcon('question'),
};

export class RunItem extends vscode.TreeItem {
  readonly runDir: string;

  constructor(readonly run: RunEntry) {
    super(run.startedAt ? formatRunTime(run.startedAt) : run.id, vscode.TreeItemCollapsibleState.None);
    this.runDir = run.dir;
    this.id = `run:${run.dir}`;
    const live = sessions.byRunDir(run.dir);
    const status = live?.running ? 'running' : run.status;
    this.contextValue = `run-${status}`;
    this.iconPath = STATUS_ICONS[status];
    this.description = live?.running ? progressText(live) : describeRun(run);
    this.tooltip = runTooltip(run, status);
    this.command = { title: 'Show run', command: 'multiTaskStudio.showRun', arguments: [run.dir] };
    this.accessibilityInformation = { label: `${run.experiment} run ${this.label as string}, ${status}: ${this.description}` };
  }
}

function runTooltip(run: RunEntry, status: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${run.experiment}** · run \`${run.id}\`\n\n`);
  md.appendMarkdown(`Status: ${status}${run.record?.backend ? ` · backend ${run.record.backend}` : ''}\n\n`);
  if (run.summary) {
    const p = run.summary.parameters;
    md.appendMarkdown(`${describeRun(run)}\n\n`);
    md.appendMarkdown(`Parameters: ${p.total.toLocaleString('en-US')} (shared ${p.shared.toLocaleString('en-US')}); separate models ${p.singleTaskTotal.toLocaleString('en-US')}\n\n`);
  }
  if (run.record?.error) md.appendMarkdown(`Error: ${run.record.error.message}\n\n`);
  md.appendMarkdown('Click to show its curves; right-click for the report, the diagram, the folder.');
  return md;
}

export class RunsTreeProvider implements vscode.TreeDataProvider<ExperimentItem | RunItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Coalesces bursts (a training writes several files per epoch). */
  refresh(delayMs = 300): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), delayMs);
  }

  getTreeItem(item: ExperimentItem | RunItem): vscode.TreeItem {
    return item;
  }

  getChildren(item?: ExperimentItem | RunItem): Array<ExperimentItem | RunItem> {
    if (item instanceof RunItem) return [];
    if (item instanceof ExperimentItem) return item.experiment.runs.map((r) => new RunItem(r));
    const dirs = allRunsDirs();
    return dirs.flatMap((dir) => readRunsFolder(dir).map((e) => new ExperimentItem(e, dir, dirs.length > 1)));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}
