// GradDrop (core/weighting/graddrop.ts: Chen et al. 2020, Algorithm 1) in the fused graph's
// second call (taskGradients.ts), on the tasks' gradients kept from the first: the direction is
// a mask per coordinate, not a combination of whole gradients, so it is built in the graph
// where a rule method's MatMul by its coefficients would be. The arithmetic is the eager raw
// ops' (weighting/tensor/graddrop.ts gradDropNative) written with fewer passes: with
// S = sum_i g_i and A = sum_i |g_i|, the direction keeps R+ = (S + A) / 2 where P > U, R- = (S - A) / 2
// where P < U, and a leak l adds l times the dropped parts: d = (1 - l) kept + l S. The uniforms U are
// the eager step's generator (core/random.ts fillSymmetric: mulberry32's output function on the
// counter a_j = key + j C) written in uint32 ops, two 16-bit numbers per 32-bit output, on a key
// from the seed pair the step feeds from the run's weighting stream (gradDropUniform below);
// `uniform` names them so that a test can read them back and give them to the eager rule.
// On the shared parameters (graphGradDropBlocks) the hash and the mask, some thirty element-wise
// ops, can be one function compiled by XLA into one fused loop (graphFunction.ts): op by op, each a
// pass over every shared weight, they cost about twice as much (bench/gradDropPartsProbe.ts), but
// the compilation costs a run's first step some 0.3 s of CPU (gradDropJit.ts decides).
import type { Attr, GraphBuilder } from './graphDef';
import { xlaFunction } from './graphFunction';
import { sumInOrder } from './orderedSum';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
const U32: Attr = { type: 'uint32' };

export interface GraphGradDrop {
  /** [1, P]: the direction sum_i kept_i. */
  direction: string;
  /** [k]: <masked_i, g_i> = ||relu(s g_i)||^2, each task's kept part without the leak (only fetched on reported steps). */
  keptDots: string;
}

/** mulberry32's increment (core/random.ts): its stream from a key is the hash of key + j C, j = 1, 2, ... */
const WEYL = 0x6d2b79f5;
/**
 * [1, P] uniforms U = k / 2^16 in [0, 1) (k a 16-bit integer) for a block that starts at word
 * `start` of the stream (a uint32 scalar node: the words earlier blocks took), from the fed seed
 * pair `seed` (int32 [2]); `like`: a [1, P] node (graphGradDrop's sum). Returns the uniforms and
 * `end`, the next block's start: the blocks lie end to end in one stream, as one flat vector would,
 * so no two coordinates of a step share a word whatever the blocks' number and sizes (up to 2^32
 * words; before, block b started at word b 2^24 in int32, which overflowed from the 128th block). Why not
 * TensorFlow's StatelessRandomUniform: Philox cost 5-6 ns of CPU a number here (about 0.6 ms a
 * step for the reference network's 108,864 shared weights, more than a whole step under equal
 * weighting); this counter hash, 13 uint32 ops over P / 2 words, costs 1.5 ns
 * (bench/gradDropUniformProbe.ts). Every coordinate still gets its own number each step: word j
 * of the stream from key = seed[0] + 2^31 seed[1] (mod 2^32) is mulberry32's output
 * function of key + (j + 1) C, split in its two 16-bit halves, low half first (fillSymmetric
 * writes the high half first: the same numbers pairwise swapped, test/unit/trainer/graphGradDrop.test.ts).
 * 16 bits give the chance P of keeping a sign to within 2^-16, as on the eager step.
 * `skip` 1: the block starts at the high half of word `start` (its low half is the coordinate
 * before it, in a block joined to this one: graphGradDropBlocks draws XLA's blocks so).
 */
