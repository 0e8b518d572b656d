// Collects the nodes and constants of an ONNX graph under names that are unique in it. Values
// are named after the layer that makes them (`trunk1/MatMul`), so the graph reads in Netron as
// the experiment does; the graph's own inputs and outputs keep the user's ids exactly.
import type { AttributeValue, OnnxNode, OnnxTensor } from './messages';

export class OnnxBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly taken = new Set<string>();

  /** Names that must stay as they are (the graph's inputs and outputs). */
  constructor(reserved: Iterable<string>) {
    for (const r of reserved) this.taken.add(r);
  }

  /** `hint`, or `hint_2`, `hint_3`... : the first not yet used. */
  fresh(hint: string): string {
    let name = hint, n = 1;
    while (this.taken.has(name)) name = `${hint}_${++n}`;
    this.taken.add(name);
    return name;
  }

  /** A float32 constant (a weight or a fixed tensor). */
  floats(hint: string, dims: number[], data: ArrayLike<number>): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims, data: Float32Array.from(data) });
    return name;
  }

  /** An int64 constant (shapes, axes, indices). */
  int64s(hint: string, values: number[], dims: number[] = [values.length]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims, data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  }

  /** Appends a node with one output, named `<scope>/<op>`; returns that output's name. */
  op(scope: string, op: string, inputs: string[], attributes?: Record<string, AttributeValue>): string {
    return this.opN(scope, op, inputs, 1, attributes)[0]!;
  }

  /** A node with `outputs` outputs (an empty string leaves an optional input out). */
  opN(scope: string, op: string, inputs: string[], outputs: number, attributes?: Record<string, AttributeValue>): string[] {
    const name = this.fresh(`${scope}/${op}`);
    const outs = Array.from({ length: outputs }, (_, k) => (k === 0 ? name : this.fresh(`${name}:${k}`)));
    this.nodes.push({ op, inputs, outputs: outs, name, ...(attributes ? { attributes } : {}) });
    return outs;
  }

  /** A node writing into a name chosen by the caller (a graph output). */
  opInto(output: string, op: string, inputs: string[]): void {
    this.nodes.push({ op, inputs, outputs: [output], name: this.fresh(`${output}/${op}`) });
  }
}
