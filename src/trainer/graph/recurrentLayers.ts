// LSTM and GRU layers in the fused graph step (trainGraph.ts), unrolled over their time steps
// as raw TensorFlow ops, forward and backward, as tfjs-layers computes them (layers/recurrent.js;
// the eager versions: native/lstm.ts, native/gru.ts). TensorFlow's fused CPU kernels
// (BlockLSTMV2, GRUBlockCell) cannot stand in: their gates use the logistic sigmoid, where
// tfjs-layers' default recurrent activation is the hard sigmoid clip(0.2 z + 0.5, 0, 1).
// - LSTM: gates i, f, c, o from z = x W + h U + b; i, f, o = hard sigmoid, candidate g and
//   the cell output by the layer's activation; c = f c' + i g, h = o act(c).
// - GRU (reset before the recurrent product): x W + b split into z, r, h parts, with U as
//   [U_zr | U_h]: z, r = hard sigmoid(x_zr + h U_zr), hh = act(x_h + (r h) U_h),
//   h' = z h + (1 - z) hh.
// Zero initial state; the first step's h U and f c' (exact zeros) are left out. Everything runs
// time-major: the input projection of all steps is one MatMul before the loop (its bias added
// there, not per step: a rounding-level difference), and the kernel, recurrent kernel and bias
// gradients are one MatMul (or BiasAddGrad) each over all steps. The hard sigmoid runs as
// Relu6 on weights scaled once per step (`folded` below), its gradient as one Relu6Grad: about
// 14 ops forward and 15 backward per LSTM step, on 20 [n, units] passes of memory forward and
// 16 backward where the clip on every gate column and the slopes computed apart took 27 and 46
// (bench/recurrentStepProbe.ts, perf on the bench's LSTM at batch 256, 2026-11-30: the
// elementwise kernels' time fell by about a quarter, the step's by about a tenth).
// The gates stay one [n, 4 units] product split per step (and one concatenated gradient): four
// products, one per gate, or one batched product over a [4, units, units] kernel, took more CPU
// run eagerly in tfjs-node at batch 256 (forward 0.71-0.94 ms a step against 0.66-0.79, backward 0.64-0.85
// against 0.45-0.46), and so did the weight gradients as a sum of per-step products (5.2-5.8 ms
// against 1.8-2.0 for the one product over all steps; 2026-11-30, load 15).
// `infer` writes the same forward pass again for evaluation in the session (graph layers with an
// inference form; graphRecurrentInfer.test.ts holds it to tfjs-layers' values), keeping nothing.
import type { Shape } from '../../core/shapeTypes';
import type { RecurrentLayer } from '../../core/spec';
import { ACTIVATIONS, type GraphLayer, type GraphLayerContext } from './convLayers';
import type { Attr } from './graphDef';

/** The layer types written here; their variables are tfjs-layers' cell's (kernel, recurrentKernel, bias). */
export const isGraphRecurrentLayer = (l: { type: string }): l is RecurrentLayer => l.type === 'lstm' || l.type === 'gru';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
const NO: Attr = { b: false };
const YES: Attr = { b: true };

/**
 * The graph layer for `l` on an input of per-example shape [steps, features]: x [n, steps,
 * features] -> the last state [n, units], or every state [n, steps, units]; declares its variables.
 */
