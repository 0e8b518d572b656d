// start a training, stop it from the palette; the run folder says cancelled
// and no trainer process is left.
import fs from 'node:fs';
import path from 'node:path';

const runDirs = (ws) => {
  const root = path.join(ws, 'runs');
  return fs.existsSync(root) ? fs.readdirSync(root).flatMap((e) => fs.readdirSync(path.join(root, e)).map((r) => path.join(root, e, r))) : [];
};
const status = (dir) => { try { return JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')).status; } catch { return undefined; } };

export default {
  name: 'stop a training',
  workspace: 'demo',
  async run(s) {
    await s.runCommand('Multi-Task Studio: Train multi-task model');
    await s.pick('demo.mtl.json', { placeholder: /Which experiment/ });
    // Running once the status bar shows the session.
    await s.page.locator('.statusbar-item', { hasText: 'digits-parity' }).waitFor({ timeout: 60_000 });
    await s.webview().locator('.uplot').first().waitFor({ timeout: 120_000 });
    await s.runCommand('Multi-Task Studio: Stop training');
    await s.waitForNotification(/training stopped/, 60_000);
    const runs = runDirs(s.workspace);
    if (runs.length !== 1 || status(runs[0]) !== 'cancelled') throw new Error(`expected one cancelled run, found ${JSON.stringify(runs.map((r) => [r, status(r)]))}`);
    await s.webview().locator('.notice', { hasText: 'Stopped before the end' }).waitFor();
    await s.screenshot('stopped');
  },
};
