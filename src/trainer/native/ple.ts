// PLE (and CGC, its one level) in the compiled step (Tang et al. 2020, eqs. 4-6, Fig. 4; the
// tape's model/blockLayers.ts Ple, which this follows op for op). Per level, from task k's
// input h_k and the shared input h_s (both x at the first level): task k's experts
// act(h_k E_k + b_k) [n, T, u], the shared experts act(h_s S + b_S) [n, S, u]; every task's
// gate softmax(h_k G_k + c_k) in one Einsum over the stacked gate kernel [tasks, w, T + S];
// task k's output mixes its own and the shared experts by its gate (one BatchMatMul); below
// the top level the shared gate mixes every expert into the shared output. The top level's
// task outputs, stacked, are the block's [n, tasks, u]. Backward runs the levels in reverse
// with the same ops' adjoints: BatchMatMul for the mixes, p (g - sum(g p)) through each
// softmax, one Einsum per kernel's gradient and per input's.
import type * as TF from '@tensorflow/tfjs';
import { pleLevels } from '../../core/blockLayers';
import type { PleLayer } from '../../core/spec';
import { activate, activationGrad } from './activation';
import type { BlockOps } from './blockOps';
import type { NativeLayer, ParamGrad } from './layer';
import type { NativeOps } from './ops';

type Var = { read(): TF.Variable };
/** One level's variables (model/blockLayers.ts Ple `levels`). */
interface LevelVars { shared: Var; sharedBias: Var; own: Var[]; ownBias: Var[]; gates: Var; gateBias: Var; sharedGate?: Var; sharedGateBias?: Var }

/** What the backward pass needs of one level's forward. */
interface LevelState {
  /** Each task's input [n, w] (one tensor, x, for every task at the first level) and the shared input. */
  tasks: TF.Tensor[]; shared: TF.Tensor;
  own: TF.Tensor[]; common: TF.Tensor;
  /** Each task's gate [n, 1, T + S] and the experts it mixes [n, T + S, u]. */
  gates: TF.Tensor[]; mixed: TF.Tensor[];
  /** All task gates [n, tasks, T + S]. */
  allGates: TF.Tensor;
  /** Below the top level: the shared gate [n, 1, tasks T + S] and every expert [n, tasks T + S, u]. */
  sharedGate?: TF.Tensor; all?: TF.Tensor;
}

