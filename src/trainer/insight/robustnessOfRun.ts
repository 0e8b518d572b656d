// `mts robustness RUN_FOLDER`: the robustness measurement on a finished run's saved model and
// its experiment's own test split (same data, same split seed, same preprocessing as the run),
// written beside the run's files as robustness.json and robustness.md (+ charts/). Only the
// shared model is saved in a run, so single-task models are measured during training only
// (evaluation.robustness).
import fs from 'node:fs';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { analyzeGraph } from '../../core/graph';
import type { RobustnessResult, RobustnessSpec } from '../../core/robustness';
import { ROBUSTNESS_DEFAULTS } from '../../core/robustness';
import { RUN_FILES } from '../../core/runLayout';
import type { ExperimentSpec } from '../../core/spec';
import { writeFileAtomic } from '../artifacts/atomicWrite';
import { renderRobustnessSection } from '../artifacts/robustnessSection';
import type { LoadedBackend } from '../backend';
import { loadExperimentData, prereadData } from '../data/index';
import { disposeSplit, toDevice } from '../deviceData';
import { makeHeads } from '../heads';
import { imageDecoder } from '../imageDecoder';
import { buildModel } from '../model/build';
import { makeForward } from '../model/forward';
import { measureRobustness } from './robustness';

export const ROBUSTNESS_FILES = { result: 'robustness.json', report: 'robustness.md' } as const;

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

export interface RunRobustness { result: RobustnessResult; files: string[] }

/**
 * Measures the saved shared model of `runDir` under `options` (defaults: core/robustness.ts).
 * `dataDir`: the folder the experiment's data paths are relative to.
 */
export async function robustnessOfRun(backend: LoadedBackend, runDir: string, dataDir: string, options: RobustnessSpec,
  allowedRoots?: string[]): Promise<RunRobustness> {
  const { tf } = backend;
  const spec = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.experiment), 'utf8')) as ExperimentSpec;
  const topo = analyzeGraph(spec).order;
  const built = buildModel(tf, spec, topo, spec.training.seed ?? 0);
  const saved = await tf.loadLayersModel(savedModelHandler(path.join(runDir, RUN_FILES.model)));
  try {
    // The same spec builds the same model: its weights come in the saved order.
    built.model.setWeights(saved.getWeights());
  } finally {
    saved.dispose();
  }
  const heads = makeHeads(tf, spec);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: new Set(heads.filter((h) => h.logits).map((h) => h.layerId)), seed: spec.training.seed ?? 0 });
  const folders = { workspaceDir: dataDir, ...(allowedRoots ? { allowedRoots } : {}) };
  const data = loadExperimentData(spec, await prereadData(spec, { ...folders, decodeImage: imageDecoder(backend) }));
  const test = toDevice(tf, spec, heads, data.test);
  try {
    const { records, ranges, examples } = measureRobustness(tf, forward, heads, test, options, 'shared', spec.training.seed ?? 0);
    const result: RobustnessResult = { examples, pgdSteps: options.pgdSteps ?? ROBUSTNESS_DEFAULTS.pgdSteps, ranges: Object.fromEntries(ranges), records };
    const section = renderRobustnessSection(spec.tasks, records, 90);
    const written: string[] = [];
    fs.mkdirSync(path.join(runDir, RUN_FILES.charts), { recursive: true });
    for (const f of section.files) {
      await writeFileAtomic(path.join(runDir, f.path), f.content);
      written.push(f.path);
    }
    await writeFileAtomic(path.join(runDir, ROBUSTNESS_FILES.report), [`# ${spec.name}: robustness of the saved model`, '', ...section.lines].join('\n'));
    await writeFileAtomic(path.join(runDir, ROBUSTNESS_FILES.result), JSON.stringify(result, null, 2));
    return { result, files: [ROBUSTNESS_FILES.result, ROBUSTNESS_FILES.report, ...written] };
  } finally {
    disposeSplit(test);
    built.model.dispose();
  }
}
