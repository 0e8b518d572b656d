// The experiment document (`*.mtl.json`) described in the docSchema language: the single
// source for structural validation and for schemas/experiment.schema.json.
// Enum lists are built from Records keyed by the spec.ts unions, so adding a member to a
// union without describing it here is a compile error.
import { anyOf, arr, bool, int, num, obj, oneOf, record, str, union, type ObjectSchema, type Schema } from './docSchema';
import { REPEAT_COST_WARNING } from './repeats';
import { weightingVariants } from './weighting/registry';
import type { Activation, ColumnType, DataSource, LayerType, LossName, MetricName, OptimizerSpec, PreprocessOp, ScheduleSpec, TaskKind, TextEncoding } from './spec';

const keys = <T extends string>(r: Record<T, true>): T[] => Object.keys(r) as T[];

export const ACTIVATIONS = keys<Activation>({
  linear: true, relu: true, elu: true, selu: true, gelu: true, sigmoid: true, tanh: true,
  softmax: true, softplus: true, softsign: true, swish: true,
});
export const TASK_KINDS = keys<TaskKind>({ multiclass: true, binary: true, regression: true });
/** Each loss as users call it, for the designer's list; the document keeps the name (Keras' and tfjs' own). */
export const LOSS_TITLES: Record<LossName, string> = {
  categoricalCrossentropy: 'cross-entropy', sparseCategoricalCrossentropy: 'sparse cross-entropy', binaryCrossentropy: 'binary cross-entropy',
  meanSquaredError: 'mean squared error', meanAbsoluteError: 'mean absolute error', huber: 'Huber',
};
export const LOSS_NAMES = Object.keys(LOSS_TITLES) as LossName[];
/**
 * Each kind of a tagged setting as users call it, for the designer's dropdowns (the document
 * keeps the id): "sgdr" and "rmsprop" read as typos to someone who knows the methods by name.
 */
