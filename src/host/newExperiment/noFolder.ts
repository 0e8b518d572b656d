// "New multi-task experiment" with no folder open: an example is copied into the workspace
// folder, so there is nothing to write into. The walkthrough's first step runs this command, so a
// newcomer who installed the extension into an empty window met a message with no way on; it
// now offers to open a folder (VS Code's own folder dialog).
import type * as vscode from 'vscode';

/** What this needs of vscode.window and vscode.commands, passed in so that a test drives it. */
export interface FolderPrompt {
  showErrorMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  executeCommand(command: string): Thenable<unknown>;
}

export const OPEN_FOLDER = 'Open Folder…';
export const NO_FOLDER_MESSAGE = 'Multi-Task Studio: the example is copied into a workspace folder. Open a folder (an empty one will do), then run "New multi-task experiment" again.';

export async function askForFolder(ui: FolderPrompt): Promise<void> {
  if (await ui.showErrorMessage(NO_FOLDER_MESSAGE, OPEN_FOLDER) === OPEN_FOLDER) await ui.executeCommand('vscode.openFolder');
}

/** The prompt on VS Code's own window and commands. */
export const vscodeFolderPrompt = (v: typeof vscode): FolderPrompt => ({
  showErrorMessage: (message, ...items) => v.window.showErrorMessage(message, ...items),
  executeCommand: (command) => v.commands.executeCommand(command),
});
