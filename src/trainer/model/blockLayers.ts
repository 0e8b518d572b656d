// The sharing blocks of core/blockLayers.ts as tfjs-layers layers, so that they live in the
// LayersModel like any other layer (saved with it, counted by countParams, applied by the
// forward pass). Columns travel stacked: [batch, columns, features].
//   parallelDense  y_c = act(x_c W_c + b_c); soft sharing (Duong et al. 2015, sec. 3) adds
//                  tieL2 * sum_{i<j} ||W_i - W_j||_F^2 to the loss (tiePenalty below).
//   crossStitch    y_i = sum_j alpha_ij x_j (Misra et al. 2016, eq. 1, for n columns);
//                  alpha starts at selfWeight on the diagonal, the rest of a row shared.
//   mmoe           f_k(x) = sum_i g_k(x)_i f_i(x), g_k(x) = softmax(W_gk x + b_gk) (Ma et al.
//                  2018, eqs. 4-5; the gate bias is ours, see core/blockLayers blockParts).
//   ple            per level j: task k's output = softmax(W_k h_k + b_k) [E_k(h_k); E_s(h_s)],
//                  the shared output (below the top level) = softmax(W_s h_s + b_s) [E_1(h_1)...;
//                  E_n(h_n); E_s(h_s)] (Tang et al. 2020, eqs. 4-6, Fig. 4): task k's experts
//                  read its previous output h_k, the shared experts the shared output h_s
//                  (at level 1 all read x). LibMTL's PLE differs: it runs the shared experts
//                  on each h_k and has no shared gate; we follow the paper. One level is CGC.
// Every kernel starts Glorot-uniform over its own [in, out] matrix (a dense layer's init),
// not over the stacked tensor, whose fans would shrink the range by the number of experts.
// A baseline's cut-down block (core/baseline.ts, `kept`) draws the shared block's whole
// weights from the same seeds and keeps its columns: each starts as in the shared model. A
// cross-stitch unit's alphas are no draw: a cut-down unit starts as a unit of its own columns.
import type * as TF from '@tensorflow/tfjs';
import type { KeptColumns } from '../../core/baseline';
import { pleLevels, type BlockLayerSpec } from '../../core/blockLayers';
import type { Activation } from '../../core/spec';
import type { Tf } from '../backend';

/** A block layer that weighs experts with gates: the top level's gates, [batch, tasks, experts]. */
export interface GatedLayer { gateWeights(x: TF.Tensor): TF.Tensor }
export const isGated = (l: unknown): l is GatedLayer => typeof (l as Partial<GatedLayer>).gateWeights === 'function';

/** The layers whose kernels soft sharing ties, with their lambda. */
export interface TiedLayer { tied(): { kernel: TF.Tensor; tieL2: number } }
const isTied = (l: unknown): l is TiedLayer => typeof (l as Partial<TiedLayer>).tied === 'function';

type Kwargs = Record<string, unknown>;
interface BlockClasses { make(l: BlockLayerSpec, name: string, seed: number, kept?: KeptColumns): TF.layers.Layer }

const perTf = new WeakMap<object, BlockClasses>();

/**
 * The block layer for `l`; `seed` seeds its first weight, the others follow it. `kept`: in a
 * baseline, the shared block's columns this cut-down one holds (its weights start as theirs).
 */
export function makeBlockLayer(tf: Tf, l: BlockLayerSpec, name: string, seed: number, kept?: KeptColumns): TF.layers.Layer {
  let classes = perTf.get(tf);
  if (!classes) perTf.set(tf, classes = defineBlockClasses(tf));
  return classes.make(l, name, seed, kept);
}

/** The kernels soft sharing ties (the variables tiePenalty depends on). */
export function tiedKernels(layers: Iterable<TF.layers.Layer>): TF.Variable[] {
  return [...layers as Iterable<unknown>].filter(isTied).filter((l) => l.tied().tieL2 > 0).map((l) => l.tied().kernel as TF.Variable);
}

