// "New multi-task experiment" (the walkthrough's first step) in a window with no folder: the
// message offers to open one, and only a click on that button opens VS Code's folder dialog.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { askForFolder, NO_FOLDER_MESSAGE, OPEN_FOLDER, type FolderPrompt } from '../../../src/host/newExperiment/noFolder';

/** A window whose user answers `answer` to the message; records what was shown and run. */
function fakeWindow(answer: string | undefined): FolderPrompt & { shown: Array<[string, string[]]>; ran: string[] } {
  const ui = {
    shown: [] as Array<[string, string[]]>, ran: [] as string[],
    showErrorMessage: (message: string, ...items: string[]) => { ui.shown.push([message, items]); return Promise.resolve(answer); },
    executeCommand: (command: string) => { ui.ran.push(command); return Promise.resolve(undefined); },
  };
  return ui;
}

describe('new experiment with no folder open', () => {
  it('says why and offers "Open Folder…", which opens VS Code\'s folder dialog', async () => {
    const ui = fakeWindow(OPEN_FOLDER);
    await askForFolder(ui);
    assert.deepEqual(ui.shown, [[NO_FOLDER_MESSAGE, ['Open Folder…']]]);
    assert.match(NO_FOLDER_MESSAGE, /Open a folder .* then run "New multi-task experiment" again/);
    assert.deepEqual(ui.ran, ['vscode.openFolder']);
  });
  it('dismissed: nothing is run', async () => {
    const ui = fakeWindow(undefined);
    await askForFolder(ui);
    assert.deepEqual(ui.ran, []);
  });
});
