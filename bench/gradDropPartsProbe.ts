// Probe: what each part of GradDrop's work in the fused graph costs, on the reference network's
// shared weights (784x128, 128, 128x64, 64: the trunk's blocks) with 2 tasks, each variant a
// session call of its own, interleaved in rounds (CPU time of this process; the machine is shared):
// - sum: the tasks' gradients summed per block (what equal weighting does with them; every variant's floor);
// - hash: the uniforms only (graph/gradDrop.ts gradDropUniform), summed;
// - fedU: the rule (graphGradDrop) on uniforms held as constants (no hash);
// - full: the rule on the hash's uniforms, per block (the step's GradDrop before graphGradDropBlocks);
// - joined: the four blocks joined into one (graphGradDropBlocks, the step's GradDrop on the shared
//   parameters: one stream, so the same numbers, the direction split back), `/xla` as one function
//   XLA compiles into one loop per block (graphFunction.ts; each block draws its part of the
//   stream, nothing joined), `/ops` on TensorFlow's kernels op by op;
// - matmul2 / matmul1: the first layer's weight gradients for both tasks, X^T d_i as two MatMuls,
//   or as one X^T [d_1 d_2] (columns split back);
// Each call's tasks' gradients are constants times a fed scalar (so that nothing is folded away).
// The other variants run on TensorFlow's kernels (`/ops`). The first call's CPU time includes XLA's compilation.
// `node out/bench/gradDropPartsProbe.js [rounds=5] [calls=200] [variant,variant...]`; BLOCKS=32x64
// TASKS=4: other blocks (`x`-separated shapes, `,` between blocks) and task count, e.g. the shared
// representation of a batch of 32 with 4 tasks (the matmul variants keep the reference's shapes and 2 tasks).
import { loadBackend } from '../src/trainer/backend';
import { gradDropUniform, graphGradDrop, graphGradDropBlocks, uint32Scalar } from '../src/trainer/graph/gradDrop';
import { GraphBuilder, type Attr } from '../src/trainer/graph/graphDef';
import { openSession } from '../src/trainer/graph/session';
import { SeededRandom } from '../src/core/random';
import { interleavedCpu } from './interleavedCpu';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
/** The reference network's shared weights, or BLOCKS from the environment (see the header). */
const BLOCKS = process.env.BLOCKS ? process.env.BLOCKS.split(',').map((b) => b.split('x').map(Number)) : [[784, 128], [128], [128, 64], [64]];
const TASKS = Number(process.env.TASKS ?? 2);
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

async function main() {
  const rounds = Number(process.argv[2] ?? 5);
  const calls = Number(process.argv[3] ?? 200);
  const only = process.argv[4]?.split(',');
  const { tf } = await loadBackend('tensorflow', { intraOpThreads: 1 });
  const g = new GraphBuilder();
  const rng = new SeededRandom(5);
  const scale = g.placeholder('scale', []);
  const seed = g.placeholder('seed', [2], 'int32');
  const int = (name: string, values: number[]) => g.constant(name, { dtype: 'int32', shape: [values.length], values });
  const random = (name: string, shape: number[]) => g.op('Mul', [g.constant(name, { dtype: 'float', shape, values: Array.from({ length: size(shape) }, () => rng.next() - 0.5) }), scale], { T: F }, `${name}/scaled`);
  const flat = (x: string, n: string) => g.op('Reshape', [x, int(`${n}/flat_shape`, [1, -1])], { T: F, Tshape: I32 }, `${n}/flat`);
  const total = (xs: string[], n: string) => {
    const sums = xs.map((x, i) => g.op('Sum', [flat(x, `${n}/${i}`), int(`${n}/${i}/axes`, [0, 1])], { T: F, Tidx: I32, keep_dims: { b: false } }, `${n}/${i}/sum`));
    return sums.length === 1 ? sums[0]! : g.op('AddN', sums, { T: F, N: { i: sums.length } }, `${n}/total`);
  };
  const grads = Array.from({ length: TASKS }, (_, t) => BLOCKS.map((s, b) => flat(random(`g${t}_${b}`, s), `g${t}_${b}`)));
  const perBlock = (b: number) => grads.map((task) => task[b]!);
  const uniformConst = BLOCKS.map((s, b) => g.constant(`u_${b}`, { dtype: 'float', shape: [1, size(s)], values: Array.from({ length: size(s) }, () => Math.floor(rng.next() * 65536) / 65536) }));
  const hashed = (name: string) => {
    let at = uint32Scalar(g, `${name}/start`, 0);
    return (like: string) => { const d = gradDropUniform(g, name, like, seed, at); at = d.end; return d.uniform; };
  };
  const variants: Record<string, string> = {};
  variants.sum = total(BLOCKS.map((_, b) => g.op('AddN', perBlock(b), { T: F, N: { i: TASKS } }, `sum_${b}`)), 'sum');
  { const draw = hashed('hash'); variants.hash = total(BLOCKS.map((_, b) => draw(grads[0]![b]!)), 'hash'); }
  variants.fedU = total(BLOCKS.map((_, b) => graphGradDrop(g, `fedU_${b}`, perBlock(b), () => uniformConst[b]!, 0).direction), 'fedU');
  { const draw = hashed('full'); variants.full = total(BLOCKS.map((_, b) => graphGradDrop(g, `full_${b}`, perBlock(b), draw, 0).direction), 'full'); }
  // All four blocks joined into one (graphGradDropBlocks: the step's GradDrop on the shared parameters).
  for (const jit of [true, false]) {
    const name = `joined/${jit ? 'xla' : 'ops'}`;
    variants[name] = total(graphGradDropBlocks(g, name, BLOCKS.map((_, b) => perBlock(b)), BLOCKS.map(size), seed, uint32Scalar(g, `${name}/start`, 0), 0, jit).directions, name);
  }
  {
    const x = random('x', [32, 784]);
    const d = [0, 1].map((t) => random(`delta_${t}`, [32, 128]));
    const mm = (a: string, b: string, n: string) => g.op('MatMul', [a, b], { T: F, transpose_a: { b: true }, transpose_b: { b: false } }, n);
    variants.matmul2 = total(d.map((di, t) => mm(x, di, `matmul2_${t}`)), 'matmul2');
    const both = mm(x, g.op('ConcatV2', [...d, g.constant('matmul1/axis', { dtype: 'int32', shape: [], values: [1] })], { T: F, N: { i: 2 }, Tidx: I32 }, 'matmul1/deltas'), 'matmul1');
    const cols = g.op('Split', [g.constant('matmul1/split_axis', { dtype: 'int32', shape: [], values: [1] }), both], { T: F, num_split: { i: 2 } }, 'matmul1/split');
    variants.matmul1 = total([cols, `${cols}:1`], 'matmul1');
  }
  const session = openSession(tf, g.savedModel(['serve']));
  const one = tf.scalar(1);
  const run = (name: string, k: number) => {
    const s = tf.tensor1d([k, 7], 'int32');
    tf.dispose([...session.run([{ name: scale }, { name: seed, tfDtype: 'DT_INT32' }], [one, s], [variants[name]!]), s]);
  };
  const names = Object.keys(variants).filter((n) => !only || only.includes(n.split('/')[0]!));
  // The first call of each variant: TensorFlow's one-off work (and XLA's compilation when marked).
  const first = new Map(names.map((n) => { const t = process.cpuUsage(); run(n, 0); const c = process.cpuUsage(t); return [n, Math.round((c.user + c.system) / 1e3)]; }));
  interleavedCpu(names, run, rounds, calls, (n) => `  first call ${first.get(n)} ms of CPU`);
  session.dispose();
}
void main();