export const OPTIMIZER_TITLES: Record<OptimizerSpec['type'], string> = { sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSProp', adagrad: 'Adagrad' };
export const SCHEDULE_TITLES: Record<ScheduleSpec['type'], string> = {
  constant: 'Constant', step: 'Step decay', exponential: 'Exponential decay', cosine: 'Cosine decay', sgdr: 'Cosine with warm restarts (SGDR)',
};
export const SOURCE_TITLES: Record<DataSource['type'], string> = {
  mnist: 'MNIST digits', multimnist: 'MultiMNIST (two digits)', 'synthetic-correlated': 'Synthetic correlated regression',
  'synthetic-sequence': 'Synthetic sequences', csv: 'CSV file', jsonl: 'JSON Lines file', parquet: 'Parquet file',
  imageFolder: 'Image folder', numpy: 'NumPy arrays',
};
export const PREPROCESS_TITLES: Record<PreprocessOp['op'], string> = { scale: 'Scale', zscore: 'Standardise (z-score)', minmax: 'Min-max to [0, 1]' };
export const TEXT_ENCODINGS = keys<TextEncoding>({ 'utf-8': true, 'utf-16le': true, 'utf-16be': true, latin1: true, 'windows-1252': true, 'iso-8859-15': true });
const COLUMN_TYPES = keys<ColumnType>({ numeric: true, categorical: true });
const METRIC_NAMES = keys<MetricName>({ accuracy: true, macroF1: true, rocAuc: true, mae: true, rmse: true, r2: true });

// ---- bounds --------------------------------------------------------------------------
// Generous but finite: no real experiment comes near them, and a slip (1e7 for 1e3) is
// refused at its own path before anything is estimated, allocated or generated. The memory
// budget (budget.ts) is what refuses combinations that are each in range but too big together.
export const LIMITS = {
  units: 1_000_000, filters: 100_000, window: 10_000, size: 100_000_000, vocabulary: 10_000_000, embedding: 100_000,
  classes: 1_000_000, samples: 100_000_000, features: 1_000_000, epochs: 100_000, batchSize: 1_000_000,
  learningRate: 1_000, seed: 2 ** 32 - 1, experts: 1_000, columns: 1_000, levels: 100,
  // evaluation.repeats and a study's repeats (one setting, one bound: the seeds of a comparison), and their folds.
  repeats: 100, folds: 100,
  // evaluation.robustness and evaluation.explain; `mts robustness` and `mts explain` hold their options to the same.
  epsilon: 1e6, epsilons: 20, pgdSteps: 1_000, attackExamples: 1_000_000, explainExamples: 100, explainSteps: 1_000,
} as const;

// ---- model -------------------------------------------------------------------------
const activation = oneOf(ACTIVATIONS, 'Activation applied to the output (default linear).');
const useBias = bool('Add a bias vector (default true).');
const l2 = num('L2 penalty on this layer\'s kernel; overrides training.l2.', { min: 0, max: 1_000 });
const size2d = (what: string): Schema => anyOf('a positive integer or a pair [height, width]', what, [
  int('Same size in both directions.', { min: 1, max: LIMITS.window }),
  arr(int('Size.', { min: 1, max: LIMITS.window }), '[height, width]', { minItems: 2, maxItems: 2 }),
]);
const padding = oneOf(['valid', 'same'], '"valid": no padding (output shrinks); "same": pad so that output = ceil(input / stride). Default valid.');

const layerBase: Record<string, Schema> = {
  id: str('Unique id among inputs and layers; referenced by "from", model.outputs and layout.'),
  from: arr(str('Id of an input or layer.'), 'Ids of the inputs or layers that feed this layer, in order. Merge layers (concatenate, add) take two or more; all others exactly one.'),
  label: str('Label shown in the designer.', false),
};
const layer = (description: string, props: Record<string, Schema>, required: string[], snippet: Record<string, unknown>): ObjectSchema =>
  obj(description, { ...layerBase, ...props }, ['id', 'from', ...required], snippet);
const snip = (type: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ id: `\${1:${type}1}`, type, ...extra, from: ['${2}'] });

const pool = layer('2-D pooling over [height, width, channels].', {
  poolSize: size2d('Pooling window (default 2).'),
  strides: size2d('Step of the window (default: the pool size).'),
  padding,
}, [], {});
const recurrent = (name: string): ObjectSchema => layer(`${name} over a sequence [steps, features].`, {
  units: int('Size of the hidden state.', { min: 1, max: LIMITS.units }),
  returnSequences: bool('Output the whole sequence [steps, units] instead of the last state [units] (default false).'),
  activation: oneOf(ACTIVATIONS, 'Activation of the candidate state (default tanh).'),
}, ['units'], snip(name.toLowerCase(), { units: 32 }));

