// "New multi-task experiment": copies one of the bundled examples (each a folder with an
// *.mtl.json and any data it needs) into the workspace and opens it in the designer.
import * as vscode from 'vscode';
import { askForFolder, vscodeFolderPrompt } from './noFolder';

interface Template { folder: vscode.Uri; file: string; name: string; description: string }

async function templates(context: vscode.ExtensionContext): Promise<Template[]> {
  const root = vscode.Uri.joinPath(context.extensionUri, 'examples');
  const out: Template[] = [];
  for (const [name, type] of await vscode.workspace.fs.readDirectory(root)) {
    if (type !== vscode.FileType.Directory) continue;
    const folder = vscode.Uri.joinPath(root, name);
    const entries = await vscode.workspace.fs.readDirectory(folder);
    const file = entries.find(([f]) => f.endsWith('.mtl.json'))?.[0];
    if (!file) continue;
    let description = '';
    try {
      const doc = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, file)))) as { description?: string };
      description = doc.description ?? '';
    } catch { /* a broken template still lists */ }
    out.push({ folder, file, name, description });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export function registerNewExperiment(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('multiTaskStudio.newExperiment', async () => {
    const workspace = vscode.workspace.workspaceFolders?.[0];
    if (!workspace) {
      await askForFolder(vscodeFolderPrompt(vscode));
      return;
    }
    const list = await templates(context);
    const pick = await vscode.window.showQuickPick(
      list.map((t) => ({ label: t.name, detail: t.description, template: t })),
      // ignoreFocusOut: also run from the walkthrough, whose page takes the focus back (experimentTarget.ts).
      { title: 'New multi-task experiment', placeHolder: 'Pick a template', matchOnDetail: true, ignoreFocusOut: true },
    );
    if (!pick) return;
    let name = pick.template.name;
    for (let i = 2; await exists(vscode.Uri.joinPath(workspace.uri, name)); i++) name = `${pick.template.name}-${i}`;
    const chosen = await vscode.window.showInputBox({
      title: 'New multi-task experiment', prompt: 'Folder for the experiment, in the workspace', value: name, ignoreFocusOut: true,
      validateInput: async (v) => (!v.trim() || /[\\/:*?"<>|]/.test(v) ? 'Use a plain folder name'
        : await exists(vscode.Uri.joinPath(workspace.uri, v)) ? `${v} already exists` : undefined),
    });
    if (!chosen) return;
    const target = vscode.Uri.joinPath(workspace.uri, chosen);
    await vscode.workspace.fs.copy(pick.template.folder, target, { overwrite: false });
    const runs = vscode.Uri.joinPath(target, 'runs');
    if (await exists(runs)) await vscode.workspace.fs.delete(runs, { recursive: true });
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.joinPath(target, pick.template.file), 'multiTaskStudio.designer');
  }));
}
