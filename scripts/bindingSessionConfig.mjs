// The one change we make to tfjs-node's binding source before building it against the wheel:
// a `loadSavedModelWithConfig(dir, tags, configBytes)` export that opens the SavedModel session
// with a serialized ConfigProto (TF_SetConfig on the session options). The package's own
// `loadSavedModel` opens it with TF_NewSessionOptions() as they are, so Grappler's default
// passes (and its MLIR pipeline) run on every new fetch set and nothing can turn them off.
// The old export is left as it is; the trainer tells the new one by its presence.
// The patch also carries our rule kernels (bindingRuleKernels.mjs: its edits and file).
// Each edit replaces one exact anchor of tfjs-node 4.22.0's source; an anchor not found means
// another version: the source is left untouched and the caller builds it as it is.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KERNEL_EDITS, kernelFileTexts } from './bindingRuleKernels.mjs';

/** The export the patched binding adds; its presence is how the trainer knows a config applies. */
export const CONFIG_EXPORT = 'loadSavedModelWithConfig';

/** Each edit: in `file`, `anchor` (tfjs-node 4.22.0's text) becomes `replacement`. */
const CONFIG_EDITS = [
  {
    file: 'binding/tfjs_backend.h',
    anchor: `  napi_value LoadSavedModel(napi_env env, napi_value export_dir,
                            napi_value tags_value);`,
    replacement: `  napi_value LoadSavedModel(napi_env env, napi_value export_dir,
                            napi_value tags_value,
                            napi_value config_value = nullptr);`,
  },
  {
    file: 'binding/tfjs_backend.cc',
    anchor: `                                       napi_value tags_value) {
  TF_SessionOptions *session_options = TF_NewSessionOptions();
`,
    replacement: `                                       napi_value tags_value,
                                       napi_value config_value) {
  TF_SessionOptions *session_options = TF_NewSessionOptions();
  // Multi-Task Studio: a serialized ConfigProto (Uint8Array) for this session.
  if (config_value != nullptr) {
    napi_typedarray_type config_type;
    size_t config_length;
    void *config_data;
    napi_status config_status = napi_get_typedarray_info(
        env, config_value, &config_type, &config_length, &config_data, nullptr,
        nullptr);
    if (config_status != napi_ok || config_type != napi_uint8_array) {
      TF_DeleteSessionOptions(session_options);
      NAPI_THROW_ERROR(env, "The session config must be a Uint8Array");
      return nullptr;
    }
    TF_AutoStatus config_tf_status;
    TF_SetConfig(session_options, config_data, config_length,
                 config_tf_status.status);
    if (TF_GetCode(config_tf_status.status) != TF_OK) {
      TF_DeleteSessionOptions(session_options);
      NAPI_THROW_ERROR(env, "Invalid session config: %s",
                       TF_Message(config_tf_status.status));
      return nullptr;
    }
  }
`,
  },
  {
    file: 'binding/tfjs_binding.cc',
    anchor: `static napi_value DeleteSavedModel(napi_env env, napi_callback_info info) {`,
    replacement: `// Multi-Task Studio: loadSavedModel with a serialized ConfigProto as a third argument.
static napi_value LoadSavedModelWithConfig(napi_env env,
                                           napi_callback_info info) {
  napi_status nstatus;
  size_t argc = 3;
  napi_value args[3];
  napi_value js_this;
  nstatus = napi_get_cb_info(env, info, &argc, args, &js_this, nullptr);
  ENSURE_NAPI_OK_RETVAL(env, nstatus, nullptr);
  if (argc < 3) {
    NAPI_THROW_ERROR(env,
                     "loadSavedModelWithConfig() expects 3 args but got %d.",
                     argc);
    return nullptr;
  }
  ENSURE_VALUE_IS_STRING_RETVAL(env, args[0], nullptr);
  ENSURE_VALUE_IS_STRING_RETVAL(env, args[1], nullptr);
  TFJSBackend *const backend = GetTFJSBackend(env);
  if (!backend) return nullptr;
  return backend->LoadSavedModel(env, args[0], args[1], args[2]);
}

static napi_value DeleteSavedModel(napi_env env, napi_callback_info info) {`,
  },
  {
    file: 'binding/tfjs_binding.cc',
    anchor: `      {"deleteSavedModel", nullptr, DeleteSavedModel, nullptr, nullptr, nullptr,
       napi_default, nullptr},`,
    replacement: `      {"deleteSavedModel", nullptr, DeleteSavedModel, nullptr, nullptr, nullptr,
       napi_default, nullptr},
      {"${CONFIG_EXPORT}", nullptr, LoadSavedModelWithConfig, nullptr, nullptr,
       nullptr, napi_default, nullptr},`,
  },
];

/** Every edit of the patch: the session config's, then the rule kernels'. */
export const EDITS = [...CONFIG_EDITS, ...KERNEL_EDITS];

/** Short hash of the edits and our files: part of the cached binding's key, so a changed patch is never served from an old build. */
export function patchId(scriptsDir) {
  return crypto.createHash('sha256').update(JSON.stringify([EDITS, kernelFileTexts(scriptsDir)])).digest('hex').slice(0, 10);
}

/**
 * Applies the edits to the source in `pkgDir` and writes our files (from `scriptsDir`: kernelFileTexts) into it (idempotent: an edit
 * already made is skipped, so a source patched by an older patch takes the new edits on top).
 * Returns 'patched', 'already' or a reason it could not ('anchor not found in ...'), in which
 * case no file was changed.
 */
export function patchBindingSource(pkgDir, scriptsDir) {
  const texts = new Map();
  const read = (file) => {
    if (!texts.has(file)) {
      const at = path.join(pkgDir, file);
      texts.set(file, fs.existsSync(at) ? fs.readFileSync(at, 'utf8') : undefined);
    }
    return texts.get(file);
  };
  const files = kernelFileTexts(scriptsDir);
  if (EDITS.every((e) => read(e.file)?.includes(e.replacement)) && files.every((f) => read(f.to) === f.text)) return 'already';
  for (const e of EDITS) {
    const text = read(e.file) ?? '';
    if (text.includes(e.replacement)) continue;
    if (text.split(e.anchor).length !== 2) return `anchor not found once in ${e.file}`;
    texts.set(e.file, text.replace(e.anchor, () => e.replacement));
  }
  for (const f of files) texts.set(f.to, f.text);
  for (const [file, text] of texts) if (text !== undefined) fs.writeFileSync(path.join(pkgDir, file), text);
  return 'patched';
}