// Sharing blocks (core/blockLayers.ts): one column per task, stacked [columns, features].
const tasksCount = int('Number of task columns it outputs (one gate each); pick one for a head with a select layer.', { min: 1, max: LIMITS.columns });
const expertUnits = int('Width of each expert\'s output.', { min: 1, max: LIMITS.units });
const expertActivation = oneOf(ACTIVATIONS, 'Activation of each expert (default relu).');
const BLOCK_SCHEMAS = {
  parallelDense: layer('One dense layer per task column, side by side: [features] (every column reads it) or [columns, features] -> [columns, units]. tieL2 > 0 ties the columns by soft parameter sharing (Duong et al. 2015).', {
    columns: int('Number of parallel columns (one per task).', { min: 1, max: LIMITS.columns }),
    units: int('Outputs of each column.', { min: 1, max: LIMITS.units }),
    activation, useBias,
    tieL2: num('Soft sharing: lambda of the penalty lambda * sum over column pairs of ||W_i - W_j||^2 on the kernels (default 0: independent columns).', { min: 0, max: 1_000 }),
  }, ['columns', 'units'], snip('parallelDense', { columns: 2, units: 32, activation: 'relu', tieL2: 0.001 })),
  crossStitch: layer('Cross-stitch unit (Misra et al. 2016): each column becomes a learned mix of all columns, [columns, ...] -> same shape.', {
    selfWeight: num('Initial weight of a column on itself (default 0.9); the other columns share the rest.', { min: 0, max: 1 }),
  }, [], snip('crossStitch', { selfWeight: 0.9 })),
  mmoe: layer('Multi-gate mixture of experts (Ma et al. 2018): shared experts, one softmax gate per task; [features] -> [tasks, units].', {
    experts: int('Number of shared experts.', { min: 1, max: LIMITS.experts }),
    units: expertUnits, tasks: tasksCount, activation: expertActivation,
  }, ['experts', 'units', 'tasks'], snip('mmoe', { experts: 4, units: 16, tasks: 2 })),
  ple: layer('Progressive layered extraction (Tang et al. 2020): shared and task-specific experts with a gate per task, stacked in levels (one level is CGC); [features] -> [tasks, units].', {
    sharedExperts: int('Shared experts per level.', { min: 1, max: LIMITS.experts }),
    taskExperts: int('Experts of each task per level.', { min: 1, max: LIMITS.experts }),
    units: expertUnits, tasks: tasksCount,
    levels: int('Extraction levels (default 1: CGC).', { min: 1, max: LIMITS.levels }),
    activation: expertActivation,
  }, ['sharedExperts', 'taskExperts', 'units', 'tasks'], snip('ple', { sharedExperts: 2, taskExperts: 1, units: 16, tasks: 2, levels: 2 })),
  select: layer('Hands one column of a block\'s output [columns, features] to one task\'s tower or head: after mmoe or ple, gate index\'s mix of the experts; after parallelDense or crossStitch, task column index.', {
    index: int('Which column, from 0: the gate (mmoe, ple) or the task column (parallelDense, crossStitch).', { min: 0, max: LIMITS.columns }),
  }, ['index'], snip('select', { index: 0 })),
} satisfies Partial<Record<LayerType, ObjectSchema>>;

export const LAYER_SCHEMAS: Record<LayerType, ObjectSchema> = {
  dense: layer('Fully connected layer on a flat vector.', {
    units: int('Number of outputs.', { min: 1, max: LIMITS.units }), activation, useBias, l2,
  }, ['units'], snip('dense', { units: 64, activation: 'relu' })),
  conv2d: layer('2-D convolution over [height, width, channels].', {
    filters: int('Number of output channels.', { min: 1, max: LIMITS.filters }),
    kernelSize: size2d('Convolution window.'),
    strides: size2d('Step of the window (default 1).'),
    padding, activation, useBias, l2,
  }, ['filters', 'kernelSize'], snip('conv2d', { filters: 16, kernelSize: 3, activation: 'relu' })),
  maxPooling2d: { ...pool, description: 'Max pooling over [height, width, channels].', snippet: snip('maxPooling2d', { poolSize: 2 }) },
  averagePooling2d: { ...pool, description: 'Average pooling over [height, width, channels].', snippet: snip('averagePooling2d', { poolSize: 2 }) },
  flatten: layer('Flattens a multi-dimensional input into a vector (needed between conv/pool layers and dense).', {}, [], snip('flatten')),
  reshape: layer('Reshapes to targetShape, which must hold the same number of values.', {
    targetShape: arr(int('Size.', { min: 1, max: LIMITS.size }), 'Shape without the batch dimension, e.g. [28, 28, 1]; every size explicit (no -1).', { minItems: 1 }),
  }, ['targetShape'], snip('reshape', { targetShape: [28, 28, 1] })),
  dropout: layer('Randomly zeroes a fraction of the values during training.', {
    rate: num('Fraction dropped, in [0, 1).', { min: 0, exclusiveMax: 1 }),
  }, ['rate'], snip('dropout', { rate: 0.5 })),
  batchNormalization: layer('Normalises the last axis with batch statistics.', {
    momentum: num('Momentum of the moving mean and variance (default 0.99).', { min: 0, max: 1 }),
    epsilon: num('Added to the variance to avoid division by zero (default 0.001).', { exclusiveMin: 0 }),
  }, [], snip('batchNormalization')),
  lstm: recurrent('LSTM'),
  gru: recurrent('GRU'),
  embedding: layer('Maps integer ids [length] to vectors [length, outputDim].', {
    inputDim: int('Vocabulary size: ids must be < inputDim.', { min: 1, max: LIMITS.vocabulary }),
    outputDim: int('Size of each embedding vector.', { min: 1, max: LIMITS.embedding }),
  }, ['inputDim', 'outputDim'], snip('embedding', { inputDim: 1000, outputDim: 16 })),
  concatenate: layer('Joins two or more inputs along an axis.', {
    axis: int('Axis counted as in Keras, the batch being axis 0: -1 (default) is the last axis, 1 the first axis of an example.', { min: -16, max: 16 }),
  }, [], { id: '${1:concat1}', type: 'concatenate', from: ['${2}', '${3}'] }),
  add: layer('Element-wise sum of two or more inputs of the same shape.', {}, [], { id: '${1:add1}', type: 'add', from: ['${2}', '${3}'] }),
  ...BLOCK_SCHEMAS,
};
export const LAYER_TYPES = Object.keys(LAYER_SCHEMAS) as LayerType[];

