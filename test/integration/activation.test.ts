// Runs inside a real extension host. Checks what a user relies on right after install:
// every command in the palette works (is registered), and the host never loads
// TensorFlow (training lives in a child process, so a native crash cannot take VS Code down).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'multi-task-studio.multi-task-studio';

function tensorflowInHost(): string[] {
  const modules = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
  // The native library mapped into this process would mean tfjs-node was loaded some other way.
  const maps = fs.existsSync('/proc/self/maps') ? fs.readFileSync('/proc/self/maps', 'utf8') : '';
  const natives = [...new Set(maps.split('\n').filter((l) => /libtensorflow|tfjs_binding/.test(l))
    .map((l) => l.trim().split(/\s+/).pop() ?? ''))];
  return [...modules, ...natives];
}

suite('activation', () => {
  let extension: vscode.Extension<unknown>;

  suiteSetup(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed in this host`);
    extension = found;
    await extension.activate();
  });

  test('every contributed command is registered', async () => {
    const contributed: { command: string }[] = extension.packageJSON.contributes?.commands ?? [];
    const ids = contributed.map((c) => c.command);
    for (const id of ['multiTaskStudio.train', 'multiTaskStudio.newExperiment', 'multiTaskStudio.showEnvironment']) {
      assert.ok(ids.includes(id), `${id} is not contributed in package.json`);
    }
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = ids.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'commands shown in the palette but not registered');
  });

  test('activation does not load TensorFlow into the extension host', () => {
    assert.deepEqual(tensorflowInHost(), []);
  });

  test('"Show environment" gets backend facts without loading TensorFlow into the host', async () => {
    // The command asks the trainer process; whatever it reports, the host must stay clean.
    await Promise.race([
      vscode.commands.executeCommand('multiTaskStudio.showEnvironment'),
      new Promise((resolve) => setTimeout(resolve, 45_000)),
    ]);
    assert.deepEqual(tensorflowInHost(), []);
  });
});
