// The native rule ops of the tfjs-node binding we build (scripts/native/ruleKernels.cc, registered
// by scripts/bindingRuleKernels.mjs's patch): GradVac's, PCGrad's and Nash-MTL's rules as one TensorFlow op
// each instead of ~100-150 tiny graph ops of ~2 us of executor overhead apiece. A binding we did
// not build (the package's own) has none, and the rules then build their op graphs.
import type { Tf } from '../backend';
import type { SavedModelBackend } from './preparedRun';

/** GradVac's op (gradVacRule.ts). */
export const GRADVAC_KERNEL = 'MtsGradVac';
/** Nash-MTL's op with 3 or 4 tasks (nashRule.ts). */
export const NASH_KERNEL = 'MtsNashMtl';
/** PCGrad's op (pcGradRule.ts). */
export const PCGRAD_KERNEL = 'MtsPcGrad';

/** The rule ops this process' binding registered; none when it has no `ruleKernels` export. */
export function nativeRuleKernels(tf: Tf): string[] {
  const binding = (tf.backend() as unknown as Partial<SavedModelBackend>).binding;
  return typeof binding?.ruleKernels === 'function' ? binding.ruleKernels() : [];
}

/** The native op of each method that has one (by method id). */
const KERNEL_OF: Readonly<Record<string, string>> = { gradvac: GRADVAC_KERNEL, pcgrad: PCGRAD_KERNEL, 'nash-mtl': NASH_KERNEL };

/**
 * The run log's note on which form method `id`'s graph rule ran in (appended to the loop's step
 * path): `kernel`, the op it ran as, or none; undefined for a method without a native op.
 */
export function ruleKernelFor(id: string, title: string, kernel: string | undefined): string | undefined {
  const wanted = KERNEL_OF[id];
  if (!wanted) return undefined;
  return kernel ? `${title}'s rule as one native op (${kernel})` : `${title}'s rule as graph ops (this binding has no ${wanted})`;
}