export function gradDropUniform(g: GraphBuilder, name: string, like: string, seed: string, start: string, skip: 0 | 1 = 0): { uniform: string; end: string } {
  const int = (n: string, v: number) => g.constant(`${name}/${n}`, { dtype: 'int32', shape: [], values: [v | 0] });
  const i32 = (type: string, a: string, b: string, n: string) => g.op(type, [a, b], { T: I32 }, `${name}/${n}`);
  const u32 = (x: string, n: string) => g.op('Bitcast', [x], { T: I32, type: U32 }, `${name}/${n}`);
  const op = (type: string, a: string, b: string, n: string) => g.op(type, [a, b], { T: U32 }, `${name}/${n}`);
  const k = (n: string, v: number) => u32(int(n, v), `${n}_u32`);
  const size = g.op('Size', [like], { T: F, out_type: I32 }, `${name}/size`);
  const words = i32('FloorDiv', i32('AddV2', size, int('one', 1 + skip), 'size_up'), int('two', 2), 'words');
  // The counter (start + j + 1) C over this block's words j, in uint32 (wrapping as mulberry32 does).
  const words32 = u32(words, 'words_u32');
  const index = op('AddV2', u32(g.op('Range', [int('zero', 0), words, int('step', 1)], { Tidx: I32 }, `${name}/range`), 'range_u32'), op('AddV2', start, k('one_u32', 1), 'start_1'), 'index');
  const counter = op('Mul', index, k('weyl', WEYL), 'counter');
  const pair = g.op('Unpack', [u32(seed, 'seed_u32')], { T: U32, num: { i: 2 }, axis: { i: 0 } }, `${name}/seed_pair`);
  const key = op('AddV2', pair, op('Mul', `${pair}:1`, k('high_bit', 2 ** 31), 'seed_high'), 'key');
  // mulberry32's output function (core/random.ts), op for op.
  const a = op('AddV2', counter, key, 'a');
  let t = op('Mul', op('BitwiseXor', a, op('RightShift', a, k('r15', 15), 'a_15'), 'a_mix'), op('BitwiseOr', a, k('or1', 1), 'a_odd'), 't1');
  t = op('BitwiseXor', t, op('AddV2', t, op('Mul', op('BitwiseXor', t, op('RightShift', t, k('r7', 7), 't_7'), 't_mix'), op('BitwiseOr', t, k('or61', 61), 't_or'), 't_mul'), 't_add'), 't2');
  t = op('BitwiseXor', t, op('RightShift', t, k('r14', 14), 't_14'), 'hash');
  // [words, 2] 16-bit halves (a Bitcast moves no data), as floats k / 2^16, cut to P (a copy only when P is odd).
  const halves = g.op('Cast', [g.op('Bitcast', [t], { T: U32, type: { type: 'uint16' } }, `${name}/halves`)], { SrcT: { type: 'uint16' }, DstT: F }, `${name}/halves_float`);
  const row = g.op('Reshape', [halves, g.constant(`${name}/row_shape`, { dtype: 'int32', shape: [2], values: [1, -1] })], { T: F, Tshape: I32 }, `${name}/halves_row`);
  const cut = g.op('Slice', [row, g.constant(`${name}/cut_begin`, { dtype: 'int32', shape: [2], values: [0, skip] }),
    g.op('Pack', [int('cut_rows', 1), size], { T: I32, N: { i: 2 }, axis: { i: 0 } }, `${name}/cut_size`)], { T: F, Index: I32 }, `${name}/cut`);
  const uniform = g.op('Mul', [cut, g.constant(`${name}/to_unit`, { dtype: 'float', shape: [], values: [2 ** -16] })], { T: F }, `${name}/uniform`);
  return { uniform, end: op('AddV2', start, words32, 'end') };
}

/** A uint32 scalar node of value `v` (a stream's first block's start: 0). */
export function uint32Scalar(g: GraphBuilder, name: string, v: number): string {
  return g.op('Bitcast', [g.constant(`${name}/int`, { dtype: 'int32', shape: [], values: [v | 0] })], { T: I32, type: U32 }, name);
}

