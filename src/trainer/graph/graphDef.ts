// A small TensorFlow GraphDef builder and the SavedModel file around it (savedModelWriter.ts).
// A graph built here is loaded by TensorFlow's own SavedModel loader (session.ts) and run as
// one session call: TensorFlow's executor, not tfjs, walks the ops.
// Only what the training graphs need: float32 and int32 tensors, the attrs they set.
import { writeSavedModel, type Attr, type ConstTensor, type GraphFunction, type GraphNode } from './savedModelWriter';

export type { Attr, ConstTensor, GraphFunction, GraphNode };

/** A GraphDef producer version TensorFlow 2.9 (tfjs-node 4.22's libtensorflow) reads without conversion. */
const PRODUCER = 1087;

export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly names = new Set<string>();
  private readonly functions: GraphFunction[] = [];

  /**
   * Adds a node and returns its name (its first output). `inputs` are node names, `name:k` for
   * output k, `^name` for a control dependency. A name already taken gets a numeric suffix,
   * characters TensorFlow refuses become '_': use the name returned.
   */
  op(op: string, inputs: string[], attrs: Record<string, Attr> = {}, name: string = op): string {
    // TensorFlow's node names are [A-Za-z0-9.][A-Za-z0-9_.\-/]*; layer and task ids may hold anything.
    const valid = name.replace(/[^A-Za-z0-9_./-]/g, '_').replace(/^[_/-]/, 'n$&');
    let unique = valid;
    for (let k = 1; this.names.has(unique); k++) unique = `${valid}_${k}`;
    this.names.add(unique);
    this.nodes.push({ name: unique, op, inputs, attrs });
    return unique;
  }

  /** A float32 placeholder fed by each run; -1 for an unknown size (the batch). */
  placeholder(name: string, shape: number[], dtype: 'float' | 'int32' | 'uint8' = 'float'): string {
    return this.op('Placeholder', [], { dtype: { type: dtype }, shape: { shape } }, name);
  }

  constant(name: string, value: ConstTensor): string {
    return this.op('Const', [], { dtype: { type: value.dtype }, value: { tensor: value } }, name);
  }

  /** The nodes added so far (a function's body: graphFunction.ts). */
  added(): readonly GraphNode[] {
    return this.nodes;
  }

  /** Puts a function in the graph's library (graphFunction.ts); a node of op `f.name` calls it. */
  addFunction(f: GraphFunction): void {
    this.functions.push(f);
  }

  /** The SavedModel file (saved_model.pb) holding this graph under the given tags. */
  savedModel(tags: string[]): Uint8Array {
    return writeSavedModel(this.nodes, tags, PRODUCER, this.functions);
  }
}