export function graphRecurrent(c: GraphLayerContext, l: RecurrentLayer, input: Shape): GraphLayer {
  const { g } = c;
  const [steps, features] = input as [number, number];
  const u = l.units;
  const gates = l.type === 'lstm' ? 4 : 3;
  const act = l.activation ?? 'tanh';
  const id = l.id;
  // Constants made once per layer and value: the graph's size is what TensorFlow's first run
  // (Grappler, the executor's set-up) pays for, and every step would repeat the same ones.
  const constants = new Map<string, string>();
  const constant = (name: string, dtype: 'int32' | 'float', shape: number[], values: number[]) => {
    const key = `${dtype}${shape.join('x')}:${values.join()}`;
    return constants.get(key) ?? constants.set(key, g.constant(`${id}/${name}`, { dtype, shape, values })).get(key)!;
  };
  const int = (name: string, values: number[]) => constant(name, 'int32', [values.length], values);
  const axis = (k: number) => constant(`axis${k}`, 'int32', [], [k]);
  const scalar = (name: string, value: number) => constant(name, 'float', [], [value]);
  const op = (type: string, inputs: string[], name: string, attrs: Record<string, Attr> = { T: F }) => g.op(type, inputs, attrs, `${id}/${name}`);
  const mul = (a: string, b: string, name: string) => op('Mul', [a, b], name);
  const add = (a: string, b: string, name: string) => op('AddV2', [a, b], name);
  const matMul = (a: string, b: string, name: string, ta = false, tb = false) => op('MatMul', [a, b], name, { T: F, transpose_a: ta ? YES : NO, transpose_b: tb ? YES : NO });
  const reshape = (x: string, shape: number[], name: string) => op('Reshape', [x, int(`${name}_shape`, shape)], name, { T: F, Tshape: I32 });
  const concat = (xs: string[], along: number, name: string) => op('ConcatV2', [...xs, axis(along)], name,
    { T: F, N: { i: xs.length }, Tidx: I32 });
  const pack = (xs: string[], name: string, axis = 0) => op('Pack', xs, name, { T: F, N: { i: xs.length }, axis: { i: axis } });
  const unpack = (x: string, name: string, axis = 0) => {
    const node = op('Unpack', [x], name, { T: F, num: { i: steps }, axis: { i: axis } });
    return Array.from({ length: steps }, (_, t) => (t === 0 ? node : `${node}:${t}`));
  };
  /** Columns [from, from + width) of a [n, k] tensor. */
  const columns = (x: string, from: number, width: number, name: string) => op('Slice', [x, int(`${name}_begin`, [0, from]), int(`${name}_size`, [-1, width])], name, { T: F, Index: I32 });
  // 'linear' has no entry: the value passes as it is.
  const activation = ACTIVATIONS[act];
  const activate = (z: string, name: string) => (activation ? op(activation.op, [z], name) : z);
  /** The gradient before the activation from the one after it (`gy`) and its output `y`. */
  const activationGrad = (y: string, gy: string, name: string) => (activation ? activation.grad(g, gy, y, `${id}/${name}`) : gy);
  const one = scalar('one', 1);
  /**
   * The hard sigmoid clip(0.2 z + 0.5, 0, 1) as Relu6(1.2 z + 3) / 6: the 1.2 and 3 are folded
   * into the gate columns of the kernel, recurrent kernel and bias once per training step
   * (`folded`), so a time step pays Relu6 and one Mul on each gate where it paid Mul, AddV2 and
   * ClipByValue on every column; and the backward pass gets the clip's mask and the slope in one
   * Relu6Grad from the gate's pre-activation (the remaining factor 0.2 = 1.2 / 6 is folded into
   * the recurrent kernel the backward multiplies by and into the weight gradients, `unfold`).
   * Rounding-level differences from tfjs' order of operations.
   */
  const hard = (z: string, name: string) => mul(op('Relu6', [z], `${name}6`), scalar('sixth', 1 / 6), name);
  const hardGrad = (gy: string, z: string, name: string) => op('Relu6Grad', [gy, z], name);
  /** A vector over the layer's gate columns (`isHard`: hard sigmoid gate, else the candidate's columns, left as they are). */
  const byColumns = (name: string, isHard: boolean[], hardValue: number, plainValue: number) =>
    constant(name, 'float', [gates * u], isHard.flatMap((h) => new Array<number>(u).fill(h ? hardValue : plainValue)));
  const hardColumns = l.type === 'lstm' ? [true, true, false, true] : [true, true, false];
  const forwardScale = byColumns('fold/scale', hardColumns, 1.2, 1);
  const backwardScale = byColumns('unfold/scale', hardColumns, 0.2, 1);
  interface Folded { kernel: string; recurrent: string; bias: string }
  let foldedWeights: Folded | undefined;
  /** The weights the forward passes (training's and inference's) multiply by: gate columns scaled by 1.2, their bias also shifted by 3. */
  const folded = (): Folded => (foldedWeights ??= {
    kernel: mul(c.read(`${id}/kernel`), forwardScale, 'fold/kernel'),
    recurrent: mul(c.read(`${id}/recurrentKernel`), forwardScale, 'fold/recurrent'),
    bias: add(mul(c.read(`${id}/bias`), forwardScale, 'fold/bias_scaled'), byColumns('fold/offset', hardColumns, 3, 0), 'fold/bias'),
  });
  /** The gradient with respect to an unfolded weight (or a weight scaled by `backwardScale`) from one taken at the gate pre-activations' Relu6Grad. */
  const unfold = (grad: string, name: string) => mul(grad, backwardScale, name);

  // What the backward pass needs of the forward pass.
  let xRows = '';
  let kernel = '';
  let recurrent = '';
  const state: Array<Record<string, string>> = [];
  /** Each step's output state. */
  let hs: string[] = [];
  /** The U_h part of the GRU's recurrent kernel [U_zr | U_h], as the training forward pass read it (its scale is 1: not folded). */
  let uh = '';
  let sequenceOutput = false;

  /**
   * x [n, steps, features] time-major as rows [steps * n, features], and projected by the folded
   * W and b into [steps] pieces [n, gates * u]; `at` prefixes the nodes' names (inference's 'eval/').
   */
  const project = (x: string, w: Folded, at: string) => {
    const rows = reshape(op('Transpose', [x, int('time_major', [1, 0, 2])], `${at}time_major`, { T: F, Tperm: I32 }), [-1, features], `${at}x_rows`);
    const projected = op('BiasAdd', [matMul(rows, w.kernel, `${at}x_kernel`), w.bias], `${at}x_projected`, { T: F, data_format: { s: 'NHWC' } });
    return { rows, xs: unpack(reshape(projected, [steps, -1, gates * u], `${at}x_steps`), `${at}x_step`) };
  };

  /** Per-step gradients at the output: the sequence's, or the last state's alone. */
  const givenGrads = (gy: string): Array<string | undefined> =>
    (sequenceOutput ? unpack(gy, 'grad_steps', 1) : Array.from({ length: steps }, (_, t) => (t === steps - 1 ? gy : undefined)));

  /** The input's gradient [n, steps, features] from the pre-activation gradients' rows (time-major, before `unfold`). */
  const inputGrad = (dRows: string) =>
    op('Transpose', [reshape(matMul(dRows, unfold(kernel, 'unfold/kernel'), 'input_grad_rows', false, true), [steps, -1, features], 'input_grad_steps'),
      int('batch_major', [1, 0, 2])], 'input_grad', { T: F, Tperm: I32 });

  /** Rows of steps 1.. of a time-major [steps, n, k] tensor: what multiplied a previous state. */
  const laterRows = (x: string, width: number, name: string) =>
    reshape(op('Slice', [x, int(`${name}_begin`, [1, 0, 0]), int(`${name}_size`, [-1, -1, -1])], name, { T: F, Index: I32 }), [-1, width], `${name}_rows`);

  const output = (states: string[], at: string) => (l.returnSequences ? pack(states, `${at}sequence`, 1) : states[steps - 1]!);
  /** The training forward pass: its projection and states kept for the backward pass. */
  const start = (x: string) => {
    kernel = c.read(`${id}/kernel`);
    recurrent = c.read(`${id}/recurrentKernel`);
    sequenceOutput = l.returnSequences ?? false;
    const w = folded();
    const { rows, xs } = project(x, w, '');
    xRows = rows;
    return { w, xs };
  };

  /** A cell's pass over the projected steps `xs`; `keep` receives what the backward pass reads of each step. */
  type Run = (xs: string[], w: Folded, at: string, keep?: (st: Record<string, string>) => void) => string[];
  /**
   * The layer over a cell's `run`: the training forward pass keeps each step's state for
   * `backward`, which gets the per-step gradients at the output; inference runs the cell again, keeping nothing.
   */
  const layer = (run: Run, backward: (given: Array<string | undefined>, wantInput: boolean) => ReturnType<GraphLayer['backward']>): GraphLayer => ({
    stateUpdates: [],
    forward(x) {
      const { w, xs } = start(x);
      hs = run(xs, w, '', (st) => state.push(st));
      return output(hs, '');
    },
    infer(x) {
      const w = folded();
      return output(run(project(x, w, 'eval/').xs, w, 'eval/'), 'eval/');
    },
    backward: (gy, _x, _y, wantInput) => backward(givenGrads(gy), wantInput),
  });

  /** The kernel and bias gradients from the pre-activation gradients' rows, and the input's when asked. */
  const inputSide = (dRows: string, wantInput: boolean) => ({
    ...(wantInput ? { input: inputGrad(dRows) } : {}),
    params: [
      [`${id}/kernel`, unfold(matMul(xRows, dRows, 'kernel_grad_folded', true, false), 'kernel_grad')],
      [`${id}/bias`, unfold(op('BiasAddGrad', [dRows], 'bias_grad_folded', { T: F, data_format: { s: 'NHWC' } }), 'bias_grad')],
    ] as Array<[string, string]>,
  });

  c.variable(id, 'kernel', [features, gates * u]);
  c.variable(id, 'recurrentKernel', [u, gates * u]);
  c.variable(id, 'bias', [gates * u]);

  if (l.type === 'lstm') {
    /** The LSTM's states over the projected steps (Run). */
    const run: Run = (xs, w, at, keep) => {
      const states: string[] = [];
      let h: string | undefined;
      let c: string | undefined;
      for (let t = 0; t < steps; t++) {
        const p = `${at}t${t}`;
        const z = h ? add(xs[t]!, matMul(h, w.recurrent, `${p}/recurrent`), `${p}/z`) : xs[t]!;
        // Each gate's own pre-activation (Split copies them out once): Relu6Grad reads it in the backward pass.
        const split = op('Split', [axis(1), z], `${p}/split`, { T: F, num_split: { i: 4 } });
        const [zi, zf, zc, zo] = [split, `${split}:1`, `${split}:2`, `${split}:3`];
        const i = hard(zi, `${p}/i`);
        const o = hard(zo, `${p}/o`);
        const candidate = activate(zc, `${p}/candidate`);
        const ig = mul(i, candidate, `${p}/input_part`);
        // The first step's forget gate meets a zero cell: it is not computed.
        const f = c ? hard(zf, `${p}/f`) : undefined;
        const cNext = c ? add(mul(f!, c, `${p}/forget_part`), ig, `${p}/c`) : ig;
        const tc = activate(cNext, `${p}/c_out`);
        const hNext = mul(o, tc, `${p}/h`);
        keep?.({ zi, zf, zo, i, o, g: candidate, tc, ...(c ? { f: f!, cPrev: c } : {}) });
        states.push(hNext);
        h = hNext;
        c = cNext;
      }
      return states;
    };
    return layer(run, (given, wantInput) => {
      const recurrentBack = unfold(recurrent, 'unfold/recurrent');
      const dzs: string[] = new Array<string>(steps);
      let dhNext: string | undefined;
      let dc: string | undefined;
      for (let t = steps - 1; t >= 0; t--) {
        const st = state[t]!;
        const parts = [given[t], dhNext].filter((p): p is string => !!p);
        const dh = parts.length === 1 ? parts[0]! : add(parts[0]!, parts[1]!, `t${t}/dh`);
        const fromH = activationGrad(st.tc!, mul(dh, st.o!, `t${t}/dh_o`), `t${t}/dc_from_h`);
        dc = dc ? add(dc, fromH, `t${t}/dc`) : fromH;
        const dCandidate = activationGrad(st.g!, mul(dc, st.i!, `t${t}/dc_i`), `t${t}/d_candidate`);
        // The first step's forget gate met a zero cell: its gradient is zero.
        const dForget = st.cPrev ? hardGrad(mul(dc, st.cPrev, `t${t}/dc_cprev`), st.zf!, `t${t}/d_forget`) : op('ZerosLike', [dc], `t${t}/d_forget_zero`);
        dzs[t] = concat([hardGrad(mul(dc, st.g!, `t${t}/dc_g`), st.zi!, `t${t}/d_input`), dForget, dCandidate,
          hardGrad(mul(dh, st.tc!, `t${t}/dh_tc`), st.zo!, `t${t}/d_output`)], 1, `t${t}/dz`);
        if (t > 0) {
          dhNext = matMul(dzs[t]!, recurrentBack, `t${t}/dh_prev`, false, true);
          dc = mul(dc, st.f!, `t${t}/dc_prev`);
        }
      }
      const dz = pack(dzs, 'dz');
      const dRows = reshape(dz, [-1, 4 * u], 'dz_rows');
      const { params, ...input } = inputSide(dRows, wantInput);
      params.push([`${id}/recurrentKernel`, steps > 1
        ? unfold(matMul(reshape(pack(hs.slice(0, -1), 'h_prev'), [-1, u], 'h_prev_rows'), laterRows(dz, 4 * u, 'dz_later'), 'recurrent_kernel_grad_folded', true, false),
          'recurrent_kernel_grad')
        : op('ZerosLike', [recurrent], 'recurrent_kernel_grad')]);
      return { ...input, params };
    });
  }

  /** The GRU's states over the projected steps (Run). */
  const run: Run = (xs, w, at, keep) => {
    const uzrAt = columns(w.recurrent, 0, 2 * u, `${at}recurrent_zr`);
    const uhAt = columns(w.recurrent, 2 * u, u, `${at}recurrent_h`);
    if (keep) uh = uhAt;
    const states: string[] = [];
    let h: string | undefined;
    for (let t = 0; t < steps; t++) {
      const p = `${at}t${t}`;
      const parts = op('SplitV', [xs[t]!, int(`t${t}/sizes`, [2 * u, u]), axis(1)],
        `${p}/x_parts`, { T: F, num_split: { i: 2 }, Tlen: I32 });
      const zr = h ? add(parts, matMul(h, uzrAt, `${p}/recurrent_zr`), `${p}/zr`) : parts;
      const split = op('Split', [axis(1), hard(zr, `${p}/gates`)], `${p}/split`, { T: F, num_split: { i: 2 } });
      const [z, r] = [split, `${split}:1`];
      const rh = h ? mul(r, h, `${p}/rh`) : undefined;
      const hh = activate(rh ? add(`${parts}:1`, matMul(rh, uhAt, `${p}/recurrent_h`), `${p}/hh_z`) : `${parts}:1`, `${p}/hh`);
      const omz = op('Sub', [one, z], `${p}/omz`);
      const hNext = h ? add(mul(z, h, `${p}/keep`), mul(omz, hh, `${p}/new`), `${p}/h`) : mul(omz, hh, `${p}/h`);
      keep?.({ zr, z, r, omz, hh, ...(h ? { h } : {}), ...(rh ? { rh } : {}) });
      states.push(hNext);
      h = hNext;
    }
    return states;
  };
  return layer(run, (given, wantInput) => {
    const uzrBack = mul(columns(recurrent, 0, 2 * u, 'unfold/recurrent_zr_unscaled'), scalar('unfold/gate_scale', 0.2), 'unfold/recurrent_zr');
    const dAs: string[] = new Array<string>(steps);
    const dHs: string[] = new Array<string>(steps);
    let dhNext: string | undefined;
    for (let t = steps - 1; t >= 0; t--) {
      const st = state[t]!;
      const parts = [given[t], dhNext].filter((p): p is string => !!p);
      const dh = parts.length === 1 ? parts[0]! : add(parts[0]!, parts[1]!, `t${t}/dh`);
      // h' = z h + (1 - z) hh: dz = dh (h - hh), with h = 0 at the first step.
      const dz = mul(dh, st.h ? op('Sub', [st.h, st.hh!], `t${t}/h_minus_hh`) : op('Neg', [st.hh!], `t${t}/minus_hh`), `t${t}/dz`);
      dHs[t] = activationGrad(st.hh!, mul(dh, st.omz!, `t${t}/dh_omz`), `t${t}/d_hh`);
      const dRh = st.h ? matMul(dHs[t]!, uh, `t${t}/d_rh`, false, true) : undefined;
      const dr = dRh ? mul(dRh, st.h!, `t${t}/dr`) : op('ZerosLike', [dz], `t${t}/dr_zero`);
      dAs[t] = hardGrad(concat([dz, dr], 1, `t${t}/d_gates`), st.zr!, `t${t}/d_zr`);
      if (dRh) {
        // An AddN, not sumInOrder's stack: its three parts are new here and read by it alone, so it
        // always writes into the first and sums them in their order (orderedSum.ts).
        dhNext = op('AddN', [mul(dh, st.z!, `t${t}/dh_z`), mul(dRh, st.r!, `t${t}/drh_r`), matMul(dAs[t]!, uzrBack, `t${t}/dzr_u`, false, true)], `t${t}/dh_prev`,
          { T: F, N: { i: 3 } });
      }
    }
    const dA = pack(dAs, 'd_zr_all');
    const dH = pack(dHs, 'd_hh_all');
    const dRows = reshape(concat([dA, dH], 2, 'd_x'), [-1, 3 * u], 'd_x_rows');
    const { params, ...input } = inputSide(dRows, wantInput);
    // [U_zr | U_h]: each part's gradient from the state it multiplied (steps 1..).
    params.push([`${id}/recurrentKernel`, steps > 1
      ? unfold(concat([
        matMul(reshape(pack(state.slice(1).map((st) => st.h!), 'h_prev'), [-1, u], 'h_prev_rows'), laterRows(dA, 2 * u, 'd_zr_later'), 'recurrent_zr_grad', true, false),
        matMul(reshape(pack(state.slice(1).map((st) => st.rh!), 'rh_prev'), [-1, u], 'rh_prev_rows'), laterRows(dH, u, 'd_hh_later'), 'recurrent_h_grad', true, false),
      ], 1, 'recurrent_kernel_grad_folded'), 'recurrent_kernel_grad')
      : op('ZerosLike', [recurrent], 'recurrent_kernel_grad')]);
    return { ...input, params };
  });
}
