// The graph rules (src/trainer/graph/graphRules.ts) run alone: a Gramian fed, the coefficients
// fetched, one session for a list of Gramians; shared by the rule tests.
import assert from 'node:assert/strict';
import type { SeededRandom } from '../../../src/core/random';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { graphRule } from '../../../src/trainer/graph/graphRules';
import { GRADVAC_KERNEL, NASH_KERNEL, nativeRuleKernels, PCGRAD_KERNEL } from '../../../src/trainer/graph/ruleKernels';
import { openSession, takesSessionConfig } from '../../../src/trainer/graph/session';

/**
 * The binding's native rule ops (ruleKernels.ts), every one of ours listed: a binding we build
 * without them is a broken build; the package's own has none, and the test is skipped.
 */
export async function kernelsOrSkip(t: { skip(message: string): void }) {
  const { tf } = await loadBackend('tensorflow');
  if (!takesSessionConfig(tf)) {
    t.skip("this tfjs-node binding is the package's own: it has no native rule ops");
    return undefined;
  }
  const kernels = nativeRuleKernels(tf);
  for (const op of [GRADVAC_KERNEL, PCGRAD_KERNEL, NASH_KERNEL]) assert.ok(kernels.includes(op), `the binding we build registers ${op} (has: [${kernels}])`);
  return { tf, kernels };
}

/** Method `id`'s graph rule's coefficients for each Gramian. */
export async function ruleOnGraph(id: string, params: Record<string, unknown>, gramians: number[][][]): Promise<number[][]> {
  const { tf } = await loadBackend('tensorflow');
  const k = gramians[0]!.length;
  const g = new GraphBuilder();
  const G = g.placeholder('gramian', [k, k]);
  const out = graphRule(g, 'rule', id, params, k, G)!;
  const session = openSession(tf, g.savedModel(['serve']));
  const result = gramians.map((gram) => {
    const fed = tf.tensor2d(gram);
    const [w] = session.run([{ name: G }], [fed], [out]);
    const values = Array.from(w!.dataSync());
    tf.dispose([w!, fed]);
    return values;
  });
  session.dispose();
  return result;
}

/** The Gramian of rows `J`, rounded to float32 as the trainer's is. */
export const gramianOf = (J: number[][]) => J.map((a) => J.map((b) => Math.fround(a.reduce((s, x, i) => s + x * b[i]!, 0))));

/** Three-task Gramians every rule with 3-4 tasks is checked on (each test adds its own). */
export const THREE_TASK_CASES = {
  'hand-worked': gramianOf([[1, 0, 0.5], [0.2, 1, -0.3], [-0.4, 0.1, 2]]),
  'two equal gradients': gramianOf([[1, 0, 0.5], [1, 0, 0.5], [0, 2, 1]]),
  'all equal': gramianOf([[1, 2, 0], [1, 2, 0], [1, 2, 0]]),
  'rank one (parallel)': gramianOf([[1, 2, 0], [2, 4, 0], [-1, -2, 0]]),
  'opposite pair and a third': gramianOf([[1, 0, 0], [-1, 0, 0], [0, 1, 0]]),
};

/** Three-task Gramians with opposed, zero or unequal gradients, for the rules defined on them all (UPGrad, CAGrad). */
export const DEGENERATE_THREE_TASK_CASES = {
  'opposite pair of unequal lengths and a third': gramianOf([[2, 0, 0], [-1, 0, 0], [0, 0.5, 0]]),
  'three opposed in a plane': gramianOf([[1, 0], [-0.5, 0.8], [-0.4, -0.9]]),
  'a zero gradient': gramianOf([[1, 0, 0.5], [0, 0, 0], [0, 2, 1]]),
  'two zero gradients': gramianOf([[0, 0, 0], [0.5, 1, 0], [0, 0, 0]]),
  'every gradient zero': gramianOf([[0, 0], [0, 0], [0, 0]]),
};

/** Four-task Gramians every rule with 4 tasks is checked on (each test adds its own). */
export const FOUR_TASK_CASES = {
  'hand-worked': gramianOf([[1, 0, 0.5, 0], [0.2, 1, -0.3, 0.1], [-0.4, 0.1, 2, 0.3], [0.3, -0.5, 0.2, 1]]),
  'two equal gradients': gramianOf([[1, 0, 0.5], [1, 0, 0.5], [0, 2, 1], [-1, 0.2, 0]]),
  'two pairs of equal gradients': gramianOf([[1, 0], [0, 1], [1, 0], [0, 1]]),
  'rank one (parallel)': gramianOf([[1, 2], [2, 4], [-1, -2], [3, 6]]),
  'a zero gradient': gramianOf([[1, 0, 0.5], [0, 0, 0], [0, 2, 1], [1, 1, 1]]),
  'every gradient zero': gramianOf([[0], [0], [0], [0]]),
  'four in a plane (affinely dependent, some opposed)': gramianOf([[1, 0], [0, 1], [-1, 0.2], [0.3, -1]]),
  'all in one half-space': gramianOf([[1, 0.1, 0], [1, -0.1, 0.2], [0.9, 0, -0.2], [1.2, 0.3, 0.1]]),
};

/** The dimension of seededGramians' i-th gradients. */
export const seededDims = (i: number) => 2 + (i % 4);

/**
 * 200 seeded Gramians of `k` tasks in 2 to 5 dimensions. A common shift makes the gradients agree
 * more often: minima inside the simplex and on its faces, hulls that hold 0 and hulls that do not.
 */
export function seededGramians(random: SeededRandom, k: number): number[][][] {
  return Array.from({ length: 200 }, (_, i) => {
    const dims = seededDims(i);
    const shift = Array.from({ length: dims }, () => (random.next() - 0.3) * (i % 3));
    return gramianOf(Array.from({ length: k }, () => Array.from({ length: dims }, (_, d) => random.next() * 2 - 1 + shift[d]!)));
  });
}
