// ARCHITECTURE.md and CONTRIBUTING.md are the design a contributor clones: every file or
// folder they name must exist, so a move that forgets to update them fails here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../repoRoot';

/** Backticked paths under the repository's own folders, e.g. `src/core/trunk.ts` or `core/graph.ts`. */
function namedPaths(text: string): string[] {
  const roots = ['src/', 'test/', 'webview/', 'scripts/', 'bench/', 'examples/', 'schemas/'];
  const layers = ['core/', 'trainer/', 'host/'];
  const out = new Set<string>();
  for (const [, raw] of text.matchAll(/`([^`\s]+)`/g)) {
    const p = raw!.replace(/[.,:;)]+$/, '').replace(/\/$/, '');
    if (p.includes('<') || p.includes('*') || p.includes('...')) continue;
    if (roots.some((r) => p.startsWith(r))) out.add(p);
    else if (layers.some((l) => p.startsWith(l)) && /\.[a-z]+$/.test(p)) out.add(`src/${p}`);
  }
  return [...out];
}

for (const doc of ['ARCHITECTURE.md', 'CONTRIBUTING.md']) {
  test(`${doc} names only files and folders that exist`, () => {
    const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
    const paths = namedPaths(text);
    assert.ok(paths.length >= 5, `${doc} names ${paths.length} paths`);
    const missing = paths.filter((p) => !fs.existsSync(path.join(ROOT, p)) && !fs.existsSync(path.join(ROOT, 'src', p)));
    assert.deepEqual(missing, []);
  });
}
