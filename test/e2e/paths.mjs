// Fixed locations the e2e harness and the integration runner share.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outputRoot = path.join(repoRoot, 'test-output', 'e2e');
export const fixturesRoot = path.join(repoRoot, 'test', 'e2e', 'fixtures');
export const examplesRoot = path.join(repoRoot, 'examples');
export const chromiumPath = process.env.MTS_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
