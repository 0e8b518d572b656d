// Cancel of an export from VS Code: the designer's "Export…" → "Jupyter notebook" → "Export here"
// writes the package and the notebook; the same export again, its progress notification's
// Cancel clicked as soon as it shows: "Export cancelled; <folder> unchanged", the earlier
// package and notebook byte for byte as they were, nothing staged left beside them, and the
// exporter gone (the runner fails on any process of the run left running).
import fs from 'node:fs';
import path from 'node:path';
import { assert } from '../expect.mjs';
import { exportFromDesigner } from './exportDesigner.mjs';

const PACKAGE = 'digits_parity_tiny'; // packageNameOf("digits-parity-tiny")

/** The package and notebook with their bytes, and every name in the workspace (a staged one would show). */
function exported(workspace) {
  const pkg = path.join(workspace, PACKAGE);
  const files = fs.readdirSync(pkg, { recursive: true }).map(String).sort()
    .filter((f) => fs.statSync(path.join(pkg, f)).isFile())
    .map((f) => `${f} ${fs.readFileSync(path.join(pkg, f)).toString('base64')}`);
  return { names: fs.readdirSync(workspace).sort(), files, notebook: fs.readFileSync(path.join(workspace, `${PACKAGE}.ipynb`), 'utf8') };
}

export default {
  name: 'export cancelled',
  workspace: 'tiny',
  async run(s) {
    const { page } = s;
    await exportFromDesigner(s, await s.openDesigner('tiny.mtl.json'), 'Jupyter notebook');
    await s.waitForNotification(new RegExp(`Exported: ${PACKAGE}, ${PACKAGE}\\.ipynb`), 300_000);
    const before = exported(s.workspace);

    // The notebook opened in front of the designer: back to it, and the same export again.
    await page.locator('.tabs-container .tab', { hasText: 'tiny.mtl.json' }).click();
    await exportFromDesigner(s, await s.designer('tiny.mtl.json'), 'Jupyter notebook');
    const progress = await s.waitForNotification('Exporting as Jupyter notebook');
    await s.screenshot('export-running');
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    const told = await s.waitForNotification(`Export cancelled; ${s.workspace} unchanged`, 120_000);
    await s.screenshot('export-cancelled');
    console.log(`    ${(await told.locator('.notification-list-item-message').textContent())?.trim()}`);
    const after = exported(s.workspace);
    assert(JSON.stringify(after.names) === JSON.stringify(before.names), `nothing staged left: ${after.names.join(', ')}`);
    assert(after.files.length === before.files.length && after.files.every((f, i) => f === before.files[i]), 'the earlier package byte for byte');
    assert(after.notebook === before.notebook, 'the earlier notebook as it was');
  },
};
