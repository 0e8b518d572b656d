// code-server: VS Code in a browser tab with a real Node extension host (ENVIRONMENT.md §3).
// Installed once into a cache outside the repo by scripts/install-code-server.sh.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort, killGroup, spawnGroup } from './processes.mjs';
import { repoRoot } from './paths.mjs';

/** The code-server folder; installs it on first use (later runs take well under a second). */
export function ensureCodeServer() {
  const script = path.join(repoRoot, 'scripts', 'install-code-server.sh');
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = out.trim().split('\n').pop();
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server entry not found at ${entry}`);
  return entry;
}

/** `code-server --install-extension` into a fresh extensions folder. */
export function installVsix(entry, vsix, extensionsDir, userDataDir) {
  execFileSync(process.execPath, [entry, '--config', path.join(userDataDir, 'config.yaml'), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir,
    '--install-extension', vsix, '--force'], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/**
 * Starts code-server on a free loopback port and waits until it answers.
 * `env` is merged into its environment; the extension host inherits it.
 */
export async function startCodeServer({ entry, userDataDir, extensionsDir, workspace, logFile, env }) {
  const port = await freePort();
  // --config inside the user data dir: code-server would otherwise write ~/.config/code-server.
  const args = [entry, '--config', path.join(userDataDir, 'config.yaml'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', workspace];
  const { child, exited } = spawnGroup(process.execPath, args, { env: { ...process.env, ...env }, logFile });
  const url = `http://127.0.0.1:${port}`;
  let early;
  exited.then((r) => { early = r; });
  const deadline = Date.now() + 60_000;
  while (!(await httpOk(`${url}/healthz`))) {
    if (early) throw new Error(`code-server exited (${JSON.stringify(early)}); see ${logFile}`);
    if (Date.now() > deadline) {
      await killGroup(child.pid);
      throw new Error(`code-server did not answer on ${url} within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, pid: child.pid, stop: () => killGroup(child.pid) };
}

/** The remote extension host's log files (where activation errors end up). */
export function extensionHostLogs(userDataDir) {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return [];
  return fs.readdirSync(logs, { recursive: true }).map(String)
    .filter((f) => /exthost|remoteexthost|remoteagent/i.test(f) && f.endsWith('.log'))
    .map((f) => path.join(logs, f));
}
