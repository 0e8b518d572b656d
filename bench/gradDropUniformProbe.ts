// Probe: the CPU time of GradDrop's uniform numbers over the reference network's shared weights
// (108,864, one number each per step), by source, each a session call of its own, the sources
// interleaved in rounds (the machine is shared: CPU time of this process, not wall time):
// - philox: TensorFlow's StatelessRandomUniform (the fused graph's source before);
// - philox16: Philox words for half as many, each split into two 16-bit numbers;
// - js / js16: from JavaScript (core/random.ts fillSymmetric: floats; or its 32-bit words, split in the graph), uploaded and fed;
// - hash: the fused graph's source now (graph/gradDrop.ts gradDropUniform: mulberry32's output function in uint32 ops);
// - none: a fill and the sum every variant ends with (the call's own cost).
// `node out/bench/gradDropUniformProbe.js [rounds=5] [calls=200]`
import { fillSymmetric } from '../src/core/random';
import { loadBackend } from '../src/trainer/backend';
import { gradDropUniform, uint32Scalar } from '../src/trainer/graph/gradDrop';
import { GraphBuilder, type Attr } from '../src/trainer/graph/graphDef';
import { openSession } from '../src/trainer/graph/session';
import { interleavedCpu } from './interleavedCpu';

const P = 108_864;
const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

async function main() {
  const rounds = Number(process.argv[2] ?? 5);
  const calls = Number(process.argv[3] ?? 200);
  const { tf } = await loadBackend('tensorflow', { intraOpThreads: 1 });
  const g = new GraphBuilder();
  const seed = g.placeholder('seed', [2], 'int32');
  const fed = g.placeholder('fed', [1, P]);
  const fedWords = g.placeholder('fed_words', [P / 2], 'int32');
  const int = (name: string, values: number[]) => g.constant(name, { dtype: 'int32', shape: [values.length], values });
  const shape = int('shape', [1, P]);
  const sum = (x: string, n: string) => g.op('Sum', [g.op('Reshape', [x, shape], { T: F, Tshape: I32 }, `${n}/row`), int(`${n}/axes`, [0, 1])], { T: F, Tidx: I32, keep_dims: { b: false } }, `${n}/sum`);
  const toUnit = (halves: string, n: string) => g.op('Mul', [g.op('Cast', [halves], { SrcT: { type: 'uint16' }, DstT: F }, `${n}/float`), g.constant(`${n}/scale`, { dtype: 'float', shape: [], values: [2 ** -16] })], { T: F }, `${n}/unit`);
  const zeros = g.op('Fill', [shape, g.constant('zero', { dtype: 'float', shape: [], values: [0] })], { T: F, index_type: I32 }, 'zeros');
  const sources: Record<string, string> = {
    philox: sum(g.op('StatelessRandomUniform', [shape, seed], { dtype: F, T: I32, Tseed: I32 }, 'philox'), 'philox'),
    philox16: sum(toUnit(g.op('Bitcast', [g.op('StatelessRandomUniformFullInt', [int('words', [P / 2]), seed], { dtype: I32, T: I32, Tseed: I32 }, 'philox16')], { T: I32, type: { type: 'uint16' } }, 'philox16/halves'), 'philox16'), 'philox16'),
    js: sum(fed, 'js'),
    js16: sum(toUnit(g.op('Bitcast', [fedWords], { T: I32, type: { type: 'uint16' } }, 'js16/halves'), 'js16'), 'js16'),
    hash: sum(gradDropUniform(g, 'hash', zeros, seed, uint32Scalar(g, 'hash/start', 0)).uniform, 'hash'),
    none: sum(zeros, 'none'),
  };
  const session = openSession(tf, g.savedModel(['serve']));
  const draws = new Float32Array(P);
  const words = new Int32Array(P / 2);
  const run = (name: string, k: number) => {
    let input;
    if (name === 'js') input = { feed: { name: fed }, value: tf.tensor2d(fillSymmetric(draws, k), [1, P]) };
    else if (name === 'js16') {
      // fillSymmetric's generator, writing its 32-bit outputs.
      let a = k >>> 0;
      for (let i = 0; i < words.length; i++) {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= (t + Math.imul(t ^ (t >>> 7), t | 61)) | 0;
        words[i] = t ^ (t >>> 14);
      }
      input = { feed: { name: fedWords, tfDtype: 'DT_INT32' }, value: tf.tensor1d(words, 'int32') };
    } else input = { feed: { name: seed, tfDtype: 'DT_INT32' }, value: tf.tensor1d([k, 7], 'int32') };
    tf.dispose([...session.run([input.feed], [input.value], [sources[name]!]), input.value]);
  };
  const names = Object.keys(sources);
  interleavedCpu(names, run, rounds, calls);
  session.dispose();
}
void main();
