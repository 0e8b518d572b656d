// The adaptive optimizers' updates (Adam, RMSProp, Adagrad: optimizers.ts) over every variable
// at once. Their rules are elementwise, so one run of the rule's ops over all gradients side by
// side in one flat vector gives each variable exactly the values its own run would: about 14
// ops per variable become 14 in all, plus a reshape, a subtraction and an assign per variable
// and one concat and one split (on the MMoE example's 12 variables, 180 ops become about 65).
// The state (moments, accumulators) is kept flat too, laid out in the order keys first came.
// A variable without a gradient this step keeps its state and is not moved (tfjs given none),
// unless the caller asks for a zero gradient (`zeroForMissing`); a key seen first later
// joins the layout with the rule's initial state.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { NativeOps, OpAttr } from './ops';

/** One elementwise update: from the gradient, the state and the step's constants, the new state and what the variable loses. */
export type ElementRule = (g: TF.Tensor, state: TF.Tensor[], c: TF.Tensor[]) => { next: TF.Tensor[]; step: TF.Tensor };

export interface FlatUpdates {
  /** Updates every variable of `grads` (key -> gradient), each gradient times `scale` if given (clipping); call inside the step's tidy. */
  apply(grads: ReadonlyMap<string, TF.Tensor>, variables: ReadonlyMap<string, TF.Variable>, c: TF.Tensor[], zeroForMissing: boolean, scale?: TF.Tensor): void;
  dispose(): void;
}

/** `fills`: each state tensor's initial value (Adagrad's accumulator starts above 0). */
export function flatUpdates(tf: Tf, ops: NativeOps, fills: number[], rule: ElementRule): FlatUpdates {
  const be = ops.raw.backend;
  const T: OpAttr = { name: 'T', type: be.binding.TF_ATTR_TYPE, value: be.binding.TF_FLOAT };
  const keys: string[] = [];
  const sizes: number[] = [];
  /** The state, flat over `keys` in order; empty before the first step. */
  let state: TF.Tensor[] = [];
  /** Which entries have a gradient, by the pattern of keys present: made once per pattern. */
  const masks = new Map<string, TF.Tensor>();
  const join = (xs: TF.Tensor[]) => (xs.length === 1 ? xs[0]! : ops.concat(xs, 0));
  const replace = (next: TF.Tensor[]) => {
    const prev = state;
    state = next.map((x) => tf.keep(x));
    tf.dispose(prev.filter((x) => !next.includes(x)));
  };
  return {
    apply(grads, variables, c, zeroForMissing, scale) {
      const fresh = [...grads.keys()].filter((k) => !keys.includes(k));
      if (fresh.length) {
        const extra = fresh.map((k) => variables.get(k)!.size);
        keys.push(...fresh);
        sizes.push(...extra);
        replace(fills.map((f, i) => join([...(state[i] ? [state[i]!] : []), ...extra.map((n) => tf.fill([n], f))])));
      }
      const present = keys.map((k) => grads.has(k));
      const joined = join(keys.map((k, i) => (present[i] ? ops.reshape(grads.get(k)!, [sizes[i]!]) : tf.zeros([sizes[i]!]))));
      const g = scale ? ops.mul(joined, scale) : joined;
      const { next, step } = rule(g, state, c);
      const moved = keys.map((_, i) => present[i] || zeroForMissing);
      if (moved.every((m) => m)) {
        replace(next);
      } else {
        // Entries of a variable left out keep their state exactly (a select, not arithmetic).
        const pattern = moved.map((m) => (m ? 1 : 0)).join('');
        let mask = masks.get(pattern);
        if (!mask) masks.set(pattern, mask = tf.keep(tf.tensor1d(keys.flatMap((_, i) => new Array<boolean>(sizes[i]!).fill(moved[i]!)), 'bool')));
        replace(next.map((x, j) => be.executeSingleOutput('SelectV2', [T], [mask!, x, state[j]!])));
      }
      const steps = keys.length === 1 ? [step] : ops.split(step, sizes, 0);
      keys.forEach((k, i) => {
        if (!moved[i]) return;
        const v = variables.get(k)!;
        v.assign(ops.sub(v, ops.reshape(steps[i]!, v.shape)));
      });
    },
    dispose() {
      tf.dispose([...state, ...masks.values()]);
      state = [];
      masks.clear();
    },
  };
}
