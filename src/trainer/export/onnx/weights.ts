// The trained weights of a run, read straight from its model/ folder (TensorFlow.js layers
// format: model.json's weightsManifest names and shapes each weight; the files it lists hold
// their bytes end to end, little-endian). No TensorFlow is loaded to read them.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SpecError } from '../../specError';

export interface Weight {
  shape: number[];
  data: Float32Array;
}

interface ManifestGroup {
  paths: string[];
  weights: Array<{ name: string; shape: number[]; dtype: string; quantization?: unknown }>;
}

/** Weights by their saved name (`<layer's TensorFlow name>/<weight>`, e.g. `trunk1/kernel`). */
export async function readRunWeights(modelDir: string): Promise<Map<string, Weight>> {
  const modelJson = path.join(modelDir, 'model.json');
  const manifest = (JSON.parse(await fs.readFile(modelJson, 'utf8')) as { weightsManifest?: ManifestGroup[] }).weightsManifest;
  if (!Array.isArray(manifest)) throw new SpecError(`${modelJson} has no weightsManifest: it is not a TensorFlow.js layers model.`);
  const weights = new Map<string, Weight>();
  for (const group of manifest) {
    const bytes = Buffer.concat(await Promise.all(group.paths.map((p) => fs.readFile(path.join(modelDir, p)))));
    let at = 0;
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32' || spec.quantization !== undefined) {
        throw new SpecError(`${modelJson}: weight ${spec.name} is ${spec.quantization !== undefined ? 'quantized' : spec.dtype}; ONNX export reads float32 weights only.`);
      }
      const count = spec.shape.reduce((a, b) => a * b, 1);
      if (at + count * 4 > bytes.length) throw new SpecError(`${modelJson}: the weight files end before weight ${spec.name}; the run's model is incomplete.`);
      // Copied out (not a view): a weight's offset in the file buffer need not be 4-byte aligned.
      // Float32Array reads the machine's order, little-endian on every platform tfjs-node runs on.
      const data = new Float32Array(Uint8Array.from(bytes.subarray(at, at + count * 4)).buffer);
      weights.set(spec.name, { shape: spec.shape, data });
      at += count * 4;
    }
  }
  return weights;
}