const input = obj('An input of the model.', {
  id: str('Unique id among inputs and layers.'),
  shape: arr(int('Size.', { min: 1, max: LIMITS.size }), 'Shape of one example without the batch dimension: [784], [28, 28, 1], [20]...', { minItems: 1 }),
  features: arr(str('Column or field name.'), 'Data columns that feed this input (default: all features of the data source).'),
  dtype: oneOf(['float32', 'int32'], 'Element type (int32 for ids fed to an embedding). Default float32.'),
}, ['id', 'shape'], { id: '${1:input}', shape: ['${2:784}'] });

const model = obj('The network: inputs, layers (a graph through "from") and which layer answers each task.', {
  inputs: arr(input, 'Model inputs.', { minItems: 1, itemNoun: 'Input' }),
  layers: arr(union('type', 'layer type', 'A layer; "type" picks its kind.', LAYER_SCHEMAS), 'Layers, each reading from inputs or other layers.', { itemNoun: 'Layer' }),
  outputs: record(str('Layer id.'), 'Task id -> id of the layer whose output is that task\'s prediction.'),
}, ['inputs', 'layers', 'outputs']);

// ---- tasks -------------------------------------------------------------------------
const task = obj('A prediction task: one target column, one head of the model.', {
  id: str('Unique task id; the key of this task in model.outputs.'),
  kind: oneOf(TASK_KINDS, 'multiclass: one of several classes; binary: yes/no; regression: a number.'),
  target: str('Name of the target column/field in the data.'),
  classes: int('Number of classes (multiclass tasks; binary tasks have 2).', { min: 2, max: LIMITS.classes }),
  loss: oneOf(LOSS_NAMES, 'What training minimises for this task; default by kind: multiclass categoricalCrossentropy, binary binaryCrossentropy, regression meanSquaredError.'),
  weight: num('Static loss weight, used by weighting method "static" (default 1).', { min: 0, max: 1_000_000 }),
  metrics: arr(oneOf(METRIC_NAMES, 'Metric.'), 'Default by kind: classification accuracy, macroF1 (binary also rocAuc); regression mae, rmse, r2.', { uniqueItems: true }),
}, ['id', 'kind', 'target'], { id: '${1:task}', kind: '${2|multiclass,binary,regression|}', target: '${3:column}' });

