// The patch postinstall applies to tfjs-node's binding source before building it against the
// wheel (scripts/bindingSessionConfig.mjs), on a copy of the installed package's real source:
// every anchor found once, applied once, and a source it does not know left untouched.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain ES module of the install scripts, without types
import { CONFIG_EXPORT, EDITS, patchBindingSource, patchId } from '../../../scripts/bindingSessionConfig.mjs';
// @ts-expect-error: a plain ES module of the install scripts, without types
import { KERNELS_EXPORT } from '../../../scripts/bindingRuleKernels.mjs';
import { tempDir } from '../../tempFolders';

const FILES = ['binding/tfjs_backend.h', 'binding/tfjs_backend.cc', 'binding/tfjs_binding.cc', 'binding.gyp'];

/** The installed source as the package ships it: postinstall may have patched it already, so each edit is undone. */
function sourceCopy(): string {
  const pkg = path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  const dir = tempDir('binding-src');
  for (const f of FILES) {
    let text = fs.readFileSync(path.join(pkg, f), 'utf8');
    for (const e of EDITS as Array<{ file: string; anchor: string; replacement: string }>) if (e.file === f) text = text.replace(e.replacement, () => e.anchor);
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const read = (dir: string) => FILES.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));

test('the patch adds the config export and TF_SetConfig once, and says so when run again', () => {
  const dir = sourceCopy();
  try {
    assert.ok(!read(dir)[2]!.includes(CONFIG_EXPORT));
    assert.equal(patchBindingSource(dir), 'patched');
    const [header, backend, binding] = read(dir);
    assert.match(header!, /napi_value config_value = nullptr\);/);
    assert.equal(backend!.split('TF_SetConfig(session_options').length, 2);
    assert.equal(binding!.split(`{"${CONFIG_EXPORT}", nullptr, LoadSavedModelWithConfig`).length, 2);
    // The rule kernels: our file copied in, compiled without contraction, registered and listed.
    const [, , , gyp] = read(dir);
    assert.equal(fs.readFileSync(path.join(dir, 'binding/mts_rule_kernels.cc'), 'utf8'), fs.readFileSync('scripts/native/ruleKernels.cc', 'utf8'));
    assert.match(gyp!, /'binding\/mts_rule_kernels.cc'\n {4}\],\n.*\n {4}'cflags_cc': \['-ffp-contract=off'/);
    assert.equal(binding!.split('MtsRegisterRuleKernels();').length, 3, 'declared and called once');
    assert.equal(binding!.split(`{"${KERNELS_EXPORT}", nullptr, MtsRuleKernels`).length, 2);
    assert.equal(patchBindingSource(dir), 'already');
    assert.deepEqual(read(dir), [header, backend, binding, gyp]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a source without an anchor (another tfjs-node version) is left as it was, with the reason', () => {
  const dir = sourceCopy();
  try {
    const cc = path.join(dir, 'binding/tfjs_binding.cc');
    fs.writeFileSync(cc, fs.readFileSync(cc, 'utf8').replace('static napi_value DeleteSavedModel(', 'static napi_value RemoveSavedModel('));
    const before = read(dir);
    assert.equal(patchBindingSource(dir), 'anchor not found once in binding/tfjs_binding.cc');
    assert.deepEqual(read(dir), before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the cached build is keyed by a hash of the patch', () => {
  assert.match(patchId(), /^[0-9a-f]{10}$/);
});
