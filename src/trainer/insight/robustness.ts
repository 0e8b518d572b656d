// FGSM and PGD on a trained model's test inputs (formulas: core/robustness.ts), and each
// task's metrics on the attacked inputs. Attacks run in batches on the device; only float
// inputs are perturbed (integer inputs feed embeddings: there is no gradient to follow).
import type * as TF from '@tensorflow/tfjs';
import { EVAL_BATCH } from '../../core/budget';
import { pgdStepSize, ROBUSTNESS_DEFAULTS, type AttackKind, type RobustnessRecord, type RobustnessSpec } from '../../core/robustness';
import { mulberry32 } from '../../core/random';
import type { Tf } from '../backend';
import { labelTensor, type DeviceSplit } from '../deviceData';
import { evaluate } from '../evaluate';
import type { TaskHead } from '../heads';
import { batchWeights, hasUnlabelled } from '../labelMask';
import type { ForwardFn } from '../model/forward';

export interface Attack {
  kind: AttackKind;
  epsilon: number;
  /** Task whose loss the attack climbs. */
  on: TaskHead;
  pgdSteps: number;
  seed: number;
}

type Range = [number, number];

/** Per float input: the smallest and largest value in the split (attacked inputs stay inside). */
export function inputRanges(tf: Tf, split: DeviceSplit): Map<string, Range> {
  const out = new Map<string, Range>();
  for (const [id, x] of split.x) {
    if (x.dtype !== 'float32' || split.n === 0) continue;
    const [lo, hi] = tf.tidy(() => tf.stack([tf.min(x), tf.max(x)])).dataSync() as Float32Array;
    out.set(id, [lo!, hi!]);
  }
  return out;
}

/**
 * The attacked inputs of a split (same shapes; integer inputs unchanged). The caller owns the
 * returned tensors.
 */
export function attackInputs(tf: Tf, forward: ForwardFn, split: DeviceSplit, attack: Attack, ranges: Map<string, Range>): Map<string, TF.Tensor> {
  const floatIds = [...split.x.keys()].filter((id) => ranges.has(id));
  const truth = split.targets.get(attack.on.task.id)!;
  const partial = hasUnlabelled(truth);
  const random = mulberry32(attack.seed);
  const parts = new Map<string, TF.Tensor[]>(floatIds.map((id) => [id, []]));
  for (let start = 0; start < split.n; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, split.n - start);
    const rows = Int32Array.from({ length: size }, (_, k) => start + k);
    const mask = partial ? batchWeights(truth, rows, [size]) : undefined;
    const adv = tf.tidy(() => {
      const fixed = new Map([...split.x].filter(([id]) => !ranges.has(id)).map(([id, v]) => [id, v.slice(start, size)]));
      const clean = floatIds.map((id) => split.x.get(id)!.slice(start, size));
      const labels = labelTensor(tf, attack.on, truth.subarray(start, start + size));
      const weights = mask && tf.tensor2d(mask.weights, [size, 1]);
      // ∇ₓ of the attacked task's batch loss; its sign is all FGSM and PGD use.
      const gradSign = (xs: TF.Tensor[]): TF.Tensor[] => tf.grads((...vs: TF.Tensor[]) => {
        const inputs = new Map(fixed);
        floatIds.forEach((id, k) => inputs.set(id, vs[k]!));
        const out = forward(inputs, false).get(attack.on.task.id)!;
        return attack.on.lossFn(labels, out, weights);
      })(xs).map((g) => tf.sign(g));
      const project = (x: TF.Tensor, x0: TF.Tensor, id: string): TF.Tensor => {
        const [lo, hi] = ranges.get(id)!;
        const inBall = tf.minimum(tf.maximum(x, tf.sub(x0, attack.epsilon)), tf.add(x0, attack.epsilon));
        return tf.clipByValue(inBall, lo, hi);
      };
      if (attack.kind === 'fgsm') {
        const signs = gradSign(clean);
        return clean.map((x0, k) => project(tf.add(x0, tf.mul(signs[k]!, attack.epsilon)), x0, floatIds[k]!));
      }
      const alpha = pgdStepSize(attack.epsilon, attack.pgdSteps);
      let xs = clean.map((x0, k) => {
        const noise = Float32Array.from({ length: x0.size }, () => (2 * random() - 1) * attack.epsilon);
        return project(tf.add(x0, tf.tensor(noise, x0.shape)), x0, floatIds[k]!);
      });
      for (let s = 0; s < attack.pgdSteps; s++) {
        const signs = gradSign(xs);
        const next = xs.map((x, k) => project(tf.add(x, tf.mul(signs[k]!, alpha)), clean[k]!, floatIds[k]!));
        tf.dispose([...xs, ...signs]);
        xs = next;
      }
      return xs;
    });
    floatIds.forEach((id, k) => parts.get(id)!.push(adv[k]!));
  }
  const out = new Map<string, TF.Tensor>();
  for (const [id, x] of split.x) {
    const p = parts.get(id);
    if (!p) { out.set(id, x.clone()); continue; }
    out.set(id, p.length === 1 ? p[0]! : tf.concat(p));
    if (p.length > 1) tf.dispose(p);
  }
  return out;
}

/**
 * The clean metrics and, for each attack, ε and attacked task, every task's metrics on the
 * attacked inputs. `model` names the model in the records ('shared' or a baseline's task).
 */
export function measureRobustness(tf: Tf, forward: ForwardFn, heads: TaskHead[], split: DeviceSplit, spec: RobustnessSpec,
  model: string, seed: number): { records: RobustnessRecord[]; ranges: Map<string, [number, number]>; examples: number } {
  const examples = Math.min(split.n, spec.examples ?? ROBUSTNESS_DEFAULTS.examples);
  const head: DeviceSplit = {
    n: examples,
    x: new Map([...split.x].map(([id, v]) => [id, v.slice(0, examples)])),
    targets: new Map([...split.targets].map(([id, t]) => [id, t.subarray(0, examples)])),
  };
  try {
    const ranges = inputRanges(tf, head);
    const records: RobustnessRecord[] = [{ model, attack: 'none', on: '', epsilon: 0, metrics: evaluate(tf, forward, heads, head) }];
    for (const kind of spec.attacks ?? ROBUSTNESS_DEFAULTS.attacks) {
      for (const epsilon of spec.epsilons ?? ROBUSTNESS_DEFAULTS.epsilons) {
        for (const on of heads) {
          const x = attackInputs(tf, forward, head, { kind, epsilon, on, pgdSteps: spec.pgdSteps ?? ROBUSTNESS_DEFAULTS.pgdSteps, seed }, ranges);
          try {
            records.push({ model, attack: kind, on: on.task.id, epsilon, metrics: evaluate(tf, forward, heads, { ...head, x }) });
          } finally {
            tf.dispose([...x.values()]);
          }
        }
      }
    }
    return { records, ranges, examples };
  } finally {
    tf.dispose([...head.x.values()]);
  }
}