// ---- data --------------------------------------------------------------------------
const seed = int('Seed of the random generator: the same seed gives the same result.', { min: 0, max: LIMITS.seed });
const columns = arr(str('Column name.'), 'Columns to apply this to (default: all features).');
const tabular = (format: string): ObjectSchema => obj(`A ${format} file in the workspace.`, {
  path: str('Path relative to the experiment file.'),
  features: arr(str('Column name.'), 'Feature columns (default: every column that is not a task target).'),
  categorical: arr(str('Column name.'), 'Columns to one-hot encode.'),
  missing: oneOf(['drop', 'impute'], 'Rows with missing values: drop them, or impute (mean / most frequent).'),
  ...(format === 'parquet' ? {} : { encoding: oneOf(TEXT_ENCODINGS, 'Text encoding of the file (default utf-8, checked: a file that is not UTF-8 is refused with the line of its first bad byte).') }),
  missingValues: arr(str('A cell text read as missing.'), 'Cells read as missing besides an empty cell; replaces the default list NA, N/A, n/a, NaN, nan, null, NULL, None, -, ?.'),
  columnTypes: record(oneOf(COLUMN_TYPES, '"numeric": text cells are read as missing values; "categorical": one-hot encoded.'), 'Column name -> how it is read, for columns that mix numbers and text.'),
}, ['path'], { type: format, path: '${1:data.' + format + '}' });

const data = obj('Where the examples come from, how they are preprocessed and split.', {
  source: union('type', 'data source type', 'The data source; "type" picks its kind.', {
    mnist: obj('MNIST handwritten digits (bundled; no download).', { limit: int('Use at most this many examples.', { min: 1, max: LIMITS.samples }) }),
    multimnist: obj('Two overlaid MNIST digits per image; one task per digit.', { samples: int('Number of examples.', { min: 1, max: LIMITS.samples }), seed }),
    'synthetic-correlated': obj('Synthetic regression tasks whose relatedness is set by "correlation".', {
      samples: int('Number of examples.', { min: 1, max: LIMITS.samples }),
      correlation: num('Correlation between the tasks, in [-1, 1].', { min: -1, max: 1 }),
      inputDim: int('Number of input features.', { min: 2, max: LIMITS.features }),
      seed,
    }, ['correlation']),
    'synthetic-sequence': obj('Synthetic time series for recurrent layers: noisy sinusoids, one value per step; targets "frequency" (which of "classes" frequencies) and "amplitude".', {
      samples: int('Number of examples.', { min: 1, max: LIMITS.samples }),
      steps: int('Values per sequence (time steps); the model input is [steps, 1].', { min: 2, max: LIMITS.features }),
      classes: int('Number of frequencies (1 to classes cycles per sequence), the classes of target "frequency".', { min: 2, max: 100 }),
      noise: num('Standard deviation of the Gaussian noise added to every value.', { min: 0 }),
      seed,
    }),
    csv: tabular('csv'),
    jsonl: tabular('jsonl'),
    parquet: tabular('parquet'),
    imageFolder: obj('A folder with one subfolder per class of PNG or JPEG images; the class name is the target "label".', {
      path: str('Folder relative to the experiment file.'),
      size: arr(int('Size in pixels.', { min: 1 }), 'Images are resized (bilinear) to [height, width] (default: the model input\'s shape).', { minItems: 2, maxItems: 2 }),
      channels: int('1 grey, 3 RGB or 4 RGBA (default: the last size of the model input\'s shape).', { min: 1, max: 4 }),
      pixels: oneOf(['unit', 'byte'], '"unit": pixel values scaled to [0, 1] (default); "byte": kept as 0..255.'),
    }, ['path'], { type: 'imageFolder', path: '${1:data/images}' }),
    numpy: obj('NumPy arrays: a .npz archive, or a .npy file of features with a .npy file per target.', {
      path: str('A .npz or .npy file relative to the experiment file.'),
      features: str('.npz: the name of the features array (default "x").'),
      targets: record(str('.npz: an array name; .npy: a .npy file relative to the experiment file.'), 'Target name (used by tasks) -> its array, one value per example.'),
    }, ['path', 'targets'], { type: 'numpy', path: '${1:data/arrays.npz}', features: 'x', targets: { label: 'y' } }),
  }),
  preprocess: arr(union('op', 'preprocessing op', 'A preprocessing step; "op" picks its kind.', {
    scale: obj('Multiply by a constant factor.', { factor: num('Factor, e.g. 1/255 for pixels.'), columns }, ['factor']),
    zscore: obj('Subtract the mean and divide by the standard deviation (fitted on the training split).', { columns }),
    minmax: obj('Map to [0, 1] using the training split\'s minimum and maximum.', { columns }),
  }), 'Preprocessing steps, applied in order.', { itemNoun: 'Preprocess step' }),
  split: obj('How the examples are divided into training, validation and test sets.', {
    validation: num('Fraction of examples for validation.', { min: 0, exclusiveMax: 1 }),
    test: num('Fraction of examples for the test set.', { min: 0, exclusiveMax: 1 }),
    seed,
    stratifyBy: str('Column whose classes keep their proportions in every split (default: the target of the first classification task).'),
  }, ['validation', 'test', 'seed']),
}, ['source', 'split']);

