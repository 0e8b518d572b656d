// Which layers the compiled step (denseStep.ts) runs through a layer module (layer.ts), why
// one cannot, and the module for each. Sharing blocks (core/blockLayers.ts) are among them.
import type * as TF from '@tensorflow/tfjs';
import type { Shape } from '../../core/shapeTypes';
import type { LayerSpec } from '../../core/spec';
import type { Tf } from '../backend';
import { NATIVE_ACTIVATIONS } from './activation';
import { nativeBatchNorm } from './batchNorm';
import type { BlockOps } from './blockOps';
import { nativeCrossStitch } from './crossStitch';
import { nativeConv } from './conv';
import { nativeGru } from './gru';
import { nativeLstm } from './lstm';
import type { NativeLayer } from './layer';
import { nativeMmoe } from './mmoe';
import type { NativeOps } from './ops';
import { nativePool } from './pool';
import { nativeParallelDense } from './parallelDense';
import { nativePle } from './ple';
import { nativeReshape } from './reshape';
import { nativeSelect } from './select';
import type { SpatialOps } from './spatialOps';

const COMPILED = new Set<LayerSpec['type']>(['conv2d', 'maxPooling2d', 'averagePooling2d', 'batchNormalization', 'flatten', 'reshape', 'lstm', 'gru',
  'parallelDense', 'crossStitch', 'mmoe', 'ple', 'select']);

/** Whether this layer type is compiled here. */
export const hasNativeLayer = (l: LayerSpec): boolean => COMPILED.has(l.type);

/** Why this layer (one of hasNativeLayer's) cannot run compiled on this input, or undefined. */
export function nativeLayerUnsupported(l: LayerSpec, input: Shape | undefined): string | undefined {
  if (!input) return `layer ${l.id} of unknown input shape`;
  if (l.type === 'conv2d' || l.type === 'maxPooling2d' || l.type === 'averagePooling2d') {
    if (input.length !== 3) return `${l.type} ${l.id} on a rank-${input.length} input`;
    if (l.type === 'conv2d' && !NATIVE_ACTIVATIONS.has(l.activation ?? 'linear')) return `activation ${l.activation} in ${l.id}`;
  }
  if (l.type === 'lstm' || l.type === 'gru') {
    if (input.length !== 2) return `${l.type} ${l.id} on a rank-${input.length} input`;
    if (!NATIVE_ACTIVATIONS.has(l.activation ?? 'tanh')) return `activation ${l.activation} in ${l.id}`;
  }
  if ((l.type === 'parallelDense' || l.type === 'mmoe' || l.type === 'ple') && !NATIVE_ACTIVATIONS.has(l.activation ?? 'linear')) return `activation ${l.activation} in ${l.id}`;
  return undefined;
}

/** The compiled layer for `l` (hasNativeLayer), on the variables of its tfjs-layers `layer`. */
export function nativeLayer(tf: Tf, ops: NativeOps, sp: SpatialOps, bo: BlockOps, l: LayerSpec, layer: TF.layers.Layer, input: Shape): NativeLayer {
  switch (l.type) {
    case 'conv2d': return nativeConv(ops, sp, l, layer);
    case 'maxPooling2d': case 'averagePooling2d': return nativePool(sp, l);
    case 'batchNormalization': return nativeBatchNorm(tf, ops, sp, l, layer);
    case 'flatten': return nativeReshape(ops, [input.reduce((a, b) => a * b, 1)]);
    case 'reshape': return nativeReshape(ops, l.targetShape);
    case 'lstm': return nativeLstm(tf, ops, l, layer);
    case 'gru': return nativeGru(tf, ops, l, layer);
    case 'parallelDense': return nativeParallelDense(ops, bo, l, layer, input.length);
    case 'crossStitch': return nativeCrossStitch(ops, bo, layer, input);
    case 'mmoe': return nativeMmoe(ops, bo, l, layer);
    case 'ple': return nativePle(ops, bo, l, layer);
    case 'select': return nativeSelect(bo, l, input[0]!);
    default: throw new Error(`layer ${l.id} (${l.type}) has no compiled step`);
  }
}

