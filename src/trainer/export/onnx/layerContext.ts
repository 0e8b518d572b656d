// What a layer's ONNX emitter is given: the builder, its inputs (value names and shapes
// without the batch dimension), its output shape, and its trained weights.
import type { Shape } from '../../../core/shapes';
import type { LayerSpec } from '../../../core/spec';
import { SpecError } from '../../specError';
import type { OnnxBuilder } from './builder';
import type { Weight } from './weights';

export interface LayerContext {
  b: OnnxBuilder;
  layer: LayerSpec;
  /** The layer's index in model.layers: where an error points. */
  index: number;
  inputs: string[];
  inShapes: Shape[];
  outShape: Shape;
  /** The trained weight `<layer's TensorFlow name>/<name>`. */
  weight(name: string): Weight;
  /** The weight, or undefined when the layer has none of that name (a bias turned off). */
  maybeWeight(name: string): Weight | undefined;
}

/** Export cannot write this layer: the message names the layer and its type. */
export function unsupported(ctx: Pick<LayerContext, 'layer' | 'index'>, why: string): SpecError {
  return new SpecError(`ONNX export: layer "${ctx.layer.id}" (${ctx.layer.type}) ${why}`, ['model', 'layers', ctx.index]);
}
