// Probe: what a graph rule (src/trainer/graph/graphRules.ts) costs in a session call of its own,
// the Gramian fed, against a call that only reads the Gramian back (the floor: the call itself).
// CPU time of this process per call, variants interleaved in rounds (the machine is shared).
// Each Gramian is a random 4-task (or 2-task) one, a new one each call, so that nothing is cached;
// PCGrad and GradVac are fed task orders drawn as a run draws them, GradVac's targets written each call.
// A rule with a native op (ruleKernels.ts) runs as that op when the binding has it, as a run's does;
// the `-graph` variants withhold it: the rule's op graph, in the same process.
// `node out/bench/graphRuleProbe.js [rounds=5] [calls=500] [variant,variant...]`
import { loadBackend } from '../src/trainer/backend';
import { GraphBuilder } from '../src/trainer/graph/graphDef';
import { graphRule, ruleOps } from '../src/trainer/graph/graphRules';
import { nashMtlNewton } from '../src/trainer/graph/nashRule';
import { nativeRuleKernels } from '../src/trainer/graph/ruleKernels';
import type { RuleIo } from '../src/trainer/graph/ruleState';
import { openSession } from '../src/trainer/graph/session';
import { visitOrders } from '../src/trainer/weighting/index';
import { SeededRandom } from '../src/core/random';
import { interleavedCpu } from './interleavedCpu';

const VARIANTS: Record<string, { id?: string; k: number; params?: Record<string, unknown>; nash?: boolean; graphOps?: boolean }> = {
  'floor-4': { k: 4 },
  'imtlg-4': { id: 'imtlg', k: 4 },
  'aligned-mtl-4': { id: 'aligned-mtl', k: 4 },
  'mgda-4': { id: 'mgda', k: 4, params: { normalization: 'none' } },
  'mgda-3': { id: 'mgda', k: 3, params: { normalization: 'none' } },
  'mgda-2': { id: 'mgda', k: 2, params: { normalization: 'none' } },
  'cagrad-4': { id: 'cagrad', k: 4, params: { c: 0.4, rescale: 'none' } },
  'cagrad-3': { id: 'cagrad', k: 3, params: { c: 0.4, rescale: 'none' } },
  'upgrad-4': { id: 'upgrad', k: 4 },
  'upgrad-3': { id: 'upgrad', k: 3 },
  'pcgrad-4': { id: 'pcgrad', k: 4 },
  'gradvac-4': { id: 'gradvac', k: 4, params: { beta: 0.01 } },
  'gradvac-4-graph': { id: 'gradvac', k: 4, params: { beta: 0.01 }, graphOps: true },
  'gradvac-2': { id: 'gradvac', k: 2, params: { beta: 0.01 } },
  'gradvac-2-graph': { id: 'gradvac', k: 2, params: { beta: 0.01 }, graphOps: true },
  // Nash-MTL's Newton loop (nashRule.ts), built alone.
  'nash-newton-4': { k: 4, nash: true },
};

/** Nash-MTL's Newton rule (maxNorm 1) on the Gramian `G` [k, k] (float32), its coefficients cast back to float32. */
function nashAlone(g: GraphBuilder, G: string, k: number): string {
  const G64 = g.op('Cast', [G], { SrcT: { type: 'float' }, DstT: { type: 'double' }, Truncate: { b: false } }, 'gramian64');
  return g.op('Cast', [nashMtlNewton(ruleOps(g, 'rule', k), G64, 1)], { SrcT: { type: 'double' }, DstT: { type: 'float' }, Truncate: { b: false } }, 'coefficients32');
}

async function main() {
  const rounds = Number(process.argv[2] ?? 5);
  const calls = Number(process.argv[3] ?? 500);
  const names = process.argv[4] ? process.argv[4].split(',') : Object.keys(VARIANTS);
  const { tf } = await loadBackend('tensorflow', { intraOpThreads: 1 });
  const random = new SeededRandom(3);
  const runs = new Map(names.map((n) => {
    const v = VARIANTS[n]!;
    const g = new GraphBuilder();
    const G = g.placeholder('gramian', [v.k, v.k]);
    const io: RuleIo = { updates: [], resets: [], ...(v.graphOps ? {} : { kernels: nativeRuleKernels(tf) }) };
    const rule = v.id ? graphRule(g, 'rule', v.id, v.params ?? {}, v.k, G, io)! : v.nash ? nashAlone(g, G, v.k) : g.op('Identity', [G], { T: { type: 'float' } }, 'floor');
    // The rule's state written as the step writes it (after the coefficients: ruleState.ts).
    const out = io.updates.length ? g.op('Identity', [rule, ...io.updates.map((u) => `^${u}`)], { T: { type: 'float' } }, 'done') : rule;
    const reset = io.resets.length ? g.op('Identity', [g.constant('zero', { dtype: 'float', shape: [], values: [0] }), ...io.resets.map((u) => `^${u}`)], { T: { type: 'float' } }, 'reset') : undefined;
    const session = openSession(tf, g.savedModel(['serve']));
    if (reset) tf.dispose(session.run([], [], [reset]));
    const gramians = Array.from({ length: 64 }, () => {
      const J = Array.from({ length: v.k }, () => Array.from({ length: 8 }, () => random.next() * 2 - 1));
      return tf.tensor2d(J.map((a) => J.map((b) => a.reduce((s, x, i) => s + x * b[i]!, 0))));
    });
    const orders = Array.from({ length: 64 }, () => tf.tensor1d(visitOrders(v.k, () => random.next()), 'int32'));
    const inputs = [{ name: G }, ...(io.orders ? [{ name: io.orders, tfDtype: 'DT_INT32' }] : [])];
    return [n, (k: number) => tf.dispose(session.run(inputs, [gramians[k % gramians.length]!, ...(io.orders ? [orders[k % orders.length]!] : [])], [out]))] as const;
  }));
  interleavedCpu(names, (n, k) => runs.get(n)!(k), rounds, calls);
}

void main();
