// model.py of the Keras export, generated from the spec: one line per layer in the Keras 3
// functional API, each named as the trainer names it (core/tfNames.ts) so a run's weights load
// by name; the model's outputs are a dict keyed by task id.
import { taskWithDefaults } from '../../defaults';
import { analyzeGraph } from '../../graph';
import { deriveSeed } from '../../random';
import type { ExperimentSpec, LayerSpec } from '../../spec';
import { tfNames } from '../../tfNames';
import { trunkOf } from '../../trunk';
import { py, pythonNames, tuple } from './python';

/** What model.py imports from blocks.py for a layer type. */
const BLOCK_CLASSES: Partial<Record<LayerSpec['type'], string>> = {
  parallelDense: 'ParallelDense', crossStitch: 'CrossStitch', mmoe: 'Mmoe', ple: 'Ple', select: 'Select', lstm: 'tfjs_hard_sigmoid', gru: 'tfjs_hard_sigmoid',
};

const pair = (v: number | [number, number]): string => (typeof v === 'number' ? String(v) : tuple(v));

/** The Keras layer constructor for a spec layer (without the call on its inputs). */
function kerasLayer(l: LayerSpec, name: string, seed: number, globalL2: number | undefined): string {
  const n = py(name);
  const init = `keras.initializers.GlorotUniform(seed=${seed})`;
  const l2Of = (own: number | undefined) => {
    const coef = own ?? globalL2 ?? 0;
    return coef > 0 ? `, kernel_regularizer=keras.regularizers.L2(${coef})` : '';
  };
  switch (l.type) {
    case 'dense':
      return `keras.layers.Dense(${l.units}, activation=${py(l.activation ?? 'linear')}, use_bias=${py(l.useBias ?? true)}, kernel_initializer=${init}${l2Of(l.l2)}, name=${n})`;
    case 'conv2d':
      return `keras.layers.Conv2D(${l.filters}, ${pair(l.kernelSize)}, strides=${pair(l.strides ?? 1)}, padding=${py(l.padding ?? 'valid')}, ` +
        `activation=${py(l.activation ?? 'linear')}, use_bias=${py(l.useBias ?? true)}, kernel_initializer=${init}${l2Of(l.l2)}, name=${n})`;
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const cls = l.type === 'maxPooling2d' ? 'MaxPooling2D' : 'AveragePooling2D';
      return `keras.layers.${cls}(${pair(l.poolSize ?? 2)}, strides=${l.strides === undefined ? 'None' : pair(l.strides)}, padding=${py(l.padding ?? 'valid')}, name=${n})`;
    }
    case 'flatten': return `keras.layers.Flatten(name=${n})`;
    case 'reshape': return `keras.layers.Reshape(${tuple(l.targetShape)}, name=${n})`;
    case 'dropout': return `keras.layers.Dropout(${l.rate}, seed=${seed}, name=${n})`;
    case 'batchNormalization': return `keras.layers.BatchNormalization(momentum=${l.momentum ?? 0.99}, epsilon=${l.epsilon ?? 1e-3}, name=${n})`;
    case 'lstm':
      return `keras.layers.LSTM(${l.units}, activation=${py(l.activation ?? 'tanh')}, recurrent_activation=tfjs_hard_sigmoid, return_sequences=${py(l.returnSequences ?? false)}, ` +
        `kernel_initializer=${init}, recurrent_initializer=keras.initializers.Orthogonal(seed=${seed + 1}), name=${n})`;
    case 'gru':
      // TensorFlow.js' GRU applies the reset gate before the recurrent matmul (Keras' reset_after=False).
      // Both recurrent layers gate with TensorFlow.js' hard sigmoid (blocks.py says why).
      return `keras.layers.GRU(${l.units}, activation=${py(l.activation ?? 'tanh')}, recurrent_activation=tfjs_hard_sigmoid, return_sequences=${py(l.returnSequences ?? false)}, reset_after=False, ` +
        `kernel_initializer=${init}, recurrent_initializer=keras.initializers.Orthogonal(seed=${seed + 1}), name=${n})`;
    case 'embedding':
      return `keras.layers.Embedding(${l.inputDim}, ${l.outputDim}, embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=${seed}), name=${n})`;
    case 'concatenate': return `keras.layers.Concatenate(axis=${l.axis ?? -1}, name=${n})`;
    case 'add': return `keras.layers.Add(name=${n})`;
    case 'parallelDense':
      return `ParallelDense(${l.columns}, ${l.units}, activation=${py(l.activation ?? 'linear')}, use_bias=${py(l.useBias ?? true)}, tie_l2=${l.tieL2 ?? 0}, seed=${seed}, name=${n})`;
    case 'crossStitch': return `CrossStitch(self_weight=${l.selfWeight ?? 0.9}, name=${n})`;
    case 'mmoe': return `Mmoe(${l.experts}, ${l.units}, ${l.tasks}, activation=${py(l.activation ?? 'relu')}, seed=${seed}, name=${n})`;
    case 'ple':
      return `Ple(${l.sharedExperts}, ${l.taskExperts}, ${l.units}, ${l.tasks}, levels=${l.levels ?? 1}, activation=${py(l.activation ?? 'relu')}, seed=${seed}, name=${n})`;
    case 'select': return `Select(${l.index}, name=${n})`;
  }
}

