// The Runs view: experiments, then their runs (newest first) with a status icon and the
// headline metrics. A run this window is training shows its phase and epoch instead.
import path from 'node:path';
import * as vscode from 'vscode';
import { describeRun, formatRunTime, type RunEntry } from '../../core/runsIndex';
import { progressText, sessions } from '../training/index';
import { studyProgressText } from '../../core/study/studyProgress';
import { studyRunLabel } from '../../core/study/studyRunLabel';
import { readRunsFolder, type ExperimentRuns, type StudyEntry } from '../runFolders';
import { allRunsDirs } from '../runsLocation';

export class ExperimentItem extends vscode.TreeItem {
  constructor(readonly experiment: ExperimentRuns, readonly runsDir: string, showFolder: boolean) {
    super(experiment.name, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `experiment:${experiment.dir}`;
    this.contextValue = 'experiment';
    this.iconPath = new vscode.ThemeIcon('beaker');
    const n = experiment.runs.length;
    const k = experiment.studies.length;
    this.description = `${n} run${n === 1 ? '' : 's'}${k ? ` · ${k} stud${k === 1 ? 'y' : 'ies'}` : ''}${showFolder ? ` · ${path.basename(path.dirname(runsDir))}` : ''}`;
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

/**
 * A study folder as one group: its name and progress; its variants' runs under it. Clicking it
 * opens the study view (the comparison), not one run.
 */
export class StudyItem extends vscode.TreeItem {
  readonly studyDir: string;

  constructor(readonly study: StudyEntry) {
    super(study.result ? `Study: ${study.result.name}` : study.id, vscode.TreeItemCollapsibleState.Collapsed);
    this.studyDir = study.dir;
    this.id = `study:${study.dir}`;
    this.contextValue = 'study';
    const status = study.result?.status;
    this.iconPath = status === 'running' ? new vscode.ThemeIcon('sync~spin') : new vscode.ThemeIcon('graph-scatter');
    this.description = study.result
      ? `${study.result.variants.length} variants · ${status === 'running' ? studyProgressText(study.result) : `${status} · ${study.result.variants.reduce((n, v) => n + v.runs.length, 0)} runs`}`
      : 'no study.json yet';
    this.tooltip = `${study.dir}\n\nClick to compare the variants (tables, Δm with 95 % intervals, trade-off chart).`;
    this.command = { title: 'Show study', command: 'multiTaskStudio.showStudy', arguments: [{ studyDir: study.dir }] };
  }
}

export class RunItem extends vscode.TreeItem {
  readonly runDir: string;

  constructor(readonly run: RunEntry, label?: string) {
    super(label ?? (run.startedAt ? formatRunTime(run.startedAt) : run.id), vscode.TreeItemCollapsibleState.None);
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

type Item = ExperimentItem | StudyItem | RunItem;

export class RunsTreeProvider implements vscode.TreeDataProvider<Item> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Coalesces bursts (a training writes several files per epoch). */
  refresh(delayMs = 300): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), delayMs);
  }

  getTreeItem(item: Item): vscode.TreeItem {
    return item;
  }

  getChildren(item?: Item): Item[] {
    if (item instanceof RunItem) return [];
    if (item instanceof StudyItem) return item.study.runs.map((r) => new RunItem(r, studyRunLabel(item.study.result, r.id)));
    if (item instanceof ExperimentItem) return [...item.experiment.studies.map((st) => new StudyItem(st)), ...item.experiment.runs.map((r) => new RunItem(r))];
    const dirs = allRunsDirs();
    return dirs.flatMap((dir) => readRunsFolder(dir).map((e) => new ExperimentItem(e, dir, dirs.length > 1)));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}
