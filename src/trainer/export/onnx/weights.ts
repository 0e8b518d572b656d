// The trained weights of a run as float32 arrays, from its model/ folder read and checked by
// runModel.ts (TensorFlow.js layers format: model.json's weightsManifest names and shapes each
// weight; the files it lists hold their bytes end to end, little-endian). No TensorFlow is loaded.
import { ExportError } from '../exportError';
import { readRunModel } from '../runModel';

export interface Weight {
  shape: number[];
  data: Float32Array;
}

/** Weights by their saved name (`<layer's TensorFlow name>/<weight>`, e.g. `trunk1/kernel`). */
export function readRunWeights(modelDir: string): Map<string, Weight> {
  const { modelJsonFile, manifest, groupBytes } = readRunModel(modelDir);
  const weights = new Map<string, Weight>();
  manifest.forEach((group, g) => {
    const bytes = groupBytes[g]!;
    let at = 0;
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32' || spec.quantization !== undefined) {
        throw new ExportError(`${modelJsonFile}: weight ${spec.name} is ${spec.quantization !== undefined ? 'quantized' : spec.dtype}; ONNX export reads float32 weights only.`);
      }
      const count = spec.shape.reduce((a, b) => a * b, 1);
      // Copied out (not a view): a weight's offset in the file buffer need not be 4-byte aligned.
      // Float32Array reads the machine's order, little-endian on every platform tfjs-node runs on.
      const data = new Float32Array(Uint8Array.from(bytes.subarray(at, at + count * 4)).buffer);
      weights.set(spec.name, { shape: spec.shape, data });
      at += count * 4;
    }
  });
  return weights;
}