export function nativePle(ops: NativeOps, bo: BlockOps, l: PleLayer, layer: TF.layers.Layer): NativeLayer {
  const levels = (layer as unknown as { levels: LevelVars[] }).levels;
  const act = l.activation ?? 'relu';
  const n = l.tasks;
  const T = l.taskExperts;
  const S = l.sharedExperts;
  const count = pleLevels(l);
  const cat = (xs: TF.Tensor[], axis: number) => (xs.length === 1 ? xs[0]! : ops.concat(xs, axis));
  const split = (x: TF.Tensor, sizes: number[], axis: number) => (sizes.length === 1 ? [x] : ops.split(x, sizes, axis));
  /** [n, 1, u] -> [n, u] and back. */
  const drop = (x: TF.Tensor) => ops.reshape(x, [x.shape[0]!, x.shape[2]!]);
  const lift = (x: TF.Tensor) => ops.reshape(x, [x.shape[0]!, 1, x.shape[1]!]);
  let states: LevelState[] = [];

  /** Whether every task reads one input (x, at the first level): the gates' logits are then one Einsum of it, else of the tasks' inputs stacked. */
  const sameInput = (tasks: TF.Tensor[]) => tasks.every((h) => h === tasks[0]);

  const params = (): Array<[string, TF.Variable]> => levels.flatMap((v, j) => [
    ...v.own.flatMap((e, k): Array<[string, TF.Variable]> => [[`l${j}_task${k}Experts`, e.read()], [`l${j}_task${k}Bias`, v.ownBias[k]!.read()]]),
    [`l${j}_sharedExperts`, v.shared.read()], [`l${j}_sharedBias`, v.sharedBias.read()],
    [`l${j}_gates`, v.gates.read()], [`l${j}_gateBias`, v.gateBias.read()],
    ...(v.sharedGate && v.sharedGateBias ? [[`l${j}_sharedGate`, v.sharedGate.read()], [`l${j}_sharedGateBias`, v.sharedGateBias.read()]] as Array<[string, TF.Variable]> : []),
  ]);

  return {
    forward(x) {
      states = [];
      let tasks: TF.Tensor[] = Array.from({ length: n }, () => x);
      let shared = x;
      let out: TF.Tensor[] = [];
      for (const v of levels) {
        const experts = (h: TF.Tensor, kernel: Var, bias: Var) => activate(ops, act, ops.add(bo.einsum('bw,ewu->beu', h, kernel.read()), bias.read()));
        const own = tasks.map((h, k) => experts(h, v.own[k]!, v.ownBias[k]!));
        const common = experts(shared, v.shared, v.sharedBias);
        const logits = sameInput(tasks) ? bo.einsum('bw,kwm->bkm', tasks[0]!, v.gates.read()) : bo.einsum('bkw,kwm->bkm', bo.packColumns(tasks), v.gates.read());
        const allGates = bo.softmax(ops.add(logits, v.gateBias.read()));
        const gates = split(allGates, new Array<number>(n).fill(1), 1);
        const mixed = own.map((e) => ops.concat([e, common], 1));
        out = gates.map((g, k) => bo.batchMatMul(g, mixed[k]!));
        const state: LevelState = { tasks, shared, own, common, gates, mixed, allGates };
        if (v.sharedGate && v.sharedGateBias) {
          state.sharedGate = bo.softmax(ops.add(bo.einsum('bw,owm->bom', shared, v.sharedGate.read()), v.sharedGateBias.read()));
          state.all = ops.concat([...own, common], 1);
          shared = drop(bo.batchMatMul(state.sharedGate, state.all));
        }
        states.push(state);
        tasks = out.map(drop);
      }
      return cat(out, 1);
    },
    backward(gy, _x, _y, wantInput) {
      const grads: ParamGrad[] = [];
      // The gradients at the top level's task outputs, [n, 1, u] each; none yet at its shared output.
      let dOut: TF.Tensor[] = split(gy, new Array<number>(n).fill(1), 1);
      let dShared: TF.Tensor | undefined;
      let dInput: TF.Tensor | undefined;
      for (let j = count - 1; j >= 0; j--) {
        const v = levels[j]!;
        const st = states[j]!;
        const dOwn: TF.Tensor[][] = st.own.map(() => []);
        const dCommon: TF.Tensor[] = [];
        // The task mixes: gate [n, 1, m] times experts [n, m, u].
        const dGates = st.gates.map((g, k) => {
          const dy = dOut[k]!;
          const [own, common] = split(bo.batchMatMul(g, dy, true, false), [T, S], 1) as [TF.Tensor, TF.Tensor];
          dOwn[k]!.push(own);
          dCommon.push(common);
          return bo.batchMatMul(dy, st.mixed[k]!, false, true);
        });
        const dLogits = bo.softmaxGrad(st.allGates, cat(dGates, 1));
        grads.push([`l${j}_gates`, v.gates.read(), sameInput(st.tasks) ? bo.einsum('bw,bkm->kwm', st.tasks[0]!, dLogits) : bo.einsum('bkw,bkm->kwm', bo.packColumns(st.tasks), dLogits)]);
        grads.push([`l${j}_gateBias`, v.gateBias.read(), ops.sum(dLogits, 0)]);
        const dTasks: TF.Tensor[][] = st.tasks.map(() => []);
        const dSharedIn: TF.Tensor[] = [];
        if (j > 0 || wantInput) {
          const dH = bo.einsum('bkm,kwm->bkw', dLogits, v.gates.read());
          bo.unpackColumns(dH).forEach((d, k) => dTasks[k]!.push(d));
        }
        // The shared mix (below the top level): shared gate [n, 1, tasks T + S] times every expert.
        if (st.sharedGate && st.all && dShared && v.sharedGate && v.sharedGateBias) {
          const dy = lift(dShared);
          const parts = split(bo.batchMatMul(st.sharedGate, dy, true, false), [...new Array<number>(n).fill(T), S], 1);
          parts.slice(0, n).forEach((p, k) => dOwn[k]!.push(p));
          dCommon.push(parts[n]!);
          const dz = bo.softmaxGrad(st.sharedGate, bo.batchMatMul(dy, st.all, false, true));
          grads.push([`l${j}_sharedGate`, v.sharedGate.read(), bo.einsum('bw,bom->owm', st.shared, dz)]);
          grads.push([`l${j}_sharedGateBias`, v.sharedGateBias.read(), ops.sum(dz, 0)]);
          if (j > 0 || wantInput) dSharedIn.push(bo.einsum('bom,owm->bw', dz, v.sharedGate.read()));
        }
        // The experts: through the activation to their kernels, biases and inputs.
        const expertGrads = (key: string, e: TF.Tensor, parts: TF.Tensor[], h: TF.Tensor, kernel: Var, bias: Var, into: TF.Tensor[]) => {
          if (!parts.length) return;
          const dz = activationGrad(ops, act, e, ops.addN(parts));
          grads.push([`${key}Experts`, kernel.read(), bo.einsum('bw,beu->ewu', h, dz)]);
          grads.push([`${key}Bias`, bias.read(), ops.sum(dz, 0)]);
          if (j > 0 || wantInput) into.push(bo.einsum('beu,ewu->bw', dz, kernel.read()));
        };
        st.own.forEach((e, k) => expertGrads(`l${j}_task${k}`, e, dOwn[k]!, st.tasks[k]!, v.own[k]!, v.ownBias[k]!, dTasks[k]!));
        expertGrads(`l${j}_shared`, st.common, dCommon, st.shared, v.shared, v.sharedBias, dSharedIn);
        if (j > 0) {
          // Below the top level every task's output and the shared output feed the next level's gates and experts.
          dOut = dTasks.map((d) => lift(ops.addN(d)));
          dShared = ops.addN(dSharedIn);
        } else if (wantInput) {
          const all = [...dTasks.flat(), ...dSharedIn];
          if (all.length) dInput = ops.addN(all);
        }
      }
      return { ...(dInput ? { input: dInput } : {}), params: grads };
    },
    params,
  };
}
