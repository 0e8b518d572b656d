// Export of a trained run as model.onnx: the inference graph of the experiment with the run's
// weights, outputs named by task id. Written by our own encoder (onnx/protobuf.ts): the product
// needs neither Python nor TensorFlow for it. Every layer type and sharing block of the schema
// is covered; one the writer cannot express (e.g. an LSTM with a gelu activation) fails with a
// message naming the layer, never with a silently different model.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { repeatedWeightsNote } from '../../core/export/repeatedWeightsNote';
import { RUN_FILES } from '../../core/runLayout';
import type { ExperimentSpec } from '../../core/spec';
import { removeDeadTempSiblings, writeFileAtomic } from '../artifacts/atomicWrite';
import { checkpoint } from './checkpoint';
import { ExportError } from './exportError';
import { onnxModelOf } from './onnx/graph';
import { writeError } from './outFolder';
import { encodeModel } from './onnx/messages';
import { readRunWeights } from './onnx/weights';

/** `signal` aborted: stops at the next checkpoint (checkpoint.ts), before model.onnx is written. */
export async function exportOnnx(runDir: string, outFile: string, signal?: AbortSignal): Promise<{ outputs: string[]; notes?: string[] }> {
  const specFile = path.join(runDir, RUN_FILES.experiment);
  const modelDir = path.join(runDir, RUN_FILES.model);
  const spec = parseJson(specFile, await readOr(specFile, `${runDir} is not a run folder: it has no ${RUN_FILES.experiment}.`)) as ExperimentSpec;
  await readOr(path.join(modelDir, RUN_FILES.modelJson), `${runDir} has no trained model (${RUN_FILES.model}/${RUN_FILES.modelJson}): the run did not complete.`);
  const weights = readRunWeights(modelDir);
  await checkpoint(signal);
  const model = onnxModelOf(spec, weights);
  await checkpoint(signal);
  const bytes = encodeModel(model);
  await checkpoint(signal);
  // What an ONNX export that quit at once (a second Ctrl+C) or was killed staged beside it.
  removeDeadTempSiblings(outFile);
  await writeFileAtomic(outFile, bytes).catch((err: unknown) => { throw writeError(path.dirname(outFile), err); });
  const note = repeatedWeightsNote(spec);
  return { outputs: model.graph.outputs.map((o) => o.name), ...(note ? { notes: [note] } : {}) };
}

async function readOr(file: string, message: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    throw new ExportError(message);
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ExportError(`${file}: not readable JSON (${(err as Error).message})`);
  }
}
