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
// gradients are one MatMul (or BiasAddGrad) each over all steps. The hard sigmoid's slope
// (0.2 where it is not clipped) is computed for all steps at once after the forward pass, so
// the backward pass through time keeps only its per-step ops (about 13 forward and 13 backward
// per LSTM step).
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
  const zero = scalar('zero', 0);
  const one = scalar('one', 1);
  /** tfjs' hardSigmoid: 0.2 z + 0.5, clipped to [0, 1]. */
  const hardSigmoid = (z: string, name: string) => op('ClipByValue', [add(mul(z, scalar('slope', 0.2), `${name}/scaled`), scalar('half', 0.5), `${name}/shifted`), zero, one], name);
  /**
   * The factor from each step's gate output to its pre-activation for all steps at once: the hard
   * sigmoid's slope, 0.2 where 0 < s < 1, else 0; `scale` and `offset` (vectors over the gate
   * columns) make the LSTM's candidate columns, which are no hard sigmoid, exactly 1.
   */
  const slopes = (s: string[], scale: string, offset?: string) => {
    const all = pack(s, 'slope/gates');
    const inside = op('Sign', [mul(all, op('Sub', [one, all], 'slope/complement'), 'slope/product')], 'slope/inside');
    const m = mul(inside, scale, 'slope/scaled');
    return unpack(offset ? add(m, offset, 'slope/offset') : m, 'slope/steps');
  };

  // What the backward pass needs of the forward pass.
  let xRows = '';
  let kernel = '';
  let recurrent = '';
  const state: Array<Record<string, string>> = [];
  /** Each step's output state. */
  let hs: string[] = [];
  /** The GRU's recurrent kernel as its [U_zr | U_h] parts. */
  let uzr = '';
  let uh = '';
  let sequenceOutput = false;

  /** x [n, steps, features] time-major as rows [steps * n, features], projected by W and b into [steps] pieces [n, gates * u]. */
  const project = (x: string) => {
    kernel = c.read(`${id}/kernel`);
    recurrent = c.read(`${id}/recurrentKernel`);
    xRows = reshape(op('Transpose', [x, int('time_major', [1, 0, 2])], 'time_major', { T: F, Tperm: I32 }), [-1, features], 'x_rows');
    const projected = op('BiasAdd', [matMul(xRows, kernel, 'x_kernel'), c.read(`${id}/bias`)], 'x_projected', { T: F, data_format: { s: 'NHWC' } });
    return unpack(reshape(projected, [steps, -1, gates * u], 'x_steps'), 'x_step');
  };

  /** Per-step gradients at the output: the sequence's, or the last state's alone. */
  const givenGrads = (gy: string): Array<string | undefined> =>
    (sequenceOutput ? unpack(gy, 'grad_steps', 1) : Array.from({ length: steps }, (_, t) => (t === steps - 1 ? gy : undefined)));

  /** The input's gradient [n, steps, features] from the pre-activation gradients' rows (time-major). */
  const inputGrad = (dRows: string) =>
    op('Transpose', [reshape(matMul(dRows, kernel, 'input_grad_rows', false, true), [steps, -1, features], 'input_grad_steps'), int('batch_major', [1, 0, 2])],
      'input_grad', { T: F, Tperm: I32 });

  /** Rows of steps 1.. of a time-major [steps, n, k] tensor: what multiplied a previous state. */
  const laterRows = (x: string, width: number, name: string) =>
    reshape(op('Slice', [x, int(`${name}_begin`, [1, 0, 0]), int(`${name}_size`, [-1, -1, -1])], name, { T: F, Index: I32 }), [-1, width], `${name}_rows`);

  const output = () => {
    sequenceOutput = l.returnSequences ?? false;
    return sequenceOutput ? pack(hs, 'sequence', 1) : hs[steps - 1]!;
  };

  c.variable(id, 'kernel', [features, gates * u]);
  c.variable(id, 'recurrentKernel', [u, gates * u]);
  c.variable(id, 'bias', [gates * u]);

  if (l.type === 'lstm') {
    return {
      stateUpdates: [],
      forward(x) {
        const xs = project(x);
        hs = [];
        let h: string | undefined;
        let c: string | undefined;
        for (let t = 0; t < steps; t++) {
          const z = h ? add(xs[t]!, matMul(h, recurrent, `t${t}/recurrent`), `t${t}/z`) : xs[t]!;
          const s = hardSigmoid(z, `t${t}/gates`);
          const split = op('Split', [axis(1), s], `t${t}/split`, { T: F, num_split: { i: 4 } });
          const [i, f, o] = [split, `${split}:1`, `${split}:3`];
          const candidate = activate(columns(z, 2 * u, u, `t${t}/candidate_z`), `t${t}/candidate`);
          const ig = mul(i, candidate, `t${t}/input_part`);
          const cNext = c ? add(mul(f, c, `t${t}/forget_part`), ig, `t${t}/c`) : ig;
          const tc = activate(cNext, `t${t}/c_out`);
          const hNext = mul(o, tc, `t${t}/h`);
          state.push({ s, i, f, o, g: candidate, tc, ...(c ? { cPrev: c } : {}) });
          hs.push(hNext);
          h = hNext;
          c = cNext;
        }
        return output();
      },
      backward(gy, _x, _y, wantInput) {
        const given = givenGrads(gy);
        // Gate columns i, f, c, o: the hard sigmoid's slope on i, f, o (scale 0.2); the candidate's
        // gradient passes whole (scale 0, offset 1).
        const columnsOf = (gate: number, candidate: number) => [0, 1, 2, 3].flatMap((k) => new Array<number>(u).fill(k === 2 ? candidate : gate));
        const scale = constant('slope/scale', 'float', [4 * u], columnsOf(0.2, 0));
        const offset = constant('slope/offset', 'float', [4 * u], columnsOf(0, 1));
        const m = slopes(state.map((st) => st.s!), scale, offset);
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
          const dForget = st.cPrev ? mul(dc, st.cPrev, `t${t}/dc_cprev`) : op('ZerosLike', [dc], `t${t}/d_forget_zero`);
          const dGates = concat([mul(dc, st.g!, `t${t}/dc_g`), dForget, dCandidate, mul(dh, st.tc!, `t${t}/dh_tc`)], 1, `t${t}/d_gates`);
          dzs[t] = mul(dGates, m[t]!, `t${t}/dz`);
          if (t > 0) {
            dhNext = matMul(dzs[t]!, recurrent, `t${t}/dh_prev`, false, true);
            dc = mul(dc, st.f!, `t${t}/dc_prev`);
          }
        }
        const dz = pack(dzs, 'dz');
        const dRows = reshape(dz, [-1, 4 * u], 'dz_rows');
        const params: Array<[string, string]> = [
          [`${id}/kernel`, matMul(xRows, dRows, 'kernel_grad', true, false)],
          [`${id}/recurrentKernel`, steps > 1
            ? matMul(reshape(pack(hs.slice(0, -1), 'h_prev'), [-1, u], 'h_prev_rows'), laterRows(dz, 4 * u, 'dz_later'), 'recurrent_kernel_grad', true, false)
            : op('ZerosLike', [recurrent], 'recurrent_kernel_grad')],
          [`${id}/bias`, op('BiasAddGrad', [dRows], 'bias_grad', { T: F, data_format: { s: 'NHWC' } })],
        ];
        return { ...(wantInput ? { input: inputGrad(dRows) } : {}), params };
      },
    };
  }

  return {
    stateUpdates: [],
    forward(x) {
      const xs = project(x);
      uzr = columns(recurrent, 0, 2 * u, 'recurrent_zr');
      uh = columns(recurrent, 2 * u, u, 'recurrent_h');
      hs = [];
      let h: string | undefined;
      for (let t = 0; t < steps; t++) {
        const parts = op('SplitV', [xs[t]!, int(`t${t}/sizes`, [2 * u, u]), axis(1)],
          `t${t}/x_parts`, { T: F, num_split: { i: 2 }, Tlen: I32 });
        const s = hardSigmoid(h ? add(parts, matMul(h, uzr, `t${t}/recurrent_zr`), `t${t}/zr`) : parts, `t${t}/gates`);
        const split = op('Split', [axis(1), s], `t${t}/split`, { T: F, num_split: { i: 2 } });
        const [z, r] = [split, `${split}:1`];
        const rh = h ? mul(r, h, `t${t}/rh`) : undefined;
        const hh = activate(rh ? add(`${parts}:1`, matMul(rh, uh, `t${t}/recurrent_h`), `t${t}/hh_z`) : `${parts}:1`, `t${t}/hh`);
        const omz = op('Sub', [one, z], `t${t}/omz`);
        const hNext = h ? add(mul(z, h, `t${t}/keep`), mul(omz, hh, `t${t}/new`), `t${t}/h`) : mul(omz, hh, `t${t}/h`);
        state.push({ s, z, r, omz, hh, ...(h ? { h } : {}), ...(rh ? { rh } : {}) });
        hs.push(hNext);
        h = hNext;
      }
      return output();
    },
    backward(gy, _x, _y, wantInput) {
      const given = givenGrads(gy);
      const m = slopes(state.map((st) => st.s!), scalar('slope/scale', 0.2));
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
        dAs[t] = mul(concat([dz, dr], 1, `t${t}/d_gates`), m[t]!, `t${t}/d_zr`);
        if (dRh) {
          dhNext = op('AddN', [mul(dh, st.z!, `t${t}/dh_z`), mul(dRh, st.r!, `t${t}/drh_r`), matMul(dAs[t]!, uzr, `t${t}/dzr_u`, false, true)], `t${t}/dh_prev`,
            { T: F, N: { i: 3 } });
        }
      }
      const dA = pack(dAs, 'd_zr_all');
      const dH = pack(dHs, 'd_hh_all');
      const dRows = reshape(concat([dA, dH], 2, 'd_x'), [-1, 3 * u], 'd_x_rows');
      // [U_zr | U_h]: each part's gradient from the state it multiplied (steps 1..).
      const dRecurrent = steps > 1
        ? concat([
          matMul(reshape(pack(state.slice(1).map((st) => st.h!), 'h_prev'), [-1, u], 'h_prev_rows'), laterRows(dA, 2 * u, 'd_zr_later'), 'recurrent_zr_grad', true, false),
          matMul(reshape(pack(state.slice(1).map((st) => st.rh!), 'rh_prev'), [-1, u], 'rh_prev_rows'), laterRows(dH, u, 'd_hh_later'), 'recurrent_h_grad', true, false),
        ], 1, 'recurrent_kernel_grad')
        : op('ZerosLike', [recurrent], 'recurrent_kernel_grad');
      const params: Array<[string, string]> = [
        [`${id}/kernel`, matMul(xRows, dRows, 'kernel_grad', true, false)],
        [`${id}/recurrentKernel`, dRecurrent],
        [`${id}/bias`, op('BiasAddGrad', [dRows], 'bias_grad', { T: F, data_format: { s: 'NHWC' } })],
      ];
      return { ...(wantInput ? { input: inputGrad(dRows) } : {}), params };
    },
  };
}