/** The mask on the tasks' rows `tasks` ([1, P] each): the sum S and the kept parts. */
function gradDropMask(g: GraphBuilder, name: string, tasks: readonly string[], draw: (like: string) => string) {
  const scalar = (n: string, v: number) => g.constant(`${name}/${n}`, { dtype: 'float', shape: [], values: [v] });
  const op = (type: string, inputs: string[], n: string) => g.op(type, inputs, { T: F }, `${name}/${n}`);
  // Sums over the tasks of the gradients as they come: with 2 tasks an add, no [tasks, P] stack (a
  // copy), cheaper than TensorFlow's Sum over its first axis or a row of ones times it (with
  // SelectV2's scalar 0 below, GradDrop's part on the reference network's blocks, from a stack:
  // 520-553 us of CPU against 561-578 with the MatMul and 593 with Sum and Select; 2 tasks, load
  // 10-15, a probe of this file against the ones before it). With 3 or more, the stack's Sum: an
  // AddN's order would follow whether the masks had read a task's gradient yet (orderedSum.ts).
  const overTasks = (xs: string[], n: string) => sumInOrder(g, xs, `${name}/${n}`);
  // Fewer passes than the eager raw ops' s (A + s S) / 2: the kept parts are the positive ones,
  // R+ = sum_i relu(g_i) = (S + A) / 2, or the negative ones, R- = S - R+; P > U is
  // (S + A) / 2 > U A, i.e. R+ > U (R+ - R-), and P < U is R+ < U A. A Select between R+ and R-
  // (and 0 where P = U, as the eager rule keeps neither there; SelectV2 takes the 0 as a scalar).
  const sum = overTasks([...tasks], 'sum');
  const positive = overTasks(tasks.map((t, i) => op('Relu', [t], `relu_${i}`)), 'positive');
  const negative = op('Sub', [sum, positive], 'negative');
  const scaledTotal = op('Mul', [draw(sum), op('Sub', [positive, negative], 'total')], 'u_total');
  const cmp = (type: string, n: string) => g.op(type, [positive, scaledTotal], { T: F }, `${name}/${n}`);
  const select = (cond: string, a: string, b: string, n: string) => g.op('SelectV2', [cond, a, b], { T: F }, `${name}/${n}`);
  const kept = select(cmp('Greater', 'keeps_positive'), positive, select(cmp('Less', 'keeps_negative'), negative, scalar('none', 0), 'negative_or_none'), 'kept');
  return { sum, kept };
}

/**
 * s: which part each coordinate keeps (1: the positive, -1: the negative, 0: neither), the sign
 * of the kept sum: where R+ > U A >= 0, R+ > 0; where R+ < U A, R- < 0 (R- = 0 would give
 * A = R+ and R+ < U R+, no U < 1 does), in floats too (rounding is monotone: R- <= 0, U A <= A).
 * From the kept parts, not from R+ and U A, so that XLA's function need not write s every step
 * (a second loop that drew the hash and the mask again over every shared weight).
 */
function keptSign(g: GraphBuilder, name: string, kept: string): string {
  return g.op('Sign', [kept], { T: F }, `${name}/sign`);
}

/** [k]: <masked_i, g_i> = relu(s g_i)^2 summed. */
function keptDotsOf(g: GraphBuilder, name: string, tasks: readonly string[], s: string): string {
  const op = (type: string, inputs: string[], n: string) => g.op(type, inputs, { T: F }, `${name}/${n}`);
  const axes = g.constant(`${name}/coordinate_axes`, { dtype: 'int32', shape: [2], values: [0, 1] });
  const dots = tasks.map((t, i) => g.op('Sum', [op('Square', [op('Relu', [op('Mul', [s, t], `signed_${i}`)], `masked_${i}`)], `masked_squared_${i}`), axes], { T: F, Tidx: I32, keep_dims: { b: false } }, `${name}/kept_dot_${i}`));
  return g.op('Pack', dots, { T: F, N: { i: dots.length }, axis: { i: 0 } }, `${name}/kept_dots`);
}

