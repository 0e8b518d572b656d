// Studies in VS Code: "Compare sharing strategies…" (writes a study file and runs it), "Run study"
// on a `*.mtl-study.json` (command, CodeLens, editor title), and the study view of a study folder
// (from the Runs view's study group, or live while this window runs the study).
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { StudyViewState } from '../../core/study/studyPanelProtocol';
import { STUDY_FILES } from '../../core/study/studyTypes';
import { runDirArgument } from '../runsLocation';
import { uriArgument } from '../experimentTarget';
import { RunStudyCodeLens, STUDY_FILE_SELECTOR } from './codeLens';
import { compareSharing } from './compareSharing';
import { runStudyFile, type StudyViews } from './runStudy';
import { STUDY_VIEW_TYPE, StudyPanel } from './studyPanel';
import type { StudyRun } from './studyRun';
import { runOfStudyDir, studyPanels, studyRuns } from './studyRuns';

function track(panel: StudyPanel): StudyPanel {
  studyPanels.set(panel.studyDir, panel);
  panel.panel.onDidDispose(() => { if (studyPanels.get(panel.studyDir) === panel) studyPanels.delete(panel.studyDir); });
  return panel;
}

function views(context: vscode.ExtensionContext): StudyViews {
  return {
    show: (studyDir: string, run?: StudyRun) => {
      const existing = studyPanels.get(studyDir);
      const panel = existing && !existing.isDisposed ? existing : track(StudyPanel.create(context.extensionUri, studyDir));
      const live = run ?? runOfStudyDir(studyDir);
      if (live) panel.follow(live);
      panel.panel.reveal();
      panel.load();
    },
  };
}

/** A study folder from a command argument: a tree item or Uri of the folder, or of its study.json. */
function studyDirArgument(arg: unknown): string | undefined {
  const dir = (arg as { studyDir?: unknown } | undefined)?.studyDir;
  if (typeof dir === 'string') return dir;
  const given = runDirArgument(arg) ?? uriArgument(arg)?.fsPath;
  if (!given) return undefined;
  return path.basename(given) === STUDY_FILES.result ? path.dirname(given) : given;
}

async function studyFileArgument(arg: unknown): Promise<vscode.Uri | undefined> {
  const given = uriArgument(arg) ?? vscode.window.activeTextEditor?.document.uri;
  if (given?.path.endsWith('.mtl-study.json')) return given;
  const files = await vscode.workspace.findFiles('**/*.mtl-study.json', '**/node_modules/**', 200);
  if (!files.length) {
    void vscode.window.showInformationMessage('There is no *.mtl-study.json in this workspace. Run "Compare sharing strategies…" on an experiment to make one.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(files.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Run which study?', ignoreFocusOut: true });
  return picked?.uri;
}

export function registerStudies(context: vscode.ExtensionContext): void {
  const v = views(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('multiTaskStudio.compareSharing', async (arg?: unknown) => {
      const file = await compareSharing(arg);
      if (file) {
        await vscode.window.showTextDocument(file, { preview: false, preserveFocus: true });
        await runStudyFile(context, v, file);
      }
    }),
    vscode.commands.registerCommand('multiTaskStudio.runStudy', async (arg?: unknown) => {
      const file = await studyFileArgument(arg);
      if (file) await runStudyFile(context, v, file);
    }),
    vscode.commands.registerCommand('multiTaskStudio.showStudy', (arg?: unknown) => {
      const studyDir = studyDirArgument(arg);
      if (!studyDir || !fs.existsSync(studyDir)) {
        void vscode.window.showInformationMessage('Choose a study in the Runs view (a "study-…" group) to show it.');
        return;
      }
      v.show(studyDir);
    }),
    vscode.languages.registerCodeLensProvider(STUDY_FILE_SELECTOR, new RunStudyCodeLens()),
    vscode.window.registerWebviewPanelSerializer(STUDY_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel: vscode.WebviewPanel, state: unknown) => {
        const studyDir = (state as StudyViewState | undefined)?.studyDir;
        if (!studyDir || !fs.existsSync(studyDir)) {
          webviewPanel.dispose();
          return;
        }
        const panel = track(new StudyPanel(webviewPanel, context.extensionUri, studyDir));
        const live = runOfStudyDir(studyDir);
        if (live) panel.follow(live);
        panel.load();
      },
    }),
    { dispose: () => {
      for (const p of studyPanels.values()) p.dispose();
      studyPanels.clear();
      for (const r of studyRuns.values()) r.dispose();
    } },
  );
}
