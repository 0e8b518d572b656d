// "Compare sharing strategies…": which variant groups to try (single-task models, where to
// branch, weighting methods, architectures) and how many repeats, written as
// `<experiment>.mtl-study.json` beside the experiment (a file the user can edit and run again),
// then run.
import path from 'node:path';
import * as vscode from 'vscode';
import { ARCHITECTURE_LABELS, DEFAULT_STUDY_REPEATS, studyFileName, studyFileOf, type StudyChoices } from '../../core/study/studyFileOf';
import type { StudyArchitecture } from '../../core/study/studyTypes';
import { WEIGHTING_METHODS } from '../../core/weighting/registry';
import { resolveExperiment } from '../experimentTarget';
import { checkExperiment, refuseIfUntrusted } from '../training/index';

type Pick =
  | { kind: 'singleTask' | 'asDesigned' | 'branchDepths' }
  | { kind: 'weighting'; method: string }
  | { kind: 'architecture'; architecture: StudyArchitecture };

type Item = vscode.QuickPickItem & { pick?: Pick };

function items(currentMethod: string): Item[] {
  const separator = (label: string): Item => ({ label, kind: vscode.QuickPickItemKind.Separator });
  return [
    separator('Sharing'),
    { label: 'Single-task models', description: 'one model per task, nothing shared: the reference Δm compares against', picked: true, pick: { kind: 'singleTask' } },
    { label: 'As designed', description: 'the experiment as it is', picked: true, pick: { kind: 'asDesigned' } },
    { label: 'Where to branch', description: 'hard sharing split after each trunk depth', picked: true, pick: { kind: 'branchDepths' } },
    separator('Weighting methods to try on the designed network'),
    ...WEIGHTING_METHODS.filter((m) => m.description.id !== 'static' && m.description.id !== currentMethod).map((m): Item => ({
      label: m.description.title, description: m.description.family === 'gradient' ? 'gradient' : 'loss', detail: m.description.summary,
      pick: { kind: 'weighting', method: m.description.id },
    })),
    separator('Sharing architectures in place of the trunk'),
    ...(Object.keys(ARCHITECTURE_LABELS) as StudyArchitecture[]).map((a): Item => ({ label: ARCHITECTURE_LABELS[a], pick: { kind: 'architecture', architecture: a } })),
  ];
}

export function choicesOf(picked: readonly Pick[], repeats: number): StudyChoices {
  return {
    singleTask: picked.some((p) => p.kind === 'singleTask'),
    asDesigned: picked.some((p) => p.kind === 'asDesigned'),
    branchDepths: picked.some((p) => p.kind === 'branchDepths'),
    weighting: picked.flatMap((p) => (p.kind === 'weighting' ? [p.method] : [])),
    architectures: picked.flatMap((p) => (p.kind === 'architecture' ? [p.architecture] : [])),
    repeats,
  };
}

/** Writes the study file; returns its Uri, or undefined when the user cancelled. */
export async function compareSharing(arg: unknown): Promise<vscode.Uri | undefined> {
  if (await refuseIfUntrusted()) return undefined;
  const uri = await resolveExperiment(arg, 'Compare sharing strategies for which experiment?');
  if (!uri) return undefined;
  const checked = await checkExperiment(uri);
  if (!checked) return undefined;
  const current = checked.spec.training.weighting?.method ?? 'equal';
  const picked = await vscode.window.showQuickPick(items(current), {
    canPickMany: true, ignoreFocusOut: true, matchOnDescription: true,
    title: `Compare sharing strategies: ${checked.spec.name}`,
    placeHolder: 'Variants to train (each under the same seeds); Enter to continue',
  });
  if (!picked) return undefined;
  const picks = picked.flatMap((i) => (i.pick ? [i.pick] : []));
  if (!picks.length) {
    void vscode.window.showInformationMessage('No variant chosen: nothing to compare.');
    return undefined;
  }
  const repeatsText = await vscode.window.showInputBox({
    title: `Compare sharing strategies: ${checked.spec.name}`, ignoreFocusOut: true, value: String(DEFAULT_STUDY_REPEATS),
    prompt: 'Repeats per variant (seeds). Three is the fewest that gives a 95 % interval worth reading.',
    validateInput: (v) => (/^\s*\d+\s*$/.test(v) && Number(v) >= 1 && Number(v) <= 30 ? undefined : 'A whole number from 1 to 30.'),
  });
  if (repeatsText === undefined) return undefined;
  const file = studyFileName(path.basename(uri.fsPath));
  const target = vscode.Uri.file(path.join(path.dirname(uri.fsPath), file));
  let exists = false;
  try {
    await vscode.workspace.fs.stat(target);
    exists = true;
  } catch { /* a new file */ }
  if (exists) {
    const replace = 'Replace';
    const choice = await vscode.window.showWarningMessage(`${file} exists. Replace it with these choices?`, { modal: true, detail: 'Its study folders under runs/ are kept.' }, replace);
    if (choice !== replace) return undefined;
  }
  const spec = studyFileOf(checked.spec.name, path.basename(uri.fsPath), choicesOf(picks, Number(repeatsText)));
  await vscode.workspace.fs.writeFile(target, Buffer.from(`${JSON.stringify(spec, null, 2)}\n`, 'utf8'));
  return target;
}
