// The inference graph of a trained experiment as an ONNX model: the experiment's inputs (named
// by their ids, batch dimension symbolic), each layer that serves a task in topological order,
// and one output per task, named by the task's id. Layers that serve no task are left out, as
// they are of the saved model.
import { analyzeGraph } from '../../../core/graph';
import { inferShapes } from '../../../core/shapes';
import type { ExperimentSpec } from '../../../core/spec';
import { tfNames } from '../../../core/tfNames';
import { SpecError } from '../../specError';
import { OnnxBuilder } from './builder';
import { emitLayer } from './layers';
import { DataType, type OnnxModel } from './messages';
import type { Weight } from './weights';

/** Opset 17 (ONNX 1.12, 2022): every op used here, read by onnxruntime since 1.12. */
export const ONNX_OPSET = 17;
const IR_VERSION = 8;
/** The symbolic batch dimension of every input and output. */
export const BATCH_DIM = 'batch';

export function onnxModelOf(spec: ExperimentSpec, weights: ReadonlyMap<string, Weight>): OnnxModel {
  const graph = analyzeGraph(spec);
  const { shapes } = inferShapes(spec, graph);
  const names = tfNames(spec.model);
  const tasks = Object.keys(spec.model.outputs);
  const clash = tasks.find((t) => spec.model.inputs.some((i) => i.id === t));
  if (clash !== undefined) {
    const index = spec.tasks.findIndex((t) => t.id === clash);
    throw new SpecError(`ONNX export: task "${clash}" and an input share a name, and ONNX names the graph's inputs and outputs by id: rename one.`, index >= 0 ? ['tasks', index, 'id'] : ['model', 'outputs']);
  }
  const b = new OnnxBuilder([...spec.model.inputs.map((i) => i.id), ...tasks]);
  const values = new Map<string, string>(spec.model.inputs.map((i) => [i.id, i.id]));
  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    if (node.kind !== 'layer' || !(graph.serves.get(id)?.length)) continue;
    const layer = node.layer;
    const outShape = shapes.get(id);
    if (!outShape) throw new SpecError(`ONNX export: layer "${id}" (${layer.type}) has no known output shape; validate the experiment.`, ['model', 'layers', node.index]);
    const weightName = (w: string) => `${names.get(id)!}/${w}`;
    values.set(id, emitLayer({
      b, layer, index: node.index, outShape,
      inputs: layer.from.map((f) => values.get(f)!),
      inShapes: layer.from.map((f) => shapes.get(f)!),
      maybeWeight: (w) => weights.get(weightName(w)),
      weight: (w) => {
        const found = weights.get(weightName(w));
        if (!found) throw new SpecError(`ONNX export: the run's model has no weight "${weightName(w)}" for layer "${id}" (${layer.type}); was it trained from this experiment?`, ['model', 'layers', node.index]);
        return found;
      },
    }));
  }
  for (const task of tasks) b.opInto(task, 'Identity', [values.get(spec.model.outputs[task]!)!]);
  return {
    irVersion: IR_VERSION,
    opset: ONNX_OPSET,
    producerName: 'multi-task-studio',
    docString: `${spec.name}: tasks ${tasks.join(', ')}`,
    graph: {
      name: spec.name,
      nodes: b.nodes,
      initializers: b.initializers,
      inputs: spec.model.inputs.map((i) => ({ name: i.id, type: i.dtype === 'int32' ? DataType.INT32 : DataType.FLOAT, shape: [BATCH_DIM, ...i.shape] })),
      outputs: tasks.map((t) => ({ name: t, type: DataType.FLOAT, shape: [BATCH_DIM, ...shapes.get(spec.model.outputs[t]!)!] })),
    },
  };
}
