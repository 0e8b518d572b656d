#!/usr/bin/env node
// `npm run package`: production bundles, then multi-task-studio-<version>.vsix with vsce.
// The VSIX carries node_modules' runtime packages as built here, including tfjs-node's
// native binding and TensorFlow libraries: it serves this platform (see README). README
// links stay relative (no public repository to point them at; the README pictures are
// not in the VSIX).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `${name}-${version}.vsix`);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, ['esbuild.mjs', '--production']);
run(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-yarn', '--no-update-package-json', '--no-rewrite-relative-links',
  '--skip-license', '--out', out]);
const mb = (fs.statSync(out).size / 1024 / 1024).toFixed(1);
console.log(`VSIX: ${path.relative(process.cwd(), out)} (${mb} MB), platform ${process.platform}-${process.arch}`);
