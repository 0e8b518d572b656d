// Child processes the harness owns: started in their own process group so that one
// signal ends a process and everything it spawned (code-server forks an extension host,
// which forks our trainer), and nothing outlives a run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** A loopback port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const liveGroups = new Set();

/** Spawns `command` as the leader of a new process group, output appended to `logFile`. */
export function spawnGroup(command, args, { env, cwd, logFile }) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  liveGroups.add(child.pid);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole group, SIGKILL after a grace period; resolves when it is gone. */
export async function killGroup(pid, graceMs = 5000) {
  liveGroups.delete(pid);
  if (!pid || !groupAlive(pid)) return;
  try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pid)) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    while (groupAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every group spawnGroup started and nobody stopped yet: for a Ctrl-C in the middle of a run. */
export function killAllGroups() {
  return Promise.all([...liveGroups].map((pid) => killGroup(pid, 2000)));
}

/**
 * Processes (other than this one) whose environment holds `name=value`. Every process the
 * harness starts carries a per-run marker variable, and children inherit it, so this finds
 * leftovers even when they left the process group.
 */
export function processesWithEnv(name, value) {
  const needle = `${name}=${value}`;
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (!env.includes(needle)) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      found.push({ pid: Number(entry), cmdline });
    } catch {
      // exited while we looked, or a zombie
    }
  }
  return found;
}
