// The step of the gradient-family weighting methods (MGDA, PCGrad, CAGrad, UPGrad...): each
// task's gradient on the shared part, combined by the method into one direction; the layers
// of one task only get that task's own gradient (weight 1), as in LibMTL and TorchJD.
// Two modes (training.weighting.mode):
// - 'parameters': one forward and backward pass per task; the rows of the Jacobian are the
//   tasks' gradients on the variables of the shared layers (those serving 2+ tasks).
// - 'representation': the shared layers run once, the heads backpropagate to the shared
//   layers' outputs (the representation), whose per-task gradients are combined, and one
//   backward pass goes through the trunk. Cheaper; the trunk is run twice (no tape, then
//   with it) with the same dropout masks. Batch normalisation in the trunk updates its
//   moving statistics on both passes.
import type * as TF from '@tensorflow/tfjs';
import type { LayerSpec } from '../core/spec';
import { trunkOf } from '../core/trunk';
import type { Tf } from './backend';
import type { LoopSetup, StepFn } from './loopSetup';
import { tiedKernels, tiePenalty } from './model/blockLayers';
import { makeOptimizer } from './optimizer';
import type { TaskWeighting } from './weighting/index';

interface Parts {
  /** Layers serving two or more tasks, and their variables. */
  trunk: ReadonlySet<string>;
  shared: TF.Variable[];
  /** Per task: the variables of the layers serving that task alone. */
  own: TF.Variable[][];
  /** Trunk layers whose output a task's own layer (or output) reads: the representation. */
  boundary: string[];
}

function parts(s: LoopSetup): Parts {
  const trunk = trunkOf(s.spec);
  const varsOf = (id: string) => (s.built.layers.get(id)?.trainableWeights ?? []).map((w) => w.read() as TF.Variable);
  return {
    trunk: trunk.layers,
    shared: [...trunk.layers].flatMap(varsOf),
    own: s.heads.map((h) => (trunk.own[h.task.id] ?? []).flatMap(varsOf)),
    boundary: trunk.representation,
  };
}

/**
 * One row of the Jacobian: a task's gradients flattened, zeros where the task does not reach.
 * Empty when nothing is shared (a single-task baseline's phase): concat refuses no tensors.
 */
const flatRow = (tf: Tf, parts: Array<TF.Tensor | undefined>, sizes: number[]): TF.Tensor =>
  tf.tidy(() => (parts.length ? tf.concat(parts.map((g, k) => (g ? tf.reshape(g, [-1]) : tf.zeros([sizes[k]!])))) : tf.zeros([0])));

