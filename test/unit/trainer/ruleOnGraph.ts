// The graph rules (src/trainer/graph/graphRules.ts) run alone: a Gramian fed, the coefficients
// fetched, one session for a list of Gramians; shared by the rule tests.
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { graphRule } from '../../../src/trainer/graph/graphRules';
import { openSession } from '../../../src/trainer/graph/session';

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