/** Per task: what losses.py needs (kind, loss, how labels are encoded, static weight). */
export function taskTable(spec: ExperimentSpec): Array<Record<string, unknown>> {
  return spec.tasks.map((t) => {
    const task = taskWithDefaults(t);
    const out = spec.model.layers.find((l) => l.id === spec.model.outputs[t.id]);
    const units = out?.type === 'dense' ? out.units : 1;
    return { id: t.id, kind: t.kind, loss: task.loss, weight: t.weight ?? 1, encoding: t.kind === 'regression' ? 'value' : units > 1 ? 'onehot' : 'binary' };
  });
}

export function modelPy(spec: ExperimentSpec): string {
  const graph = analyzeGraph(spec);
  const tf = tfNames(spec.model);
  const vars = pythonNames([...spec.model.inputs.map((i) => i.id), ...spec.model.layers.map((l) => l.id)]);
  const byId = new Map(spec.model.layers.map((l) => [l.id, l]));
  const fromBlocks = [
    ...new Set(spec.model.layers.flatMap((l) => BLOCK_CLASSES[l.type] ?? [])),
  ].sort();
  const lines: string[] = [
    `"""The model of experiment ${JSON.stringify(spec.name)} in the Keras 3 functional API (exported by Multi-Task Studio).`,
    '',
    'Layers carry the names the product gives them, so weights.py loads a run\'s weights by name;',
    'the outputs are a dict keyed by task id. Sharing follows from the graph: SHARED_LAYERS serve',
    'two or more tasks (the part the gradient methods of weighting.py act on); REPRESENTATION_LAYERS',
    'are those whose outputs the tasks\' own layers read (the shared representation).',
    '"""',
    'import keras',
    '',
    ...(fromBlocks.length ? [`from .blocks import ${fromBlocks.join(', ')}`, ''] : []),
    `TASKS = ${py(taskTable(spec))}`,
    `SHARED_LAYERS = ${py([...trunkOf(spec, graph).layers].map((id) => tf.get(id)))}`,
    `REPRESENTATION_LAYERS = ${py(trunkOf(spec, graph).representation.map((id) => tf.get(id)))}`,
    '',
    '',
    'def build_model():',
  ];
  for (const input of spec.model.inputs) {
    lines.push(`    ${vars.get(input.id)} = keras.Input(shape=${tuple(input.shape)}, dtype=${py(input.dtype ?? 'float32')}, name=${py(tf.get(input.id))})`);
  }
  for (const id of graph.order) {
    const l = byId.get(id);
    if (!l) continue;
    const args = l.from.map((f) => vars.get(f)!);
    const call = args.length === 1 ? args[0]! : `[${args.join(', ')}]`;
    // Below 2^31: PyTorch's backend keeps seeds in int32 (the Orthogonal initializer takes seed + 1).
    const seed = deriveSeed(spec.training.seed, 'layer', l.id) % 2_000_000_000;
    lines.push(`    ${vars.get(id)} = ${kerasLayer(l, tf.get(id)!, seed, spec.training.l2)}(${call})`);
  }
  const outputs = Object.entries(spec.model.outputs).map(([task, layer]) => `${py(task)}: ${vars.get(layer)}`);
  const inputs = spec.model.inputs.map((i) => `${py(i.id)}: ${vars.get(i.id)}`);
  lines.push(`    return keras.Model(inputs={${inputs.join(', ')}}, outputs={${outputs.join(', ')}}, name=${py(spec.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'model')})`, '');
  return lines.join('\n');
}
