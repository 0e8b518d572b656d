// Start a training, stop it from the palette: the run folder says cancelled, the panel says
// so, and the trainer process is gone (checked here, while VS Code still runs: the harness
// kills the whole process group at the end of the scenario, which would hide a leftover).
import { SESSION_MARKER } from '../harness.mjs';
import { processesWithEnv } from '../processes.mjs';
import { assert, runFolders, runStatus } from '../expect.mjs';

// This scenario's own trainers: another scenario may be training beside it (run.mjs runs two at a time).
const trainers = (sessionId) => processesWithEnv(SESSION_MARKER, sessionId).filter((p) => /\btrainer\.js\b/.test(p.cmdline));

export default {
  name: 'stop a training',
  workspace: 'demo',
  async run(s) {
    await s.runCommand('Multi-Task Studio: Train multi-task model');
    await s.pick('demo.mtl.json', { placeholder: /Which experiment/ });
    // Running once the status bar shows the session and the first curves are drawn.
    await s.page.locator('.statusbar-item', { hasText: 'digits-parity' }).waitFor({ timeout: 60_000 });
    await s.webview().locator('.uplot').first().waitFor({ timeout: 120_000 });
    const running = trainers(s.sessionId);
    assert(running.length === 1, `expected one trainer process while training, found ${JSON.stringify(running)}`);
    await s.runCommand('Multi-Task Studio: Stop training');
    await s.waitForNotification(/training stopped/, 60_000);
    const runs = runFolders(s.workspace);
    assert(runs.length === 1 && runStatus(runs[0]) === 'cancelled', `expected one cancelled run, found ${JSON.stringify(runs.map((r) => [r, runStatus(r)]))}`);
    await s.waitUntil(() => trainers(s.sessionId).length === 0, `the trainer process ${running[0].pid} to exit`, 10_000);
    await s.webview().locator('.notice', { hasText: 'Stopped before the end' }).waitFor();
    await s.screenshot('stopped');
  },
};
