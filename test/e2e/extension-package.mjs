// Which build of the extension the e2e run installs (the first that applies):
//   MTS_VSIX=path              that VSIX, as is;
//   MTS_EXTENSION_PATH=dir     that folder, as it is built (nothing is built here);
//   MTS_E2E_EXTENSION=folder   this repository's folder, built first (`node esbuild.mjs`) and
//                              linked into the extensions folder: for a git worktree whose
//                              node_modules is a link, where `npm run package` fails (also taken
//                              when package.json has no "package" script);
//   otherwise                  multi-task-studio-<version>.vsix at the repository root, made
//                              again with `npm run package` (scripts/package.mjs) when missing
//                              or older than SOURCES.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.mjs';

const SOURCES = ['src', 'webview', 'media', 'package.json', 'esbuild.mjs', '.vscodeignore', 'README.md'];

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(p, { recursive: true }).map(String)
    .reduce((max, f) => Math.max(max, fs.statSync(path.join(p, f)).mtimeMs), stat.mtimeMs);
}

function manifest(folder = repoRoot) {
  return JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
}

/** `publisher.name`, the id VS Code knows the extension by. */
export function extensionId() {
  const m = manifest();
  return `${m.publisher}.${m.name}`;
}

function run(cmd, args, log) {
  log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** @returns {{ kind: 'vsix', vsix: string } | { kind: 'folder', folder: string }} */
export function resolveExtension(log) {
  if (process.env.MTS_VSIX) {
    const vsix = path.resolve(process.env.MTS_VSIX);
    if (!fs.existsSync(vsix)) throw new Error(`MTS_VSIX=${vsix} does not exist`);
    return { kind: 'vsix', vsix };
  }
  const m = manifest();
  if (process.env.MTS_EXTENSION_PATH) return { kind: 'folder', folder: path.resolve(process.env.MTS_EXTENSION_PATH) };
  if (process.env.MTS_E2E_EXTENSION === 'folder' || !m.scripts?.package) {
    if (!m.scripts?.package) log('no "package" script in package.json yet: loading the repo folder');
    run(process.execPath, ['esbuild.mjs'], log);
    return { kind: 'folder', folder: repoRoot };
  }
  const vsix = path.join(repoRoot, `${m.name}-${m.version}.vsix`);
  const stale = !fs.existsSync(vsix)
    || SOURCES.some((s) => newestMtime(path.join(repoRoot, s)) > fs.statSync(vsix).mtimeMs);
  if (stale) run('npm', ['run', 'package'], log);
  else log(`using ${path.basename(vsix)} (newer than the sources)`);
  return { kind: 'vsix', vsix };
}

/**
 * Puts the extension into `extensionsDir`: a VSIX through code-server's own installer, a
 * folder as a symlink named like an installed extension (VS Code scans that folder).
 */
export function installInto(ext, extensionsDir, installVsix) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  if (ext.kind === 'vsix') return installVsix(ext.vsix);
  const m = manifest(ext.folder);
  fs.symlinkSync(ext.folder, path.join(extensionsDir, `${m.publisher}.${m.name}-${m.version}`), 'dir');
}
