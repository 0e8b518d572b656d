// "Show shared-weight diagram": of a run (tree item, run folder Uri), of an experiment
// (its Uri), or with no argument of the active experiment, else a run the user picks.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { DiagramSource, DiagramViewState } from '../../core/panelProtocol';
import { describeRun, formatRunTime } from '../../core/runsIndex';
import { readRunsFolder } from '../runFolders';
import { allRunsDirs, runDirArgument } from '../runsLocation';
import { activeExperiment, uriArgument } from '../experimentTarget';
import { DIAGRAM_VIEW_TYPE, DiagramPanel, sourceKey } from './diagramPanel';

const panels = new Map<string, DiagramPanel>();

function runSource(runDir: string): DiagramSource {
  return { kind: 'run', runDir, label: `${path.basename(path.dirname(runDir))} · ${path.basename(runDir)}` };
}

function designSource(uri: vscode.Uri): DiagramSource {
  return { kind: 'design', specPath: uri.fsPath, label: path.basename(uri.fsPath) };
}

async function pickRun(): Promise<string | undefined> {
  const items = allRunsDirs().flatMap((dir) => readRunsFolder(dir)).flatMap((e) => e.runs.map((r) => ({
    label: `${r.experiment} · ${r.startedAt ? formatRunTime(r.startedAt) : r.id}`,
    description: describeRun(r),
    detail: r.hasModel ? undefined : 'no saved model: parameter counts only',
    runDir: r.dir,
  })));
  if (!items.length) {
    void vscode.window.showInformationMessage('Open an experiment (*.mtl.json) or train one: the diagram shows a design or a trained run.');
    return undefined;
  }
  // ignoreFocusOut: with the training panel in front, this pick closed by itself in an e2e run
  // under load before it could be answered (as experimentTarget.ts's picker did from a walkthrough).
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Show the shared-weight diagram of which run?', matchOnDescription: true, ignoreFocusOut: true }))?.runDir;
}

async function sourceFor(arg: unknown): Promise<DiagramSource | undefined> {
  const uri = uriArgument(arg);
  if (uri?.path.endsWith('.mtl.json')) return designSource(uri);
  const runDir = runDirArgument(arg);
  if (runDir && fs.existsSync(runDir) && fs.statSync(runDir).isDirectory()) return runSource(runDir);
  const active = activeExperiment();
  if (active) return designSource(active);
  const picked = await pickRun();
  return picked ? runSource(picked) : undefined;
}

function track(panel: DiagramPanel): DiagramPanel {
  const key = sourceKey(panel.source);
  panels.set(key, panel);
  panel.panel.onDidDispose(() => { if (panels.get(key) === panel) panels.delete(key); });
  return panel;
}

async function showDiagram(context: vscode.ExtensionContext, arg: unknown): Promise<void> {
  const source = await sourceFor(arg);
  if (!source) return;
  const existing = panels.get(sourceKey(source));
  if (existing && !existing.isDisposed) {
    existing.panel.reveal();
    await existing.load();
    return;
  }
  await track(DiagramPanel.create(context.extensionUri, source)).load();
}

export function registerDiagram(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('multiTaskStudio.showDiagram', (arg?: unknown) => showDiagram(context, arg)),
    vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel: vscode.WebviewPanel, state: unknown) => {
        const source = (state as DiagramViewState | undefined)?.source;
        const where = source?.kind === 'run' ? source.runDir : source?.specPath;
        if (!source || !where || !fs.existsSync(where)) {
          webviewPanel.dispose();
          return;
        }
        await track(new DiagramPanel(webviewPanel, context.extensionUri, source)).load();
      },
    }),
    { dispose: () => { for (const p of panels.values()) p.dispose(); panels.clear(); } },
  );
}
