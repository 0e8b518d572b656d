// Shape inference for every node of the model, without the batch dimension, following
// tfjs-layers' rules (conv output = ceil((in - k + 1) / s) for "valid", ceil(in / s) for
// "same"). Shape problems are returned as values: the designer shows them on the node.
// Robust to partly invalid documents: a layer whose own settings are malformed (reported
// by structural validation) simply gets no shape, and neither does anything after it.
import { blockOutputShape, isBlockLayer } from './blockLayers';
import { analyzeGraph, type Graph } from './graph';
import type { ExperimentSpec, LayerSpec, Problem } from './spec';
import type { LayerShapeResult, Shape } from './shapeTypes';
import { formatShape } from './wording';

export type { LayerShapeResult, Shape } from './shapeTypes';

export interface ShapeInference {
  /** Node id -> output shape, for every node whose shape is known. */
  shapes: Map<string, Shape>;
  problems: Problem[];
}


const MERGE_TYPES: ReadonlySet<string> = new Set(['concatenate', 'add']);

const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isShape = (v: unknown): v is Shape => Array.isArray(v) && v.length > 0 && v.every(isSize);
const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** `3` or `[3, 5]` -> [3, 5]; undefined when malformed. */
function pair(v: unknown, fallback: [number, number]): [number, number] | undefined {
  if (v === undefined) return fallback;
  if (isSize(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && isSize(v[0]) && isSize(v[1])) return [v[0], v[1]];
  return undefined;
}

/** One spatial dimension after a window of size k with stride s (tfjs convOutputLength). */
function windowOutput(size: number, k: number, s: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(size / s) : Math.ceil((size - k + 1) / s);
}

function spatial(layer: LayerSpec & { padding?: unknown; strides?: unknown }, input: Shape, window: [number, number], stridesDefault: [number, number], channels: number): LayerShapeResult {
  const strides = pair(layer.strides, stridesDefault);
  const padding = layer.padding ?? 'valid';
  if (!strides || (padding !== 'valid' && padding !== 'same')) return { unknown: true };
  const [h, w] = input as [number, number, number];
  const outH = windowOutput(h, window[0], strides[0], padding);
  const outW = windowOutput(w, window[1], strides[1], padding);
  if (outH < 1 || outW < 1) {
    return {
      problem: `window ${window[0]}×${window[1]} does not fit its ${h}×${w} input with padding "valid": use padding "same", a smaller window, or fewer downsampling layers before it.`,
      field: layer.type === 'conv2d' ? 'kernelSize' : 'poolSize',
    };
  }
  return { shape: [outH, outW, channels] };
}

/** Output shape of one layer given the shapes of its inputs (already checked for arity). */
export function layerOutputShape(layer: LayerSpec, inputs: Shape[], sourceIds: string[] = []): LayerShapeResult {
  const input = inputs[0]!;
  const from = sourceIds[0] !== undefined ? ` from "${sourceIds[0]}"` : '';
  const receives = `receives ${formatShape(input)}${from}`;
  switch (layer.type) {
    case 'dense':
      if (!isSize(layer.units)) return { unknown: true };
      if (input.length !== 1) return { problem: `dense needs a flat vector but ${receives}: add a flatten layer before it.` };
      return { shape: [layer.units] };
    case 'conv2d':
    case 'maxPooling2d':
    case 'averagePooling2d': {
      if (input.length !== 3) {
        return { problem: `${layer.type} needs an image [height, width, channels] but ${receives}: give the input a shape like [28, 28, 1] or add a reshape layer before it.` };
      }
      if (layer.type === 'conv2d') {
        const kernel = pair(layer.kernelSize, [0, 0]);
        if (!isSize(layer.filters) || !kernel || kernel[0] === 0) return { unknown: true };
        return spatial(layer, input, kernel, [1, 1], layer.filters);
      }
      const window = pair(layer.poolSize, [2, 2]);
      return window ? spatial(layer, input, window, window, input[2]!) : { unknown: true };
    }
    case 'flatten':
      if (input.length < 2) return { problem: `flatten ${receives}, which is already flat: remove this layer.` };
      return { shape: [product(input)] };
    case 'reshape': {
      // No -1 entries: tfjs-layers keeps a -1 unknown in the symbolic shape (the batch size is
      // unknown), which breaks every flatten, dense or conv after it.
      const target: unknown = layer.targetShape;
      if (!isShape(target)) return { unknown: true };
      const total = product(input);
      if (product(target) !== total) {
        return { problem: `targetShape ${formatShape(target)} holds ${product(target)} values but the layer ${receives} (${total} values).`, field: 'targetShape' };
      }
      return { shape: [...target] };
    }
    case 'dropout':
    case 'batchNormalization':
      return { shape: [...input] };
    case 'lstm':
    case 'gru':
      if (!isSize(layer.units)) return { unknown: true };
      if (input.length !== 2) {
        return { problem: `${layer.type} needs a sequence [steps, features] but ${receives}: use an input of shape [steps, features], a reshape, or an embedding before it.` };
      }
      return { shape: layer.returnSequences ? [input[0]!, layer.units] : [layer.units] };
    case 'embedding':
      if (!isSize(layer.outputDim)) return { unknown: true };
      return { shape: [...input, layer.outputDim] };
    case 'concatenate': {
      const rank = input.length;
      if (inputs.some((s) => s.length !== rank)) {
        return { problem: `concatenate needs inputs of the same rank; got ${describeInputs(inputs, sourceIds)}.` };
      }
      const axisValue = layer.axis ?? -1;
      if (typeof axisValue !== 'number' || !Number.isInteger(axisValue)) return { unknown: true };
      // Keras numbering: axis 0 is the batch, so example axis = axis - 1; negatives count from the end.
      const axis = axisValue < 0 ? rank + axisValue : axisValue - 1;
      if (axisValue === 0 || axis < 0 || axis >= rank) {
        return { problem: `axis ${axisValue} is not an axis of its ${rank}-d inputs: use -1 (the last axis) or a value from 1 to ${rank}.`, field: 'axis' };
      }
      const others = (s: Shape): string => s.filter((_, i) => i !== axis).join(',');
      if (inputs.some((s) => others(s) !== others(input))) {
        return { problem: `concatenate needs equal sizes except along axis ${axisValue}; got ${describeInputs(inputs, sourceIds)}.` };
      }
      const out = [...input];
      out[axis] = inputs.reduce((sum, s) => sum + s[axis]!, 0);
      return { shape: out };
    }
    case 'add':
      if (inputs.some((s) => formatShape(s) !== formatShape(input))) {
        return { problem: `add needs inputs of identical shape; got ${describeInputs(inputs, sourceIds)}.` };
      }
      return { shape: [...input] };
    default:
      return isBlockLayer(layer) ? blockOutputShape(layer, input, receives) : { unknown: true };
  }
}

function describeInputs(inputs: Shape[], ids: string[]): string {
  return inputs.map((s, i) => `${formatShape(s)}${ids[i] !== undefined ? ` from "${ids[i]}"` : ''}`).join(', ');
}

/** Shapes of all nodes in topological order, with the problems found on the way. */
export function inferShapes(spec: Pick<ExperimentSpec, 'model'>, graph: Graph = analyzeGraph(spec)): ShapeInference {
  const shapes = new Map<string, Shape>();
  const problems: Problem[] = [];
  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    if (node.kind === 'input') {
      if (isShape(node.input.shape)) shapes.set(id, [...node.input.shape]);
      continue;
    }
    const layer = node.layer;
    const path = ['model', 'layers', node.index];
    const report = (message: string, field?: string): void => {
      problems.push({ path: field ? [...path, field] : path, message: `Layer "${id}" (${layer.type}): ${message}`, severity: 'error' });
    };
    const merge = MERGE_TYPES.has(layer.type);
    if (layer.from.length === 0) {
      report(`has no input: connect ${merge ? 'two or more layers' : 'an input or a layer'} to it.`, 'from');
      continue;
    }
    if (merge && layer.from.length < 2) {
      report(`merges two or more inputs but has only "${layer.from[0]}": connect another one, or remove this layer.`, 'from');
      continue;
    }
    if (!merge && layer.from.length > 1) {
      report(`takes exactly one input but has ${layer.from.length} (${layer.from.join(', ')}): merge them with a concatenate or add layer first.`, 'from');
      continue;
    }
    if (layer.type === 'embedding') {
      // An embedding looks up integer ids; float values would be truncated or fail inside TensorFlow.
      const source = graph.nodes.get(layer.from[0]!);
      if (source?.kind === 'input' && source.input.dtype !== 'int32') {
        report(`embedding looks up integer ids, but input "${source.id}" is float32: set "dtype": "int32" on that input (model.inputs[${source.index}]).`, 'from');
        continue;
      }
      if (source?.kind === 'layer') {
        report(`embedding looks up integer ids, but it reads layer "${source.id}" (${source.layer.type}), whose output is float: read an input with "dtype": "int32" directly.`, 'from');
        continue;
      }
    }
    const inputs = layer.from.map((source) => shapes.get(source));
    if (inputs.some((s) => s === undefined)) continue; // unknown upstream: reported where it starts
    const result = layerOutputShape(layer, inputs as Shape[], layer.from);
    if ('shape' in result) shapes.set(id, result.shape);
    else if ('problem' in result) report(result.problem, result.field);
  }
  return { shapes, problems };
}
