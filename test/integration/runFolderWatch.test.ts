// A run folder's panel follows a run another window (or the CLI) is writing by watching
// run.json alone, the trainer's commit point (src/host/training/runFolderPanels.ts): here the
// watcher it uses must see run.json written the trainer's way (whole, by a rename), both
// when it first appears and each time it is replaced.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { watchRunCommits } from '../../src/host/training/runFolderPanels';
import { writeJsonAtomic } from '../../src/trainer/artifacts/atomicWrite';
import { EXTENSION_ID, waitFor, workspaceDir } from './helpers';

suite('run folder panels', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  test('are woken by each run.json the trainer commits', async function () {
    this.timeout(60_000);
    const runDir = path.join(workspaceDir(), 'runs', 'integration-watch', '20240506-070809-abcd');
    fs.mkdirSync(runDir, { recursive: true });
    let commits = 0;
    const watcher = watchRunCommits(runDir, () => { commits++; });
    /** Commits run.json until the watcher reports one more (a watcher starts listening a moment after it is made). */
    const commitSeen = async (what: string, status: string) => {
      const before = commits;
      await waitFor(what, async () => {
        if (commits > before) return true;
        await writeJsonAtomic(path.join(runDir, 'run.json'), { status });
        return undefined;
      }, 20_000);
    };
    try {
      await commitSeen('run.json created', 'running');
      await commitSeen('run.json replaced', 'completed');
    } finally {
      watcher.dispose();
      fs.rmSync(path.dirname(runDir), { recursive: true, force: true });
    }
  });
});