/** d = (1 - l) kept + l S: TensorFlow's kernels, outside XLA (which may fuse the multiply and the add into one rounding). */
function leaked(g: GraphBuilder, name: string, kept: string, sum: string, leak: number): string {
  const scalar = (n: string, v: number) => g.constant(`${name}/${n}`, { dtype: 'float', shape: [], values: [v] });
  const op = (type: string, inputs: string[], n: string) => g.op(type, inputs, { T: F }, `${name}/${n}`);
  return leak === 0 ? kept : op('AddV2', [op('Mul', [scalar('rest', 1 - leak), kept], 'kept_rest'), op('Mul', [scalar('leak', leak), sum], 'leaked')], 'direction');
}

/**
 * GradDrop on the tasks' gradients `tasks` (each [1, P]) with leak `leak`, on TensorFlow's kernels
 * (the shared representation: a batch's few thousand numbers, where XLA's call would cost more than
 * it saves and each new batch size would be compiled again); `draw` gives the uniforms [1, P] from
 * a [1, P] node (gradDropUniform, or a test's placeholder).
 */
export function graphGradDrop(g: GraphBuilder, name: string, tasks: readonly string[], draw: (like: string) => string, leak: number): GraphGradDrop {
  const mask = gradDropMask(g, name, tasks, draw);
  return { direction: leaked(g, name, mask.kept, mask.sum, leak), keptDots: keptDotsOf(g, name, tasks, keptSign(g, name, mask.kept)) };
}

/** The function's name in the graph's library (graphFunction.ts): it keys XLA's compilation cache. */
const MASK_FUNCTION = 'GradDropMask';

/**
 * GradDrop over several blocks at once (the parameters mode: every shared weight), `blocks[b][i]`
 * task i's gradient of block b (any shape, `sizes[b]` numbers): the rule on each task's blocks
 * joined into one [1, P] row, the uniforms drawn over it from word `start` (the words the blocks
 * would take one after the other: the same numbers for an even-sized block), the direction split
 * back, [1, sizes[b]] each. `jit`: the hash and the mask are one function compiled by XLA
 * (graphFunction.ts), one fused loop per block that draws the block's part of the joined row's
 * stream (its first word and half from its offset) and masks it: the same numbers and bits as the
 * row's, with no row (XLA wrote each task's joined row, a copy of every gradient, and its loop
 * over the row's slices was not fused with them; it also drew the hash and the mask a second time
 * for the signs), in about 40% of the CPU time of TensorFlow's kernels op by op
 * (bench/gradDropPartsProbe.ts `joined`, summed outputs included: 560-680 us a call against
 * 1,510-1,700, and 870-1,010 before, builds alternating, load 26-29) but compiled at the first step
 * (bench/gradDropCompileProbe.ts): gradDropJit.ts decides from the run's length. On the kernels
 * the row is joined (four blocks' ops would cost more than the copies). The leak's multiply-add
 * and the shares' dots stay on TensorFlow's kernels, so both ways give the same bits.
 */
