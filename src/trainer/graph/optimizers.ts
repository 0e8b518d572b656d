// The optimizer of the fused graph step (trainGraph.ts): each rule is TensorFlow's own kernel,
// given what makes it the tape's rule (tfjs-core's optimizers, src/trainer/optimizer.ts; the
// eager compiled step does the same in native/optimizers.ts):
// - SGD: ResourceApplyGradientDescent; momentum: ResourceApplyMomentum (v = mu*v + g;
//   w -= lr*v; Nesterov w -= lr*(g + mu*v)), tfjs' rule.
// - Adam: ResourceApplyAdam computes w -= lr*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v) + eps'), where
//   tfjs computes w -= lr * m_hat/(sqrt(v_hat) + eps) with m_hat = m/(1-b1^t), v_hat = v/(1-b2^t).
//   The two are equal for eps' = eps*sqrt(1-b2^t), which the graph feeds it. The beta powers
//   are variables that start at b1 and b2 and are multiplied after each step, as tfjs' accBeta1/2.
// - RMSProp: ResourceApplyRMSProp is tfjs' rule as it is (ms = rho*ms + (1-rho)*g^2;
//   mom = mu*mom + lr*g/sqrt(ms + eps); w -= mom); the spec has no centered variant.
// - Adagrad: tfjs divides by sqrt(acc + 1e-7) (the backend's epsilon under the root);
//   ResourceApplyAdagradV2 by sqrt(acc) + eps. With eps 0 and the accumulator kept 1e-7 above
//   tfjs' one (it starts at initial + 1e-7 and both add g^2), it divides by the same value.
// Slots are variables named after their weight, set to their start values by the graph's "set"
// (`resets`), so a session starts as a fresh tfjs optimizer does.
import type { OptimizerSpec } from '../../core/spec';
import type { Attr, GraphBuilder } from './graphDef';

/** tfjs-core's EPSILON_FLOAT32, which its Adagrad adds under the square root. */
const BACKEND_EPSILON = 1e-7;

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
const NO_LOCK: Attr = { b: false };

/** One weight to update: its variable's handle, its shape and its gradient's node. */
export interface GraphUpdate { key: string; handle: string; shape: number[]; grad: string }

export interface GraphOptimizer {
  /** Nodes that have run when the step's update is done (every weight, then the beta powers). */
  done: string[];
  /** "set" nodes that put every slot to its start value. */
  resets: string[];
}

/**
 * The update of every weight in `updates` at the rate `lr` (a scalar node); `after`: the node
 * every update waits for (all gradients computed: they read the weights).
 */
export function graphOptimizer(g: GraphBuilder, o: OptimizerSpec, lr: string, updates: GraphUpdate[], after: string): GraphOptimizer {
  const scalar = (name: string, value: number) => g.constant(name, { dtype: 'float', shape: [], values: [value] });
  const resets: string[] = [];
  /** A variable of the optimizer's own, set to `initial` everywhere by "set". */
  const slot = (name: string, shape: number[], initial: number) => {
    const h = g.op('VarHandleOp', [], { dtype: F, shape: { shape }, container: { s: '' }, shared_name: { s: name } }, `var/${name}`);
    const start = shape.length === 0 ? scalar(`start/${name}`, initial)
      : g.op('Fill', [g.constant(`shape/${name}`, { dtype: 'int32', shape: [shape.length], values: shape }), scalar(`start/${name}`, initial)],
        { T: F, index_type: I32 }, `start/${name}`);
    resets.push(g.op('AssignVariableOp', [h, start], { dtype: F }, `reset/${name}`));
    return h;
  };
  const wait = `^${after}`;
  const apply = (op: string, w: GraphUpdate, inputs: string[], attrs: Record<string, Attr> = {}) =>
    g.op(op, [w.handle, ...inputs, wait], { T: F, use_locking: NO_LOCK, ...attrs }, `update/${w.key}`);

  switch (o.type) {
    case 'sgd': {
      const mu = o.momentum ?? 0;
      if (!mu) return { done: updates.map((w) => apply('ResourceApplyGradientDescent', w, [lr, w.grad])), resets };
      const momentum = scalar('momentum', mu);
      const nesterov = { b: !!o.nesterov };
      return { done: updates.map((w) => apply('ResourceApplyMomentum', w, [slot(`${w.key}/momentum`, w.shape, 0), lr, w.grad, momentum], { use_nesterov: nesterov })), resets };
    }
    case 'adam': {
      const b1 = o.beta1 ?? 0.9;
      const b2 = o.beta2 ?? 0.999;
      const powers = [slot('adam/beta1_power', [], b1), slot('adam/beta2_power', [], b2)];
      const [p1, p2] = powers.map((h, k) => g.op('ReadVariableOp', [h], { dtype: F }, `adam/beta${k + 1}_power_read`));
      const beta1 = scalar('adam/beta1', b1);
      const beta2 = scalar('adam/beta2', b2);
      const epsilon = g.op('Mul', [scalar('adam/epsilon', o.epsilon ?? 1e-7),
        g.op('Sqrt', [g.op('Sub', [scalar('adam/one', 1), p2!], { T: F }, 'adam/one_minus_beta2_power')], { T: F }, 'adam/sqrt_one_minus_beta2_power')],
      { T: F }, 'adam/epsilon_hat');
      const done = updates.map((w) => apply('ResourceApplyAdam', w,
        [slot(`${w.key}/m`, w.shape, 0), slot(`${w.key}/v`, w.shape, 0), p1!, p2!, lr, beta1, beta2, epsilon, w.grad], { use_nesterov: { b: false } }));
      // The powers move on once every weight has used them.
      const next = [[p1!, beta1], [p2!, beta2]].map(([p, b], k) =>
        g.op('AssignVariableOp', [powers[k]!, g.op('Mul', [p!, b!], { T: F }, `adam/next_beta${k + 1}_power`), ...done.map((d) => `^${d}`)], { dtype: F }, `adam/advance_beta${k + 1}_power`));
      return { done: [...done, ...next], resets };
    }
    case 'rmsprop': {
      const rho = scalar('rmsprop/decay', o.decay ?? 0.9);
      const mu = scalar('rmsprop/momentum', o.momentum ?? 0);
      const eps = scalar('rmsprop/epsilon', o.epsilon ?? 1e-7);
      return {
        done: updates.map((w) => apply('ResourceApplyRMSProp', w, [slot(`${w.key}/ms`, w.shape, 0), slot(`${w.key}/mom`, w.shape, 0), lr, rho, mu, eps, w.grad])),
        resets,
      };
    }
    case 'adagrad': {
      const initial = (o.initialAccumulatorValue ?? 0.1) + BACKEND_EPSILON;
      const zero = scalar('adagrad/epsilon', 0);
      return {
        done: updates.map((w) => apply('ResourceApplyAdagradV2', w, [slot(`${w.key}/accumulator`, w.shape, initial), lr, zero, w.grad], { update_slots: { b: true } })),
        resets,
      };
    }
  }
}
