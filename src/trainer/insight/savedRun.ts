// A finished run's saved shared model and its experiment's test split, as the run had them
// (same data, split seed and preprocessing), for the insight commands (`mts robustness`,
// `mts explain`) that recompute a run's figures from its folder.
import fs from 'node:fs';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { analyzeGraph } from '../../core/graph';
import { RUN_FILES } from '../../core/runLayout';
import type { ExperimentSpec } from '../../core/spec';
import type { LoadedBackend } from '../backend';
import { loadExperimentData, prereadData, type ExperimentData } from '../data/index';
import { disposeSplit, toDevice, type DeviceSplit } from '../deviceData';
import { logitLayerIds, makeHeads, type TaskHead } from '../heads';
import { imageDecoder } from '../imageDecoder';
import { buildModel, type BuiltModel } from '../model/build';
import { makeForward, type ForwardFn } from '../model/forward';

/** The run's saved weights, read through an IOHandler of ours (every backend; no file:// needed). */
function savedModelHandler(modelDir: string): io.IOHandler {
  return {
    async load(): Promise<io.ModelArtifacts> {
      const json = JSON.parse(fs.readFileSync(path.join(modelDir, RUN_FILES.modelJson), 'utf8')) as {
        modelTopology: object; weightsManifest: Array<{ paths: string[]; weights: io.WeightsManifestEntry[] }>;
      };
      const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
      const bytes = fs.readFileSync(path.join(modelDir, RUN_FILES.modelWeights));
      const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return { modelTopology: json.modelTopology, weightSpecs, weightData };
    },
  };
}

export interface SavedRun {
  spec: ExperimentSpec;
  built: BuiltModel;
  heads: TaskHead[];
  forward: ForwardFn;
  data: ExperimentData;
  test: DeviceSplit;
  dispose(): void;
}

/** Whether `runDir` holds what the insight commands need; the message says what is missing. */
export function savedRunProblem(runDir: string): string | undefined {
  const need = [RUN_FILES.experiment, path.join(RUN_FILES.model, RUN_FILES.modelJson)];
  return need.every((f) => fs.existsSync(path.join(runDir, f))) ? undefined : `not a finished run folder (it needs ${need.join(' and ')})`;
}

/** `dataDir`: the folder the experiment's data paths are relative to. */
export async function loadSavedRun(backend: LoadedBackend, runDir: string, dataDir: string, allowedRoots?: string[]): Promise<SavedRun> {
  const { tf } = backend;
  const spec = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.experiment), 'utf8')) as ExperimentSpec;
  const topo = analyzeGraph(spec).order;
  const seed = spec.training.seed ?? 0;
  const built = buildModel(tf, spec, topo, seed);
  const saved = await tf.loadLayersModel(savedModelHandler(path.join(runDir, RUN_FILES.model)));
  try {
    // The same spec builds the same model: its weights come in the saved order.
    built.model.setWeights(saved.getWeights());
  } finally {
    saved.dispose();
  }
  const heads = makeHeads(tf, spec);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: logitLayerIds(heads), seed });
  const folders = { workspaceDir: dataDir, ...(allowedRoots ? { allowedRoots } : {}) };
  const data = loadExperimentData(spec, await prereadData(spec, { ...folders, decodeImage: imageDecoder(backend) }));
  const test = toDevice(tf, spec, heads, data.test);
  return { spec, built, heads, forward, data, test, dispose: () => { disposeSplit(test); built.model.dispose(); } };
}
