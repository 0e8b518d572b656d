#!/usr/bin/env node
// Makes @tensorflow/tfjs-node load on this machine, after npm has installed it
// without its own install script (package.json `allowScripts`). Its script downloads
// libtensorflow from a host that many machines cannot reach; this one tries, in order:
//   (a) nothing to do: the binding already loads with our exports (session config, rule kernels);
//   (b) a build against the TensorFlow C library inside the tensorflow-cpu wheel,
//       unpacked once into a cache outside node_modules and reused afterwards, of the
//       binding's source with our session-config export (bindingSessionConfig.mjs) and our
//       rule kernels (bindingRuleKernels.mjs) added; a binding that loaded before (the
//       package's own prebuilt one, or an older one of ours) is put back if this fails;
//   (c) the package's own installer, when its download host answers (no config, no kernels);
//   (d) a clear warning: training then uses the WebAssembly backend.
// It never fails `npm install`. Each step logs one line.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { KERNELS_EXPORT } from './bindingRuleKernels.mjs';
import { CONFIG_EXPORT, patchBindingSource, patchId } from './bindingSessionConfig.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const TF_WHEEL = 'tensorflow-cpu==2.21.0';
const log = (msg) => console.log(`[tfjs-node setup] ${msg}`);

function tfjsNodeDir() {
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * Loads the binding in a separate process (a broken native library must not kill npm) and
 * says whether it has our exports: the session config's and the rule kernels'.
 */
function bindingLoads() {
  const probe = `const b = require('@tensorflow/tfjs-node').backend().binding;
process.stdout.write(typeof b.${CONFIG_EXPORT} + ' ' + typeof b.${KERNELS_EXPORT})`;
  const r = spawnSync(process.execPath, ['-e', probe], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  return { ok: r.status === 0, config: r.stdout === 'function function', detail: (r.stderr || '').trim().split('\n').slice(-1)[0] ?? '' };
}

function hostAnswers(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = https.request(url, { method: 'HEAD', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

export function cacheDir() {
  const base = process.env.MTS_CACHE_DIR
    || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'multi-task-studio');
  return path.join(base, `libtensorflow-${TF_WHEEL.split('==')[1]}-${process.platform}-${process.arch}`);
}

/** Unpacks include/ and the two shared libraries of the wheel into the cache (once). */
function ensureLibraryCache(cache) {
  const libCc = path.join(cache, 'lib', 'libtensorflow_cc.so.2');
  if (fs.existsSync(libCc) && fs.existsSync(path.join(cache, 'include', 'tensorflow', 'c', 'c_api.h'))) {
    log(`TensorFlow C library: reusing cache ${cache}`);
    return;
  }
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!python) throw new Error('no python3 to fetch the tensorflow-cpu wheel with pip');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-wheel-'));
  try {
    log(`TensorFlow C library: pip download ${TF_WHEEL} ...`);
    const dl = spawnSync(python, ['-m', 'pip', 'download', '--no-deps', '--quiet', '-d', tmp, TF_WHEEL], {
      encoding: 'utf8', timeout: 600_000,
    });
    if (dl.status !== 0) throw new Error(`pip download failed: ${(dl.stderr || '').trim().split('\n').slice(-1)[0]}`);
    const wheel = fs.readdirSync(tmp).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error('pip download produced no wheel');
    const staging = `${cache}.partial-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    // Extract only what the build and the runtime need: the headers and two libraries.
    const extract = `
import sys, zipfile, os, shutil
whl, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    for n in z.namelist():
        if n.startswith('tensorflow/include/'):
            dest = os.path.join(out, 'include', n[len('tensorflow/include/'):])
        elif n in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'):
            dest = os.path.join(out, 'lib', os.path.basename(n))
        else:
            continue
        if n.endswith('/'):
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(n) as src, open(dest, 'wb') as dst:
            shutil.copyfileobj(src, dst)
`;
    execFileSync(python, ['-c', extract, path.join(tmp, wheel), staging], { stdio: 'inherit' });
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    fs.rmSync(cache, { recursive: true, force: true });
    fs.renameSync(staging, cache);
    log(`TensorFlow C library: unpacked into cache ${cache}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Hard link where possible (same file system), else copy: no symlinks, so a VSIX keeps real files. */
function place(src, dest) {
  fs.rmSync(dest, { force: true });
  try {
    fs.linkSync(src, dest);
  } catch {
    fs.copyFileSync(src, dest);
  }
}

/** Where tfjs-node looks for its binding (the highest N-API version it supports). */
function bindingPath(pkgDir) {
  const preGypApi = require(require.resolve('@mapbox/node-pre-gyp', { paths: [pkgDir] }));
  return preGypApi.find(path.join(pkgDir, 'package.json'));
}

function buildAgainstWheel(pkgDir) {
  const cache = cacheDir();
  ensureLibraryCache(cache);
  const deps = path.join(pkgDir, 'deps');
  const lib = path.join(deps, 'lib');
  fs.rmSync(deps, { recursive: true, force: true });
  fs.mkdirSync(lib, { recursive: true });
  fs.symlinkSync(path.join(cache, 'include'), path.join(deps, 'include'));
  place(path.join(cache, 'lib', 'libtensorflow_cc.so.2'), path.join(lib, 'libtensorflow_cc.so.2'));
  place(path.join(cache, 'lib', 'libtensorflow_framework.so.2'), path.join(lib, 'libtensorflow_framework.so.2'));
  // Names the linker looks for at build time only; the binding records the sonames.
  const buildNames = { 'libtensorflow.so': 'libtensorflow_cc.so.2', 'libtensorflow_framework.so': 'libtensorflow_framework.so.2' };
  for (const [name, target] of Object.entries(buildNames)) fs.symlinkSync(target, path.join(lib, name));

  const builtBinding = bindingPath(pkgDir);
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const napiDir = path.basename(path.dirname(builtBinding));
  const scripts = path.join(root, 'scripts');
  const patch = patchBindingSource(pkgDir, scripts);
  const patched = patch === 'patched' || patch === 'already';
  log(patched ? `native binding: source patched with ${CONFIG_EXPORT} and ${KERNELS_EXPORT}` : `native binding: building without ${CONFIG_EXPORT} and ${KERNELS_EXPORT} (${patch})`);
  const key = `tfjs-node-${version}-${napiDir}${patched ? `-config-${patchId(scripts)}` : ''}`;
  const cachedBinding = path.join(cache, 'binding', key, 'tfjs_binding.node');
  try {
    if (fs.existsSync(cachedBinding)) {
      fs.mkdirSync(path.dirname(builtBinding), { recursive: true });
      fs.copyFileSync(cachedBinding, builtBinding);
      log(`native binding: reusing cached build ${cachedBinding}`);
      return;
    }
    log('native binding: building from source against the wheel (about a minute) ...');
    const args = ['install', '--build-from-source'];
    const env = { ...process.env };
    // Build against the local Node headers when present: node-gyp must not download them.
    const nodedir = process.env.npm_config_nodedir
      || (fs.existsSync('/usr/include/node/node_api.h') ? '/usr' : undefined);
    if (nodedir) {
      args.push(`--nodedir=${nodedir}`);
      env.npm_config_nodedir = nodedir;
    }
    const preGyp = require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', { paths: [pkgDir] });
    const r = spawnSync(process.execPath, [preGyp, ...args], { cwd: pkgDir, env, encoding: 'utf8', timeout: 1_200_000 });
    if (r.status !== 0 || !fs.existsSync(builtBinding)) {
      const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new Error(`node-pre-gyp build failed (exit ${r.status}):\n${tail}`);
    }
    fs.mkdirSync(path.dirname(cachedBinding), { recursive: true });
    fs.copyFileSync(builtBinding, cachedBinding);
    log(`native binding: built ${path.relative(root, builtBinding)}`);
  } finally {
    for (const name of Object.keys(buildNames)) fs.rmSync(path.join(lib, name), { force: true });
    // The headers are only needed to compile; a VSIX must not carry a link out of the tree.
    fs.rmSync(path.join(deps, 'include'), { force: true });
    fs.rmSync(path.join(pkgDir, 'build'), { recursive: true, force: true });
  }
}

async function main() {
  if (process.env.MTS_SKIP_NATIVE === '1') return log('skipped (MTS_SKIP_NATIVE=1)');
  const pkgDir = tfjsNodeDir();
  if (!pkgDir) return log('@tensorflow/tfjs-node is not installed; nothing to do');

  const before = bindingLoads();
  if (before.ok && before.config) return log('native binding already loads with session config and rule kernels; nothing to do');
  // The wheel first, also over the package's own prebuilt binding: that one opens sessions
  // without a config (Grappler on everywhere) and has no rule kernels (the gradient methods'
  // rules then run as graph ops, at the old speed), so a machine that reached its download host
  // trained and tested another binding than the one CI and the VSIX have.
  log(before.ok
    ? `native binding loads but lacks ${CONFIG_EXPORT} or ${KERNELS_EXPORT}: building ours against the wheel`
    : 'native binding does not load: building it against the wheel');
  // A binding that loads is kept aside: a failed build puts it back rather than leave none.
  const kept = before.ok ? `${bindingPath(pkgDir)}.kept` : undefined;
  if (kept) fs.copyFileSync(bindingPath(pkgDir), kept);
  try {
    try {
      buildAgainstWheel(pkgDir);
      const check = bindingLoads();
      if (check.ok) return log(`native binding loads (TensorFlow 2.21 C library from the wheel${check.config ? ', with session config and rule kernels' : ''})`);
      throw new Error(`built, but it does not load: ${check.detail}`);
    } catch (err) {
      log(`building against the wheel failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (kept) {
      fs.copyFileSync(kept, bindingPath(pkgDir));
      if (bindingLoads().ok) return log('kept the binding that loaded before (sessions open without a config; the rules run as graph ops)');
    }
    if (await hostAnswers('https://storage.googleapis.com/', 5000)) {
      log("download host answers: running the package's own installer ...");
      const r = spawnSync(process.execPath, ['scripts/install.js'], { cwd: pkgDir, stdio: 'inherit', timeout: 300_000 });
      if (r.status === 0 && bindingLoads().ok) return log("native binding loads (package's own installer: sessions open without a config; the rules run as graph ops)");
      log("package's own installer did not produce a working binding");
    } else {
      log("download host does not answer; skipping the package's own installer");
    }
  } finally {
    if (kept) fs.rmSync(kept, { force: true });
  }
  console.warn('[tfjs-node setup] WARNING: native TensorFlow is not available on this machine; '
    + 'training will use the WebAssembly backend (slower). See README "Native backend troubleshooting".');
}

main().catch((err) => {
  console.warn(`[tfjs-node setup] WARNING: unexpected error (${err?.message ?? err}); training will use the WebAssembly backend.`);
});
