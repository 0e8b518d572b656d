// Saves a tfjs LayersModel as model.json + weights.bin (the layout tfjs-node's `file://`
// handler writes and `tf.loadLayersModel('file://…/model.json')` reads), through our own
// IOHandler: it works on every backend (wasm and cpu have no file:// handler) and lets us
// write into a temporary folder that is renamed into place only when complete.
import type { io } from '@tensorflow/tfjs-core';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RUN_FILES } from '../../core/runLayout';
import { replaceDirectory } from './atomicWrite';

/** Anything with tfjs' `save(handler)`: a tf.LayersModel. */
export interface SavableModel {
  save(handler: io.IOHandler): Promise<io.SaveResult>;
}

function weightBytes(data: io.WeightData | undefined): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  const parts = Array.isArray(data) ? data : [data];
  return Buffer.concat(parts.map((p) => Buffer.from(p)));
}

function fileHandler(dir: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('binary model topology is not supported');
      const weights = weightBytes(artifacts.weightData);
      const modelJson: Record<string, unknown> = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [RUN_FILES.modelWeights], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      };
      if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.signature != null) modelJson.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      const json = JSON.stringify(modelJson);
      await fs.writeFile(path.join(dir, RUN_FILES.modelJson), json, 'utf8');
      await fs.writeFile(path.join(dir, RUN_FILES.modelWeights), weights);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: Buffer.byteLength(JSON.stringify(artifacts.modelTopology ?? null), 'utf8'),
          weightSpecsBytes: Buffer.byteLength(JSON.stringify(artifacts.weightSpecs ?? []), 'utf8'),
          weightDataBytes: weights.length,
        },
      };
    },
  };
}

/**
 * Saves `model` into the folder `target` (e.g. `<run>/model`): written into `<target>.tmp-…`
 * next to it and renamed when complete, so `target` always holds a whole model or none.
 */
export async function saveModelAtomic(model: SavableModel, target: string): Promise<void> {
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`; // a leftover is removed by the next run (runWriter.ts)
  await fs.mkdir(temp, { recursive: false });
  try {
    await model.save(fileHandler(temp));
    await replaceDirectory(temp, target);
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true });
    throw err;
  }
}
