#!/usr/bin/env node
// `npm run examples`: builds the engine and trains every bundled example with its own
// settings through the CLI (`mts train`), each into examples/<name>/runs/.
// `--epochs N` trains each one briefly instead.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extra = process.argv.slice(2);
execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const examples = fs.readdirSync(path.join(root, 'examples')).sort();
let failed = 0;
for (const name of examples) {
  const file = fs.readdirSync(path.join(root, 'examples', name)).find((f) => f.endsWith('.mtl.json'));
  if (!file) continue;
  console.log(`\n=== ${name}`);
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'mts.js'), 'train', path.join('examples', name, file), ...extra], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(failed ? `\n${failed} example(s) failed` : '\nall examples trained; each run folder holds report.md');
process.exit(failed ? 1 : 0);