// ---- training ----------------------------------------------------------------------
const learningRate = num('Step size of each update (required; 0.001 suits Adam, 0.01 to 0.1 SGD).', { exclusiveMin: 0, max: LIMITS.learningRate });
const epsilon = num('Small constant added to the step\'s divisor so that it is never zero (default 1e-7).', { exclusiveMin: 0, max: 1 });
const warmupEpochs = num('Linear warm-up from 0 over this many epochs before the schedule starts (default 0: none).', { min: 0, max: LIMITS.epochs });
const minLearningRate = num('Lowest learning rate reached (default 0).', { min: 0, max: LIMITS.learningRate });
const momentum = (text: string): ReturnType<typeof num> => num(text, { min: 0, exclusiveMax: 1 });

const training = obj('How the model is trained.', {
  optimizer: union('type', 'optimizer type', 'The optimizer; "type" picks its kind.', {
    sgd: obj('Stochastic gradient descent: each step moves the weights against the gradient, times the learning rate (with momentum, along a running mean of the gradients).', {
      learningRate, momentum: momentum('Momentum, in [0, 1) (default 0: none).'), nesterov: bool('Nesterov momentum (default false).'),
    }, ['learningRate']),
    adam: obj('Adam (Kingma & Ba 2015): each weight\'s step scaled by running means of its gradient and squared gradient; works with little tuning.', {
      learningRate, beta1: num('Decay of the first moment (default 0.9).', { min: 0, exclusiveMax: 1 }),
      beta2: num('Decay of the second moment (default 0.999).', { min: 0, exclusiveMax: 1 }), epsilon,
    }, ['learningRate']),
    rmsprop: obj('RMSProp (Hinton 2012): each weight\'s step divided by a running mean of its squared gradient.', {
      learningRate, decay: num('Discount of the squared-gradient average (default 0.9).', { min: 0, exclusiveMax: 1 }),
      momentum: momentum('Momentum, in [0, 1) (default 0).'), epsilon,
    }, ['learningRate']),
    adagrad: obj('Adagrad (Duchi et al. 2011): each weight\'s step divided by the root of the sum of its squared gradients so far, so steps shrink as training goes on.', { learningRate, initialAccumulatorValue: num('Starting value of the accumulators (default 0.1).', { exclusiveMin: 0, max: 1_000_000 }) }, ['learningRate']),
  }),
  schedule: union('type', 'schedule type', 'Learning-rate schedule; "type" picks its kind (default constant).', {
    constant: obj('The learning rate stays as set for the whole run (the default schedule).', { warmupEpochs }),
    step: obj('The learning rate is multiplied by gamma every stepEpochs epochs.', {
      stepEpochs: num('Epochs between drops (required).', { exclusiveMin: 0, max: LIMITS.epochs }), gamma: num('Factor per drop (required), e.g. 0.1.', { exclusiveMin: 0, max: 10 }), warmupEpochs,
    }, ['stepEpochs', 'gamma']),
    exponential: obj('The learning rate is multiplied by gamma after every epoch.', { gamma: num('Factor per epoch (required), e.g. 0.95.', { exclusiveMin: 0, max: 10 }), warmupEpochs }, ['gamma']),
    cosine: obj('The learning rate falls along a half cosine to minLearningRate by the end of the run.', { minLearningRate, warmupEpochs }),
    sgdr: obj('Cosine with warm restarts (SGDR, Loshchilov & Hutter 2017).', {
      t0: num('Epochs of the first period (required).', { exclusiveMin: 0, max: LIMITS.epochs }), tMult: num('Each period is tMult times longer than the last (default 1).', { min: 1, max: 100 }),
      minLearningRate, warmupEpochs,
    }, ['t0']),
  }),
  epochs: int('Passes over the training data (required).', { min: 1, max: LIMITS.epochs }),
  batchSize: int('Examples per optimizer step (required; 32 to 256 is usual).', { min: 1, max: LIMITS.batchSize }),
  seed,
  weighting: union('method', 'weighting method', 'How the task losses (or their gradients) are combined into one update (default equal).', weightingVariants(), { closed: true }),
  l2: num('L2 penalty added to every kernel that has none of its own (default 0: none).', { min: 0, max: 1_000 }),
  clipNorm: num('Clip the global gradient norm to this value (default: no clipping).', { exclusiveMin: 0, max: 1e9 }),
  earlyStopping: obj('Stop when the validation loss stops improving (default: off, every epoch runs).', {
    patience: int('Epochs without improvement before stopping (required).', { min: 1, max: LIMITS.epochs }),
    monitor: oneOf(['loss'], 'Value watched: the validation loss (the default and only choice).'),
  }, ['patience']),
}, ['optimizer', 'epochs', 'batchSize', 'seed']);

