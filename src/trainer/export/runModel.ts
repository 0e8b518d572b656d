// A run's saved model as every export reads it: model.json and the weight files its manifest
// lists, checked whole before anything is written. A training stopped while it saved, a copy cut
// short or a file removed leaves model/ half-written; an export then says which file, instead of
// copying a short weights.bin into a package (Keras) or ending with JSON.parse's words.
import fs from 'node:fs';
import path from 'node:path';
import { RUN_FILES } from '../../core/runLayout';
import { ExportError } from './exportError';

export interface ManifestWeight { name: string; shape: number[]; dtype: string; quantization?: { dtype?: string } }
export interface ManifestGroup { paths: string[]; weights: ManifestWeight[] }

export interface RunModel {
  /** model/model.json. */
  modelJsonFile: string;
  modelJson: Buffer;
  manifest: ManifestGroup[];
  /** Each weight file by its path in the manifest (relative to model/). */
  files: Map<string, Buffer>;
  /** Each group's files end to end, in the manifest's order. */
  groupBytes: Buffer[];
}

/** Bytes of one value of a stored dtype (TensorFlow.js' weight files); undefined when not fixed. */
const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

const INCOMPLETE = 'the run\'s model is incomplete (was its training stopped while it saved?); train the experiment again to export it.';

/** The run's model/ folder read and checked: every listed file present and long enough for its weights. */
export function readRunModel(modelDir: string): RunModel {
  const modelJsonFile = path.join(modelDir, RUN_FILES.modelJson);
  const modelJson = fs.readFileSync(modelJsonFile);
  let manifest: unknown;
  try {
    manifest = (JSON.parse(modelJson.toString('utf8')) as { weightsManifest?: unknown }).weightsManifest;
  } catch (err) {
    throw new ExportError(`${modelJsonFile} is not readable JSON (${(err as Error).message}): ${INCOMPLETE}`);
  }
  if (!Array.isArray(manifest)) throw new ExportError(`${modelJsonFile} has no weightsManifest: it is not a TensorFlow.js layers model.`);
  const files = new Map<string, Buffer>();
  const groupBytes = (manifest as ManifestGroup[]).map((group) => {
    const bytes = Buffer.concat(group.paths.map((p) => {
      const file = path.join(modelDir, p);
      if (!fs.existsSync(file)) throw new ExportError(`${file} is missing: ${INCOMPLETE}`);
      const b = fs.readFileSync(file);
      files.set(p, b);
      return b;
    }));
    let at = 0;
    for (const w of group.weights) {
      const size = BYTES[w.quantization?.dtype ?? w.dtype];
      if (size === undefined) break; // a string weight: its length is in its bytes, not its shape
      at += size * w.shape.reduce((a, b) => a * b, 1);
      if (at > bytes.length) throw new ExportError(`${modelJsonFile}: the weight files end before weight ${w.name}; ${INCOMPLETE}`);
    }
    return bytes;
  });
  return { modelJsonFile, modelJson, manifest: manifest as ManifestGroup[], files, groupBytes };
}