export function graphGradDropBlocks(graph: GraphBuilder, name: string, blocks: readonly (readonly string[])[], sizes: readonly number[], seed: string, start: string, leak: number, jit = true): GraphGradDrop & { directions: string[] } {
  const k = blocks[0]!.length;
  const flat = (g: GraphBuilder, x: string, n: string) => g.op('Reshape', [x, g.constant(`${n}/row_shape`, { dtype: 'int32', shape: [2], values: [1, -1] })], { T: F, Tshape: I32 }, n);
  /** [1, P] rows joined along their axis 1 (one row: itself). */
  const concat = (g: GraphBuilder, rows: readonly string[], n: string) => (rows.length === 1 ? rows[0]!
    : g.op('ConcatV2', [...rows, g.constant(`${n}/axis`, { dtype: 'int32', shape: [], values: [1] })], { T: F, N: { i: rows.length }, Tidx: I32 }, n));
  /** Each task's blocks as one [1, P] row, on builder `g`. */
  const joined = (g: GraphBuilder, ins: readonly (readonly string[])[], n: string) =>
    Array.from({ length: k }, (_, i) => concat(g, ins.map((block, b) => flat(g, block[i]!, `${name}/${n}task_${i}/block_${b}`)), `${name}/${n}task_${i}`));
  /** On the kernels: the mask on the joined rows, its kept parts and sums split back. */
  const onRow = (ins: readonly (readonly string[])[]) => {
    const rows = joined(graph, ins, '');
    const mask = gradDropMask(graph, name, rows, (like) => gradDropUniform(graph, name, like, seed, start).uniform);
    const sizesNode = graph.constant(`${name}/sizes`, { dtype: 'int32', shape: [sizes.length], values: [...sizes] });
    const axis = graph.constant(`${name}/split_axis`, { dtype: 'int32', shape: [], values: [1] });
    const split = (x: string, n: string) => {
      if (ins.length === 1) return [x];
      const parts = graph.op('SplitV', [x, sizesNode, axis], { T: F, Tlen: I32, num_split: { i: sizes.length } }, `${name}/${n}`);
      return sizes.map((_, b) => (b === 0 ? parts : `${parts}:${b}`));
    };
    return { kept: split(mask.kept, 'split'), sums: leak === 0 ? [] : split(mask.sum, 'split_sum'), keptRow: mask.kept, rows };
  };
  /** In XLA's function (builder `g`): block by block, each from its offset in the joined row's stream. */
  const byBlock = (g: GraphBuilder, ins: readonly (readonly string[])[], seedIn: string, startIn: string) => {
    let offset = 0;
    const masks = ins.map((block, b) => {
      const at = `${name}/block_${b}`;
      const first = offset;
      offset += sizes[b]!;
      const word = first < 2 ? startIn : g.op('AddV2', [startIn, uint32Scalar(g, `${at}/first_word`, Math.floor(first / 2))], { T: U32 }, `${at}/start`);
      return gradDropMask(g, at, block.map((x, i) => flat(g, x, `${at}/task_${i}`)), (like) => gradDropUniform(g, at, like, seedIn, word, (first % 2) as 0 | 1).uniform);
    });
    return { kept: masks.map((m) => m.kept), sums: leak === 0 ? [] : masks.map((m) => m.sum) };
  };
  let parts: { kept: string[]; sums: string[]; keptRow?: string; rows?: string[] };
  if (!jit) parts = onRow(blocks);
  else {
    const args = [...blocks.flatMap((block, b) => block.map((_, i) => ({ name: `grad_${b}_${i}`, type: 'float' as const }))), { name: 'seed', type: 'int32' as const }, { name: 'start', type: 'uint32' as const }];
    const ins = blocks.map((block, b) => block.map((_, i) => `grad_${b}_${i}`));
    const call = xlaFunction(graph, MASK_FUNCTION, args, (g) => {
      const out = byBlock(g, ins, 'seed', 'start');
      return [...out.kept.map((node, b) => ({ name: `kept_${b}`, type: 'float' as const, node })), ...out.sums.map((node, b) => ({ name: `sum_${b}`, type: 'float' as const, node }))];
    })(`${name}/mask`, [...blocks.flat(), seed, start]);
    parts = { kept: call.slice(0, sizes.length), sums: call.slice(sizes.length) };
  }
  const directions = parts.kept.map((kept, b) => leaked(graph, `${name}/block_${b}`, kept, parts.sums[b] ?? kept, leak));
  // The shares' dots (reported steps only) on the rows joined again: inside XLA's function each of
  // the k sums would be a loop of its own that draws the hash and the mask again.
  const keptRow = parts.keptRow ?? concat(graph, parts.kept, `${name}/shares/kept`);
  return { direction: directions[0]!, keptDots: keptDotsOf(graph, name, parts.rows ?? joined(graph, blocks, 'shares/'), keptSign(graph, name, keptRow)), directions };
}
