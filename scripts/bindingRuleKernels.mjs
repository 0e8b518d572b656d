// The second change we make to tfjs-node's binding source (with bindingSessionConfig.mjs's, in
// one patch): our rule kernels (native/ruleKernels.cc, copied in as binding/mts_rule_kernels.cc
// and compiled with -ffp-contract=off, so its float64 arithmetic is the core rules' bit for bit),
// registered once at module init, and a `ruleKernels()` export that lists the ops registered:
// the trainer uses an op only when listed (a binding we did not build has no such export).
// Each edit replaces one exact anchor of tfjs-node 4.22.0's source that the session-config
// edits leave as it is, so a source patched by an older patch takes these on top.
import fs from 'node:fs';
import path from 'node:path';

/** The export listing the ops registered; its presence is how postinstall and the trainer know the kernels were built in. */
export const KERNELS_EXPORT = 'ruleKernels';

/** Files of ours copied into the package's source: `to` (in the package) from `from` (in scripts/). */
export const KERNEL_FILES = [{ from: 'native/ruleKernels.cc', to: 'binding/mts_rule_kernels.cc' }];

/** The text of each file of ours, by its place in the package; `scriptsDir`: this folder (postinstall passes it, tests run from the repository's root). */
export function kernelFileTexts(scriptsDir = path.resolve('scripts')) {
  return KERNEL_FILES.map((f) => ({ to: f.to, text: fs.readFileSync(path.join(scriptsDir, f.from), 'utf8') }));
}

export const KERNEL_EDITS = [
  {
    file: 'binding.gyp',
    anchor: `      'binding/tfjs_backend.cc',
      'binding/tfjs_binding.cc'
    ],`,
    replacement: `      'binding/tfjs_backend.cc',
      'binding/tfjs_binding.cc',
      'binding/mts_rule_kernels.cc'
    ],
    # Multi-Task Studio: no fused multiply-add, so the kernels' float64 is the core rules' bit for bit.
    'cflags_cc': ['-ffp-contract=off', '-fno-fast-math'],`,
  },
  {
    file: 'binding/tfjs_binding.cc',
    anchor: `#include "utils.h"
`,
    replacement: `#include "utils.h"

// Multi-Task Studio: our rule kernels (mts_rule_kernels.cc).
void MtsRegisterRuleKernels();
napi_value MtsRuleKernels(napi_env env, napi_callback_info info);
`,
  },
  {
    file: 'binding/tfjs_binding.cc',
    anchor: `  // Set all export values list here.
`,
    replacement: `  MtsRegisterRuleKernels();
  // Set all export values list here.
`,
  },
  {
    file: 'binding/tfjs_binding.cc',
    anchor: `      {"getNumOfTensors", nullptr, GetNumOfTensors, nullptr, nullptr,
       nullptr, napi_default, nullptr},`,
    replacement: `      {"getNumOfTensors", nullptr, GetNumOfTensors, nullptr, nullptr,
       nullptr, napi_default, nullptr},
      {"${KERNELS_EXPORT}", nullptr, MtsRuleKernels, nullptr, nullptr, nullptr,
       napi_default, nullptr},`,
  },
];
