// Dropout layers in the fused graph step. The masks are drawn inside the graph, so a step stays
// one session call: StatelessRandomUniform from a seed pair [training seed, draw number], where
// draw d of a session is the d-th dropout layer applied since "set" (step * layers + k + 1 for
// the k-th dropout layer in topological order), counted by an int32 variable in the graph. The
// mask is tf.dropout's own arithmetic, floor(u + keep) / keep (0 or 1/keep per element), and the
// backward pass multiplies by the same mask. The draws are not the tape's (tfjs' own generator),
// but they are a function of the seed pair alone: `dropoutSeed` names it, so a test can draw the
// same masks outside the graph and give them to the tape. Evaluation never runs the graph: it
// keeps every unit, as tf.layers does.
import type { Attr, GraphBuilder } from './graphDef';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

/** The seed pair of draw `draw` (1, 2, ...) in a session trained with this seed. */
export function dropoutSeed(trainingSeed: number, draw: number): [number, number] {
  return [trainingSeed | 0, draw | 0];
}

export interface GraphDropout {
  /** x times the k-th dropout layer's mask at this rate (x itself at rate 0). */
  forward(id: string, rate: number, x: string): string;
  /** The gradient at the layer's input from the one at its output. */
  backward(id: string, gy: string): string;
  /** Nodes that advance the draw counter once this step's masks are drawn (none without masks). */
  done(): string[];
  /** "set" nodes: the counter back to 0. */
  resets: string[];
}

/** `layers`: how many dropout layers with a rate above 0 a step applies. */
export function graphDropout(g: GraphBuilder, trainingSeed: number, layers: number): GraphDropout {
  const masks = new Map<string, string>();
  if (layers === 0) {
    return { forward: (_id, _rate, x) => x, backward: (_id, gy) => gy, done: () => [], resets: [] };
  }
  const int = (name: string, value: number) => g.constant(name, { dtype: 'int32', shape: [], values: [value] });
  const counter = g.op('VarHandleOp', [], { dtype: I32, shape: { shape: [] }, container: { s: '' }, shared_name: { s: 'dropout/steps' } }, 'var/dropout/steps');
  const step = g.op('ReadVariableOp', [counter], { dtype: I32 }, 'dropout/step');
  const first = g.op('Mul', [step, int('dropout/layers', layers)], { T: I32 }, 'dropout/first_draw');
  const seed = int('dropout/seed', dropoutSeed(trainingSeed, 0)[0]);
  return {
    forward(id, rate, x) {
      if (rate <= 0) return x;
      const k = masks.size;
      const name = `dropout/${id}`;
      const draw = g.op('AddV2', [first, int(`${name}/draw_offset`, k + 1)], { T: I32 }, `${name}/draw`);
      const pair = g.op('Pack', [seed, draw], { T: I32, N: { i: 2 }, axis: { i: 0 } }, `${name}/seed`);
      const shape = g.op('Shape', [x], { T: F, out_type: I32 }, `${name}/shape`);
      const u = g.op('StatelessRandomUniform', [shape, pair], { dtype: F, T: I32, Tseed: I32 }, `${name}/uniform`);
      const keep = g.constant(`${name}/keep`, { dtype: 'float', shape: [], values: [1 - rate] });
      const mask = g.op('RealDiv', [g.op('Floor', [g.op('AddV2', [u, keep], { T: F }, `${name}/shifted`)], { T: F }, `${name}/kept`), keep], { T: F }, `${name}/mask`);
      masks.set(id, mask);
      return g.op('Mul', [x, mask], { T: F }, `${name}/output`);
    },
    backward(id, gy) {
      const mask = masks.get(id);
      return mask ? g.op('Mul', [gy, mask], { T: F }, `dropout/${id}/grad`) : gy;
    },
    done: () => [g.op('AssignAddVariableOp', [counter, int('dropout/one', 1), ...[...masks.values()].map((m) => `^${m}`)], { dtype: I32 }, 'dropout/advance')],
    resets: [g.op('AssignVariableOp', [counter, int('dropout/zero', 0)], { dtype: I32 }, 'dropout/reset')],
  };
}