export const EXPERIMENT_SCHEMA = obj('A Multi-Task Studio experiment: data, tasks, model graph and training settings.', {
  $schema: str('JSON Schema of this document.'),
  name: str('Name of the experiment; runs are stored under runs/<name>/.'),
  description: str('Free text.', false),
  data,
  tasks: arr(task, 'The tasks learned together.', { minItems: 1, itemNoun: 'Task' }),
  model,
  training,
  evaluation: obj('What is measured after training.', {
    baselines: oneOf(['single-task', 'none'], '"single-task" also trains one model per task on its own path of the graph, for comparison (default).'),
    deltaM: oneOf(['pairs', 'tasks'], 'How Δm averages the relative changes over the baselines: "pairs", the mean over task-metric pairs (Nash-MTL; default); "tasks", the mean over tasks of each task\'s mean over its metrics (LibMTL\'s Δp).'),
    trainMetrics: oneOf(['running', 'epochEnd'], 'How the train metrics (accuracy, macroF1, rocAuc, mae, rmse, r2) are measured: "running", over all the epoch\'s training rows as each step predicted them (before its update, with dropout on), at no extra cost (as Keras\' fit, LibMTL and PyTorch loops count them; default); "epochEnd", the model at the epoch\'s end evaluated again on the first 2,000 training rows. The train loss is the epoch\'s running mean either way.'),
    robustness: obj('Accuracy (or error) under adversarial perturbations of the test inputs, per task, for the shared model and each baseline, with attacks on each task\'s loss measured on every task (does an attack on one task transfer through the shared layers?). FGSM (Goodfellow et al. 2015) and PGD (Madry et al. 2018) in an L∞ ball, inputs kept in the test split\'s range.', {
      epsilons: arr(num('Radius, in the model\'s input units (after scaling).', { min: 0, max: LIMITS.epsilon }), 'Radii of the L∞ ball (default [0.01, 0.03, 0.1]); the clean inputs are always measured too.', { minItems: 1, maxItems: LIMITS.epsilons }),
      attacks: arr(oneOf(['fgsm', 'pgd'], 'fgsm: one signed-gradient step of size ε; pgd: steps of 2.5 ε / pgdSteps from a random start, projected back into the ball.'), 'Attacks to run (default both).', { minItems: 1 }),
      pgdSteps: int('PGD steps (default 10).', { min: 1, max: LIMITS.pgdSteps }),
      examples: int('Test examples attacked, the first of the test split (default 1,000).', { min: 1, max: LIMITS.attackExamples }),
    }),
    explain: obj('What the shared model looks at, per task: gradient × input and integrated gradients (Sundararajan et al. 2017) of the first test examples (image inputs drawn as maps in the report), each tabular feature\'s mean attribution over the test split, and which units of each shared layer each task relies on. Written to explain.json and the report.', {
      examples: int('Test examples explained, the first of the test split (default 3).', { min: 1, max: LIMITS.explainExamples }),
      steps: int('Integrated gradients\' steps (trapezoidal rule; default 32).', { min: 1, max: LIMITS.explainSteps }),
      baseline: oneOf(['zeros', 'mean'], 'Integrated gradients\' starting point: zeros (a black image; the training mean of z-scored features; default) or the test inputs\' mean.'),
    }),
    repeats: int(`Train this many times, with seeds training.seed, +1, +2, …; every phase (the shared model and each single-task baseline) repeats on the same seeds, and the report gives each metric's mean, sd and 95 % interval and says whether sharing helped (default 1; more than ${REPEAT_COST_WARNING} warns of the cost).`, { min: 1, max: LIMITS.repeats }),
    crossValidation: obj('k-fold cross-validation, stratified by the split\'s class column (data.split.stratifyBy, else the first classification task); each fold trains every phase (times evaluation.repeats).', {
      folds: int('Number of folds k (at least 2).', { min: 2, max: LIMITS.folds }),
      test: oneOf(['fixed', 'nested'], '"fixed": the test split (data.split.test) stays and the folds rotate the validation part of the other rows (data.split.validation is not used); "nested": each fold is the test split in turn, and data.split.validation of the other rows validates (data.split.test is not used). Default fixed.'),
      fold: int('Train this fold alone, 1 to folds (default: every fold). A study trains each fold as a run of its own and writes it here, so the run folder says which fold it holds.', { min: 1, max: LIMITS.folds }),
    }, ['folds']),
    conflict: obj('Gradient conflict during training: every N steps, each task\'s gradient on the shared layers of the batch; per pair of tasks and per shared layer, the cosine similarity (negative: the tasks conflict) and the magnitude ratio. Streamed to the training panel, kept in metrics.jsonl and TensorBoard, summarised in the report.', {
      every: int('Measure every this many steps (default 200, under 10 % of training time on digits-parity); 0 turns it off.', { min: 0, max: 1_000_000 }),
    }),
    taskAffinity: obj('Inter-task affinity by lookahead (Fifty et al. 2021): every N steps, a trial step of the shared layers on one task\'s loss and the relative change of every other task\'s loss, averaged over training; the report shows the matrix and the best grouping of the tasks into 2 to T−1 groups.', {
      every: int('Measure every this many steps (default 10).', { min: 1, max: 1_000_000 }),
    }),
  }),
  layout: record(obj('Position of a node in the designer.', { x: num('x'), y: num('y') }, ['x', 'y']), 'Designer node positions by node id; view state only, never affects training.'),
}, ['name', 'data', 'tasks', 'model', 'training']);