export function gradientStep(s: LoopSetup, weighting: TaskWeighting): { step: StepFn; dispose(): void } {
  const { tf, spec, heads } = s;
  const t = spec.training;
  const { optimizer, setLearningRate } = makeOptimizer(tf, t.optimizer);
  const p = parts(s);
  const l2 = new Map<string, number>();
  for (const l of spec.model.layers as LayerSpec[]) {
    const coef = ('l2' in l && l.l2 !== undefined ? l.l2 : undefined) ?? t.l2 ?? 0;
    const kernel = (s.built.layers.get(l.id) as unknown as { kernel?: { read(): TF.Variable } } | undefined)?.kernel;
    if (coef > 0 && kernel && (l.type === 'dense' || l.type === 'conv2d')) l2.set(kernel.read().name, coef);
  }
  const allVars = [...p.shared, ...p.own.flat()];
  // Soft sharing (parallelDense tieL2) is a penalty like L2: its gradient is added as is.
  const tie = tiePenalty(tf, s.built.layers.values());
  const tied = tiedKernels(s.built.layers.values());

  /**
   * Adds the L2 penalty's gradient, clips, applies. Every variable, always in the same order:
   * tfjs optimizers keep their state (momentum, Adam's moments) by position in this list, so a
   * task left out of a step (no labelled row) would shift every later variable onto another's
   * state; its own layers get a zero gradient instead.
   */
  const apply = (grads: Map<string, TF.Tensor>) => {
    tf.tidy(() => {
      const named: TF.NamedTensorMap = {};
      for (const v of allVars) {
        const g = grads.get(v.name) ?? tf.zerosLike(v);
        const coef = l2.get(v.name);
        named[v.name] = coef ? tf.add(g, tf.mul(v, 2 * coef)) : g;
      }
      if (tie) {
        const { value, grads: g } = tf.variableGrads(tie, tied);
        value.dispose();
        for (const [name, gt] of Object.entries(g)) named[name] = named[name] ? tf.add(named[name]!, gt) : gt;
      }
      if (t.clipNorm) {
        const list = Object.values(named);
        const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
        const scale = tf.div(t.clipNorm, tf.maximum(norm, t.clipNorm));
        for (const k of Object.keys(named)) named[k] = tf.mul(named[k]!, scale);
      }
      optimizer.applyGradients(named);
    });
  };

  /** A method whose coefficients are loss weights (GradNorm) scales each task's own layers' gradients too. */
  const weightOwnLayers = (grads: Map<string, TF.Tensor>, active: readonly number[]) => {
    if (!weighting.description.weightsOwnLayers) return;
    const c = weighting.coefficients();
    active.forEach((i, k) => {
      for (const v of p.own[i]!) {
        const g = grads.get(v.name);
        if (!g || c[k] === 1) continue;
        grads.set(v.name, tf.mul(g, c[k]!));
        g.dispose();
      }
    });
  };

  const lossOf = (i: number, outs: Map<string, TF.Tensor>, yb: ReadonlyMap<string, TF.Tensor>, masks: Parameters<StepFn>[3]) =>
    heads[i]!.lossFn(yb.get(heads[i]!.task.id)!, outs.get(heads[i]!.task.id)!, masks.get(heads[i]!.task.id)?.weights);

  const onParameters: StepFn = (xb, yb, _lr, masks, seen) => {
    const active = weighting.active();
    let shown = !seen; // the first task's forward is the step's outputs (each task sees the same dropout masks)
    const losses: TF.Tensor[] = heads.map(() => undefined as unknown as TF.Tensor);
    const grads = new Map<string, TF.Tensor>();
    const rows: TF.Tensor[] = [];
    const sizes = p.shared.map((v) => v.size);
    const cursor = s.forward.dropoutCursor;
    for (const i of heads.keys()) {
      if (!active.includes(i)) { losses[i] = tf.scalar(0); continue; }
      s.forward.dropoutCursor = cursor; // every task sees the same dropout masks
      const vars = [...p.shared, ...p.own[i]!];
      const { value, grads: g } = tf.variableGrads(() => {
        const outs = s.forward(xb, true);
        if (!shown) { seen!(outs); shown = true; }
        return lossOf(i, outs, yb, masks) as TF.Scalar;
      }, vars);
      losses[i] = value;
      rows.push(flatRow(tf, p.shared.map((v) => g[v.name]), sizes));
      for (const v of p.own[i]!) if (g[v.name]) grads.set(v.name, g[v.name]!);
      tf.dispose(p.shared.map((v) => g[v.name]).filter((x): x is TF.Tensor => !!x));
    }
    if (rows.length && p.shared.length) {
      const jacobian = tf.stack(rows) as TF.Tensor2D;
      const direction = weighting.aggregate(jacobian, active.map((i) => losses[i]!));
      weightOwnLayers(grads, active);
      const pieces = tf.split(direction, sizes);
      p.shared.forEach((v, k) => grads.set(v.name, tf.reshape(pieces[k]!, v.shape)));
      tf.dispose([jacobian, direction, ...pieces]);
    }
    tf.dispose(rows);
    apply(grads);
    tf.dispose([...grads.values()]);
    return losses;
  };

  const onRepresentation: StepFn = (xb, yb, _lr, masks, seen) => {
    const active = weighting.active();
    let shown = !seen;
    const cursor = s.forward.dropoutCursor;
    const outputs = tf.tidy(() => { const values = s.forward.values(xb, true, p.trunk); return p.boundary.map((id) => values.get(id)!); });
    const reps = outputs.map((o) => tf.variable(o, true));
    tf.dispose(outputs);
    const given = new Map<string, TF.Tensor>([...xb, ...p.boundary.map((id, k) => [id, reps[k]!] as const)]);
    const rest = new Set(spec.model.layers.map((l) => l.id).filter((id) => !p.trunk.has(id)));
    const losses: TF.Tensor[] = heads.map(() => undefined as unknown as TF.Tensor);
    const grads = new Map<string, TF.Tensor>();
    const rows: TF.Tensor[] = [];
    const sizes = reps.map((r) => r.size);
    for (const i of heads.keys()) {
      if (!active.includes(i)) { losses[i] = tf.scalar(0); continue; }
      const { value, grads: g } = tf.variableGrads(() => {
        const values = s.forward.values(given, true, rest);
        const outs = new Map(heads.map((h) => [h.task.id, values.get(h.layerId)!] as const));
        if (!shown) { seen!(outs); shown = true; }
        return lossOf(i, outs, yb, masks) as TF.Scalar;
      }, [...reps, ...p.own[i]!]);
      losses[i] = value;
      rows.push(flatRow(tf, reps.map((r) => g[r.name]), sizes));
      for (const v of p.own[i]!) if (g[v.name]) grads.set(v.name, g[v.name]!);
      tf.dispose(reps.map((r) => g[r.name]).filter((x): x is TF.Tensor => !!x));
    }
    if (rows.length && p.shared.length) {
      const jacobian = tf.stack(rows) as TF.Tensor2D;
      const direction = weighting.aggregate(jacobian, active.map((i) => losses[i]!));
      weightOwnLayers(grads, active);
      const pieces = tf.split(direction, sizes);
      const upstream = reps.map((r, k) => tf.reshape(pieces[k]!, r.shape));
      tf.dispose([jacobian, direction, ...pieces]);
      s.forward.dropoutCursor = cursor; // the trunk again, with the same masks, under the tape
      const { value, grads: g } = tf.variableGrads(() => {
        const values = s.forward.values(xb, true, p.trunk);
        return tf.addN(p.boundary.map((id, k) => tf.sum(tf.mul(values.get(id)!, upstream[k]!)))) as TF.Scalar;
      }, p.shared);
      value.dispose();
      tf.dispose(upstream);
      for (const v of p.shared) if (g[v.name]) grads.set(v.name, g[v.name]!);
    }
    tf.dispose([...rows, ...reps]);
    apply(grads);
    tf.dispose([...grads.values()]);
    return losses;
  };

  return {
    step: (xb, yb, lr, masks, seen) => {
      setLearningRate(lr);
      return weighting.mode === 'representation' ? onRepresentation(xb, yb, lr, masks, seen) : onParameters(xb, yb, lr, masks, seen);
    },
    dispose: () => optimizer.dispose(),
  };
}