/** Soft-sharing penalty of all parallelDense layers with tieL2 > 0, or undefined when none. */
export function tiePenalty(tf: Tf, layers: Iterable<TF.layers.Layer>): (() => TF.Scalar) | undefined {
  const tied = [...layers as Iterable<unknown>].filter(isTied).filter((l) => l.tied().tieL2 > 0);
  if (!tied.length) return undefined;
  return () => tf.tidy(() => tf.addN(tied.map((l) => {
    const { kernel, tieL2 } = l.tied();
    // sum_{i<j} ||W_i - W_j||^2 = n sum_i ||W_i||^2 - ||sum_i W_i||^2: one pass, no pairs.
    const n = kernel.shape[0]!;
    const sumSq = tf.mul(tf.sum(tf.square(kernel)), n);
    const sq = tf.sum(tf.square(tf.sum(kernel, 0)));
    return tf.mul(tf.sub(sumSq, sq), tieL2);
  })) as TF.Scalar);
}

function defineBlockClasses(tf: Tf): BlockClasses {
  const Layer = tf.layers.Layer;
  type LayerVariable = ReturnType<InstanceType<typeof Layer>['addWeight']>;

  /** Glorot uniform over each [fanIn, fanOut] matrix of a stack of them. */
  const glorot = (fanIn: number, fanOut: number, seed: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.initializers.randomUniform({ minval: -limit, maxval: limit, seed });
  };
  const one = (inputs: TF.Tensor | TF.Tensor[]): TF.Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);
  const activation = (name: Activation | undefined, fallback: Activation) => {
    const a = name ?? fallback;
    if (a === 'linear') return (x: TF.Tensor) => x;
    const layer = tf.layers.activation({ activation: a as 'relu' });
    return (x: TF.Tensor) => layer.apply(x) as TF.Tensor;
  };
  /** x [batch, d] times each of k [n, d, u]: [batch, n, u]. */
  const stackedMatMul = (x: TF.Tensor, k: TF.Tensor): TF.Tensor => {
    const [n, d, u] = k.shape as [number, number, number];
    const flat = tf.reshape(tf.transpose(k, [1, 0, 2]), [d, n * u]);
    return tf.reshape(tf.matMul(x as TF.Tensor2D, flat as TF.Tensor2D), [-1, n, u]);
  };
  /** Weighted sum of experts: gates [batch, m], experts [batch, m, u] -> [batch, u]. */
  const mix = (gates: TF.Tensor, experts: TF.Tensor): TF.Tensor =>
    tf.squeeze(tf.matMul(tf.expandDims(gates, 1) as TF.Tensor3D, experts as TF.Tensor3D), [1]);

  type Make<T> = new (l: BlockLayerSpec, name: string, seed: number, kept?: KeptColumns) => T;
  abstract class Block extends Layer {
    constructor(protected readonly spec: BlockLayerSpec, name: string, protected readonly seed: number, protected readonly kept?: KeptColumns) { super({ name }); }
    override getConfig() {
      return { ...super.getConfig(), spec: this.spec as unknown as TF.serialization.ConfigDictValue, seed: this.seed, ...(this.kept ? { kept: this.kept as unknown as TF.serialization.ConfigDictValue } : {}) };
    }
    /** Loading a saved model (tf.loadLayersModel) rebuilds each block from its getConfig. */
    static override fromConfig<T extends TF.serialization.Serializable>(cls: TF.serialization.SerializableConstructor<T>, config: TF.serialization.ConfigDict): T {
      return new (cls as unknown as Make<T>)(config.spec as unknown as BlockLayerSpec, config.name as string, config.seed as number, config.kept as unknown as KeptColumns | undefined);
    }
    /** The columns of the shared block this one holds (all of them outside a baseline), and how many it had. */
    protected columnsOf(n: number): KeptColumns { return this.kept ?? { columns: Array.from({ length: n }, (_, i) => i), of: n }; }
    /**
     * A weight whose entries along `axis` are the block's columns, started by `init`: in a cut-down
     * block, drawn at the shared block's `whole` shape and cut to `indices` along `axis`, so that
     * each kept entry starts as the same entry of the shared model (a draw depends on the shape).
     */
    protected columnWeight(name: string, shape: number[], init: ReturnType<typeof glorot>, cut?: { whole: number[]; axis: number; indices: number[] }): LayerVariable {
      if (!this.kept || !cut) return this.addWeight(name, shape, 'float32', init);
      const weight = this.addWeight(name, shape, 'float32', tf.initializers.zeros());
      const value = tf.tidy(() => tf.gather(init.apply(cut.whole, 'float32'), cut.indices, cut.axis));
      weight.write(value);
      value.dispose();
      return weight;
    }
  }

  class ParallelDense extends Block implements TiedLayer {
    static readonly className = 'MtsParallelDense';
    private kernel!: LayerVariable;
    private bias: LayerVariable | undefined;
    private readonly act;
    constructor(private readonly l: Extract<BlockLayerSpec, { type: 'parallelDense' }>, name: string, seed: number, kept?: KeptColumns) {
      super(l, name, seed, kept);
      this.act = activation(l.activation, 'linear');
    }
    override build(inputShape: TF.Shape | TF.Shape[]): void {
      const shape = inputShape as TF.Shape;
      const d = shape[shape.length - 1]!;
      const { columns, of } = this.columnsOf(this.l.columns);
      this.kernel = this.columnWeight('kernel', [this.l.columns, d, this.l.units], glorot(d, this.l.units, this.seed), { whole: [of, d, this.l.units], axis: 0, indices: columns });
      if (this.l.useBias !== false) this.bias = this.addWeight('bias', [this.l.columns, this.l.units], 'float32', tf.initializers.zeros());
      this.built = true;
    }
    override computeOutputShape(inputShape: TF.Shape | TF.Shape[]): TF.Shape {
      return [(inputShape as TF.Shape)[0]!, this.l.columns, this.l.units];
    }
    override call(inputs: TF.Tensor | TF.Tensor[], _kwargs: Kwargs): TF.Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        const k = this.kernel.read();
        // [batch, d] is read by every column; [batch, columns, d] column by column.
        let y = x.rank === 2 ? stackedMatMul(x, k)
          : tf.transpose(tf.matMul(tf.transpose(x, [1, 0, 2]) as TF.Tensor3D, k as TF.Tensor3D), [1, 0, 2]);
        if (this.bias) y = tf.add(y, this.bias.read());
        return this.act(y);
      });
    }
    tied() { return { kernel: this.kernel.read() as TF.Tensor, tieL2: this.l.tieL2 ?? 0 }; }
  }

  class CrossStitch extends Block {
    static readonly className = 'MtsCrossStitch';
    private alpha!: LayerVariable;
    constructor(private readonly l: Extract<BlockLayerSpec, { type: 'crossStitch' }>, name: string, seed: number, kept?: KeptColumns) { super(l, name, seed, kept); }
    override build(inputShape: TF.Shape | TF.Shape[]): void {
      const n = (inputShape as TF.Shape)[1]!;
      const self = this.l.selfWeight ?? 0.9;
      // Each row a convex combination, alpha_S + alpha_D = 1 (Misra et al. 2016, sec. 4: so a unit's
      // output keeps its input's scale), the rest shared among the columns this unit holds. A
      // baseline's unit cut to k of the shared unit's columns (core/baseline.ts) starts as a unit of
      // k columns, not as the shared unit's kept corner, whose rows would sum to less than 1
      // (0.9 + 0.05 of 3 columns), just as a unit cut to one column is dropped (its row: 1).
      const other = n > 1 ? (1 - self) / (n - 1) : 0;
      const init = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? self : other)));
      this.alpha = this.addWeight('alpha', [n, n], 'float32', tf.initializers.constant({ value: 0 }));
      this.alpha.write(tf.tensor2d(init));
      this.built = true;
    }
    override computeOutputShape(inputShape: TF.Shape | TF.Shape[]): TF.Shape { return inputShape as TF.Shape; }
    override call(inputs: TF.Tensor | TF.Tensor[], _kwargs: Kwargs): TF.Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        const [b, n] = x.shape as [number, number];
        // [batch, n, rest] -> [n, batch * rest]; alpha [n, n] times it mixes the columns.
        const cols = tf.reshape(tf.transpose(tf.reshape(x, [b, n, -1]), [1, 0, 2]), [n, -1]);
        const mixed = tf.matMul(this.alpha.read() as TF.Tensor2D, cols as TF.Tensor2D);
        return tf.reshape(tf.transpose(tf.reshape(mixed, [n, b, -1]), [1, 0, 2]), x.shape);
      });
    }
  }

  class Mmoe extends Block implements GatedLayer {
    static readonly className = 'MtsMmoe';
    private experts!: LayerVariable;
    private expertBias!: LayerVariable;
    private gates!: LayerVariable;
    private gateBias!: LayerVariable;
    private readonly act;
    constructor(private readonly l: Extract<BlockLayerSpec, { type: 'mmoe' }>, name: string, seed: number, kept?: KeptColumns) {
      super(l, name, seed, kept);
      this.act = activation(l.activation, 'relu');
    }
    override build(inputShape: TF.Shape | TF.Shape[]): void {
      const d = (inputShape as TF.Shape)[1]!;
      const { experts: e, units: u, tasks: n } = this.l;
      this.experts = this.addWeight('experts', [e, d, u], 'float32', glorot(d, u, this.seed));
      this.expertBias = this.addWeight('expert_bias', [e, u], 'float32', tf.initializers.zeros());
      const { columns, of } = this.columnsOf(n);
      this.gates = this.columnWeight('gates', [n, d, e], glorot(d, e, this.seed + 1), { whole: [of, d, e], axis: 0, indices: columns });
      this.gateBias = this.addWeight('gate_bias', [n, e], 'float32', tf.initializers.zeros());
      this.built = true;
    }
    override computeOutputShape(inputShape: TF.Shape | TF.Shape[]): TF.Shape {
      return [(inputShape as TF.Shape)[0]!, this.l.tasks, this.l.units];
    }
    gateWeights(x: TF.Tensor): TF.Tensor {
      return tf.tidy(() => tf.softmax(tf.add(stackedMatMul(x, this.gates.read()), this.gateBias.read())));
    }
    override call(inputs: TF.Tensor | TF.Tensor[], _kwargs: Kwargs): TF.Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        const experts = this.act(tf.add(stackedMatMul(x, this.experts.read()), this.expertBias.read())); // [b, e, u]
        return tf.matMul(this.gateWeights(x) as TF.Tensor3D, experts as TF.Tensor3D); // [b, n, e] x [b, e, u]
      });
    }
  }

  class Ple extends Block implements GatedLayer {
    static readonly className = 'MtsPle';
    private readonly levels: Array<{ shared: LayerVariable; sharedBias: LayerVariable; own: LayerVariable[]; ownBias: LayerVariable[];
      gates: LayerVariable; gateBias: LayerVariable; sharedGate?: LayerVariable; sharedGateBias?: LayerVariable }> = [];
    private readonly act;
    constructor(private readonly l: Extract<BlockLayerSpec, { type: 'ple' }>, name: string, seed: number, kept?: KeptColumns) {
      super(l, name, seed, kept);
      this.act = activation(l.activation, 'relu');
    }
    override build(inputShape: TF.Shape | TF.Shape[]): void {
      const d = (inputShape as TF.Shape)[1]!;
      const { sharedExperts: s, taskExperts: t, units: u, tasks: n } = this.l;
      const count = pleLevels(this.l);
      // Seeds follow the shared block's tasks (`of`): a kept task's experts take its seed there.
      const { columns, of } = this.columnsOf(n);
      /** The shared gate's entries of the kept tasks' experts, then of the shared experts. */
      const sharedGateEntries = [...columns.flatMap((c) => Array.from({ length: t }, (_, i) => c * t + i)), ...Array.from({ length: s }, (_, i) => of * t + i)];
      let seed = this.seed;
      for (let j = 0; j < count; j++) {
        const w = j === 0 ? d : u;
        const zeros = tf.initializers.zeros();
        const own = columns.map((c, k) => this.addWeight(`l${j}_task${k}_experts`, [t, w, u], 'float32', glorot(w, u, seed + c)));
        seed += of;
        this.levels.push({
          shared: this.addWeight(`l${j}_shared_experts`, [s, w, u], 'float32', glorot(w, u, seed++)),
          sharedBias: this.addWeight(`l${j}_shared_bias`, [s, u], 'float32', zeros),
          own,
          ownBias: own.map((_, k) => this.addWeight(`l${j}_task${k}_bias`, [t, u], 'float32', zeros)),
          gates: this.columnWeight(`l${j}_gates`, [n, w, t + s], glorot(w, t + s, seed++), { whole: [of, w, t + s], axis: 0, indices: columns }),
          gateBias: this.addWeight(`l${j}_gate_bias`, [n, t + s], 'float32', zeros),
          ...(j < count - 1 ? {
            sharedGate: this.columnWeight(`l${j}_shared_gate`, [1, w, n * t + s], glorot(w, of * t + s, seed++), { whole: [1, w, of * t + s], axis: 2, indices: sharedGateEntries }),
            sharedGateBias: this.addWeight(`l${j}_shared_gate_bias`, [1, n * t + s], 'float32', zeros),
          } : {}),
        });
      }
      this.built = true;
    }
    override computeOutputShape(inputShape: TF.Shape | TF.Shape[]): TF.Shape {
      return [(inputShape as TF.Shape)[0]!, this.l.tasks, this.l.units];
    }
    /** Runs every level; returns the task outputs [b, n, u] and the top level's gates [b, n, t + s]. */
    private run(x: TF.Tensor): { out: TF.Tensor; gates: TF.Tensor } {
      const n = this.l.tasks;
      let tasks: TF.Tensor[] = Array.from({ length: n }, () => x);
      let shared = x;
      let gates: TF.Tensor[] = [];
      for (const level of this.levels) {
        const experts = (h: TF.Tensor, k: LayerVariable, b: LayerVariable) => this.act(tf.add(stackedMatMul(h, k.read()), b.read()));
        const gate = (h: TF.Tensor, g: TF.Tensor, b: TF.Tensor) => tf.softmax(tf.add(tf.matMul(h as TF.Tensor2D, g as TF.Tensor2D), b));
        const gateKernels = tf.unstack(level.gates.read());
        const gateBiases = tf.unstack(level.gateBias.read());
        const own = tasks.map((h, k) => experts(h, level.own[k]!, level.ownBias[k]!));
        const common = experts(shared, level.shared, level.sharedBias);
        gates = tasks.map((h, k) => gate(h, gateKernels[k]!, gateBiases[k]!));
        const next = tasks.map((_, k) => mix(gates[k]!, tf.concat([own[k]!, common], 1)));
        if (level.sharedGate && level.sharedGateBias) {
          shared = mix(gate(shared, tf.squeeze(level.sharedGate.read(), [0]), tf.squeeze(level.sharedGateBias.read(), [0])), tf.concat([...own, common], 1));
        }
        tasks = next;
      }
      return { out: tf.stack(tasks, 1), gates: tf.stack(gates, 1) };
    }
    gateWeights(x: TF.Tensor): TF.Tensor { return tf.tidy(() => this.run(x).gates); }
    override call(inputs: TF.Tensor | TF.Tensor[], _kwargs: Kwargs): TF.Tensor {
      return tf.tidy(() => this.run(one(inputs)).out);
    }
  }

  class Select extends Block {
    static readonly className = 'MtsSelect';
    constructor(private readonly l: Extract<BlockLayerSpec, { type: 'select' }>, name: string, seed: number, kept?: KeptColumns) { super(l, name, seed, kept); }
    override computeOutputShape(inputShape: TF.Shape | TF.Shape[]): TF.Shape {
      const s = inputShape as TF.Shape;
      return [s[0]!, ...s.slice(2)];
    }
    override call(inputs: TF.Tensor | TF.Tensor[], _kwargs: Kwargs): TF.Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        return tf.squeeze(tf.slice(x, [0, this.l.index], [-1, 1]), [1]);
      });
    }
  }

  for (const c of [ParallelDense, CrossStitch, Mmoe, Ple, Select]) tf.serialization.registerClass(c as unknown as TF.serialization.SerializableConstructor<TF.serialization.Serializable>);
  return {
    make(l, name, seed, kept) {
      switch (l.type) {
        case 'parallelDense': return new ParallelDense(l, name, seed, kept);
        case 'crossStitch': return new CrossStitch(l, name, seed, kept);
        case 'mmoe': return new Mmoe(l, name, seed, kept);
        case 'ple': return new Ple(l, name, seed, kept);
        case 'select': return new Select(l, name, seed, kept);
      }
    },
  };
}
