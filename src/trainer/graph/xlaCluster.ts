// A view of a GraphBuilder whose nodes TensorFlow compiles with XLA (its JIT for the CPU, which
// libtensorflow carries): the nodes made through it carry `_XlaCompile` and one `_XlaScope`, so
// TensorFlow's MarkForCompilationPass joins them into clusters, each compiled once per session
// executor (a fetch set) into one fused loop, instead of one kernel and one pass over memory per
// op. Worth it for a long chain of element-wise ops over many numbers (GradDrop's hash and masks
// over every shared weight: gradDrop.ts); not for a whole step, whose MatMuls TensorFlow's own
// kernels already run well (README: auto-clustering was slower on the CNN and LSTM graphs).
// The price is the compilation, once per fetch set of a session: GradDrop's step has three (a
// plain step, a reported one, a conflict measurement), about 0.8 s of CPU more in a run's first
// epoch on the reference network, won back after some 2,000 steps (0.4 ms a step less).
import type { Attr, GraphBuilder } from './graphDef';

export function xlaCompiled(g: GraphBuilder, scope: string): GraphBuilder {
  const marks: Record<string, Attr> = { _XlaCompile: { b: true }, _XlaScope: { s: scope } };
  const view = Object.create(g) as GraphBuilder;
  // constant() and placeholder() call this.op, so they are marked too.
  view.op = (op, inputs, attrs = {}, name = op) => g.op(op, inputs, { ...attrs, ...marks }, name);
  return view;
}
