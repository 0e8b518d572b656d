// Builds what the harness needs, without touching dist/: the designer's page bundle and those
// pages load later (with esbuild.mjs' own webview options, as a production build makes them)
// and a Node script (TypeScript harness code) into a temp folder (the script's inside out/, so
// that it finds the repository from its own file: test/repoRoot.ts); each folder is removed when
// the process ends.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEBVIEW_LATER, WEBVIEW_PAGES, webviewBuild } from '../../../../esbuild.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export async function buildDesigner(outdir = temporaryFolder('mts-designer-')) {
  await esbuild.build({ ...webviewBuild(outdir, { designer: WEBVIEW_PAGES.designer }, { production: true, pages: true }), logLevel: 'warning' });
  await esbuild.build({ ...webviewBuild(outdir, WEBVIEW_LATER, { production: true }), logLevel: 'warning' });
  return outdir;
}

/** Another webview page (its bundle as a production build makes it, and the toolkit it loads later). */
export async function buildPage(name, outdir = temporaryFolder(`mts-${name}-`)) {
  await esbuild.build({ ...webviewBuild(outdir, { [name]: WEBVIEW_PAGES[name] }, { production: true, pages: true }), logLevel: 'warning' });
  await esbuild.build({ ...webviewBuild(outdir, { toolkit: WEBVIEW_LATER.toolkit }, { production: true }), logLevel: 'warning' });
  return outdir;
}

/** Bundles a TypeScript entry for Node (playwright-core and the mnist data stay external) into out/harness-* and returns the file. */
export async function buildNodeScript(entry, outdir = temporaryFolder('harness-', path.join(repoRoot, 'out'))) {
  const outfile = path.join(outdir, `${path.basename(entry, '.ts')}.cjs`);
  await esbuild.build({
    absWorkingDir: repoRoot, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'warning',
    external: ['playwright-core', 'mnist'], entryPoints: [entry], outfile, sourcemap: 'inline',
  });
  return outfile;
}

const made = [];

/**
 * A new folder `<prefix>XXXXXX` in `parent`, removed when this process exits, whether what used it
 * passed or threw (a failed build or harness script left them before): test/tempFolders.ts' rule
 * for the harness and benches, plain Node scripts that cannot import it. MTS_KEEP_TEMP=1 keeps them.
 */
export function temporaryFolder(prefix, parent = os.tmpdir()) {
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, prefix));
  if (made.length === 0 && process.env.MTS_KEEP_TEMP !== '1') process.on('exit', removeMade);
  made.push(dir);
  return dir;
}

function removeMade() {
  for (const dir of made) {
    try { fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 }); } catch { /* left */ }
  }
}
