// "Try this grouping" from a run's diagram: which experiment file the run came from (the
// workspace's *.mtl.json of the same name: a run folder does not record its file), the new
// grouped experiment written beside it (groupingFile.ts), then opened in the designer.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { RUN_FILES, sanitizePathSegment } from '../../core/runLayout';
import { DEFAULT_STUDY_REPEATS } from '../../core/study/studyFileOf';
import { groupingText } from '../../core/taskGrouping';
import { readRunExperiment } from '../runFolders';
import { writeGroupingFile } from './groupingFile';

function experimentName(runDir: string): string | undefined {
  const read = readRunExperiment(runDir);
  const name = 'doc' in read ? (read.doc as { name?: unknown } | null)?.name : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** The experiment file of the run: the one of its name in the workspace, else one the user picks, else a folder the user picks. */
async function experimentFileOf(runDir: string, name: string): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles('**/*.mtl.json', '**/node_modules/**', 500);
  const same = files.map((u) => u.fsPath).filter((f) => {
    try {
      return (JSON.parse(fs.readFileSync(f, 'utf8')) as { name?: unknown }).name === name;
    } catch {
      return false;
    }
  });
  if (same.length === 1) return same[0];
  if (same.length > 1) {
    const picked = await vscode.window.showQuickPick(same.map((f) => ({ label: path.basename(f), description: vscode.workspace.asRelativePath(f), file: f })),
      { placeHolder: `Several experiments are named "${name}": beside which should the grouped experiment go?`, ignoreFocusOut: true });
    return picked?.file;
  }
  const folder = await vscode.window.showOpenDialog({
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Write here',
    title: `No experiment named "${name}" is in the workspace: where should the grouped experiment go? (Its data paths are relative to its folder.)`,
    ...(vscode.workspace.getWorkspaceFolder(vscode.Uri.file(runDir)) ? { defaultUri: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(runDir))!.uri } : {}),
  });
  return folder?.[0] ? path.join(folder[0].fsPath, `${sanitizePathSegment(name)}.mtl.json`) : undefined;
}

/** Writes and opens the grouped experiment; the file written, or why not (undefined problem and file: the user cancelled). */
export async function tryGrouping(runDir: string, groups: string[][]): Promise<{ file?: string; problem?: string }> {
  const name = experimentName(runDir);
  if (name === undefined) return { problem: `This run folder has no readable ${RUN_FILES.experiment}.` };
  const experimentFile = await experimentFileOf(runDir, name);
  if (!experimentFile) return {};
  let written: ReturnType<typeof writeGroupingFile>;
  try {
    written = writeGroupingFile(runDir, experimentFile, groups);
  } catch (err) {
    return { problem: `Writing the grouped experiment failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if ('problem' in written) return written;
  await vscode.commands.executeCommand('multiTaskStudio.openDesigner', vscode.Uri.file(written.file));
  const study = written.study;
  const openStudy = 'Open study';
  void vscode.window.showInformationMessage(`${path.basename(written.file)}: "${name}" with the groups ${groupingText(groups)}, each with its own trunk. `
    + (study ? `${path.basename(study)} compares it with the experiment as designed over ${DEFAULT_STUDY_REPEATS} seeds.` : 'Train it to compare with this run.'),
  ...(study ? [openStudy] : [])).then((choice) => {
    if (choice === openStudy && study) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(study));
  });
  return { file: written.file };
}
