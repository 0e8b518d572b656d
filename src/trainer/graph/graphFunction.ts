// A function in the graph's library, called by one node marked `_XlaMustCompile`: TensorFlow
// compiles its body with XLA at the call's first run and keeps the executable in the device's
// compilation cache under the function's name and its arguments' shapes. Why not the
// `_XlaCompile` marks on the nodes themselves (TensorFlow's auto-clustering), which the step used
// before: the clusters are named per session executor (one per fetch set: a plain step, a reported
// one, a conflict measurement), so the same loop was compiled again for each fetch set (0.3-0.45 s
// of CPU each); a function's name is ours, so one compilation serves every fetch set of the
// session: the reported and measured steps' first calls fell from about 300 to 60-85 ms of CPU
// (bench/gradDropCompileProbe.ts, reference network, 2 tasks, load 10).
import { GraphBuilder, type Attr, type GraphNode } from './graphDef';

type DType = 'float' | 'double' | 'bool' | 'int32' | 'uint32' | 'int8';

/** A function's argument or output: its name and type. */
export interface FunctionArg { name: string; type: DType }

/**
 * Each op's output argument's name (its OpDef's), which a function body's inputs name
 * (`node:out_arg:k`, k the index within a list output). Only the ops the bodies here use.
 */
const OUT_ARG: Record<string, string> = {
  AddN: 'sum', AddV2: 'z', Sub: 'z', Mul: 'z', RealDiv: 'z', Maximum: 'z', Minimum: 'z', FloorDiv: 'z', Greater: 'z', Less: 'z', LogicalAnd: 'z',
  RightShift: 'z', BitwiseXor: 'z', BitwiseOr: 'z', Relu: 'activations', Cast: 'y', Sign: 'y', Square: 'y', Sqrt: 'y', Reciprocal: 'y', Abs: 'y',
  MatMul: 'product', MatrixSolve: 'output', MatrixDiag: 'output', Sum: 'output', Max: 'output', Const: 'output', Reshape: 'output', ConcatV2: 'output', SplitV: 'output', SelectV2: 'output',
  Size: 'output', Range: 'output', Bitcast: 'output', Unpack: 'output', Slice: 'output', Pack: 'output', Identity: 'output', ClipByValue: 'output',
};

/**
 * Defines function `name` of these arguments in `g`'s library, its body built by `build` on a
 * builder of its own (the arguments are `args[i].name`; an output may be an argument itself).
 */
export function defineFunction(g: GraphBuilder, name: string, args: readonly FunctionArg[],
  build: (body: GraphBuilder) => ReadonlyArray<FunctionArg & { node: string }>): ReadonlyArray<FunctionArg> {
  const body = new GraphBuilder();
  const outputs = build(body);
  const nodes = body.added();
  const ops = new Map(nodes.map((n) => [n.name, n.op]));
  const argNames = new Set(args.map((a) => a.name));
  const ref = (input: string): string => {
    if (input.startsWith('^') || argNames.has(input)) return input;
    const [node, k = '0'] = input.split(':') as [string, string?];
    const out = OUT_ARG[ops.get(node) ?? ''];
    if (!out) throw new Error(`function ${name}: no output name known for ${input} (op ${ops.get(node)})`);
    return `${node}:${out}:${k}`;
  };
  const fnNodes: GraphNode[] = nodes.map((n) => ({ ...n, inputs: n.inputs.map(ref) }));
  g.addFunction({ name, args, outputs: outputs.map((o) => ({ name: o.name, type: o.type, from: ref(o.node) })), nodes: fnNodes });
  return outputs;
}

/**
 * Defines function `name` (defineFunction); returns a function that adds a call node to `g`,
 * marked for XLA, on these inputs and returns its outputs' names, in `build`'s order.
 */
export function xlaFunction(g: GraphBuilder, name: string, args: readonly FunctionArg[],
  build: (body: GraphBuilder) => ReadonlyArray<FunctionArg & { node: string }>): (callName: string, inputs: string[]) => string[] {
  const outputs = defineFunction(g, name, args, build);
  const must: Record<string, Attr> = { _XlaMustCompile: { b: true } };
  return (callName, inputs) => {
    const call = g.op(name, inputs, must, callName);
    return outputs.map((_, k) => (k === 0 ? call : `${call}:${k}`));
  };
}

/**
 * A functional `While` loop: `vars` (their initial values `init`) go round the body while the
 * cond holds, both functions of `name` in `g`'s library whose arguments are the vars (the names
 * `vars[i].name`); `cond` returns a bool scalar, `body` the vars' next values, in order. Returns
 * the vars' values at the end. TensorFlow runs it as one op that calls the functions each round.
 */
export function whileLoop(g: GraphBuilder, name: string, vars: ReadonlyArray<FunctionArg & { init: string }>,
  cond: (body: GraphBuilder) => string, body: (body: GraphBuilder) => string[], attrs: Record<string, Attr> = {}): string[] {
  const args = vars.map(({ name: n, type }) => ({ name: n, type }));
  defineFunction(g, `${name}_cond`, args, (b) => [{ name: 'go', type: 'bool', node: cond(b) }]);
  defineFunction(g, `${name}_body`, args, (b) => body(b).map((node, i) => ({ name: `${vars[i]!.name}_next`, type: vars[i]!.type, node })));
  const loop = g.op('While', vars.map((v) => v.init), { T: { types: vars.map((v) => v.type) }, cond: { func: `${name}_cond` }, body: { func: `${name}_body` }, ...attrs }, name);
  return vars.map((_, k) => (k === 0 ? loop : `${loop}:${k}`));
}
