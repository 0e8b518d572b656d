// `mts export … --to keras|notebook`: the experiment as a Keras 3 Python package (text from
// core/export/keras), with the data as the product reads it and splits it (data/dataset.npz,
// data/columns.json), and, from a run folder, the run's own TensorFlow.js weights files.
// Runs where the trainer runs (node, no Python): the product never needs Python.
import fs from 'node:fs';
import path from 'node:path';
import { kerasExportNotes, kerasExportRefusals } from '../../../core/export/keras/exportable';
import { kerasPackageFiles, notebookFor, packageNameOf } from '../../../core/export/keras/index';
import { withDefaults } from '../../../core/defaults';
import { RUN_FILES } from '../../../core/runLayout';
import type { ExperimentSpec } from '../../../core/spec';
import { validate } from '../../../core/validate';
import { defaultWorkspaceOfRun } from '../../../node/runWorkspace';
import { loadBackend } from '../../backend';
import { featureSize, oneHotName, resolveFeatureColumns } from '../../data/dataset';
import { planSplit, prepareSplits, prereadData, type LoadOptions } from '../../data/load';
import { imageDecoder } from '../../imageDecoder';
import { removeDeadTempSiblings, stageFileAtomic, TEMP_MARKER, type StagedFile } from '../../artifacts/atomicWrite';
import { checkpoint } from '../checkpoint';
import { ExportError } from '../exportError';
import { makeExportFolder, makeFolderIn, writeError } from '../outFolder';
import { recoverFolder, replaceFolder } from '../replaceFolder';
import { readRunModel } from '../runModel';
import { npzBytes } from './npy';

export type ExportFormat = 'keras' | 'notebook';

export interface ExportRequest {
  /** An experiment file (*.mtl.json) or a run folder (runs/<name>/<id>/). */
  source: string;
  /** Folder that receives <package>/ (and <package>.ipynb for the notebook). */
  outDir: string;
  format: ExportFormat;
  /** Folders data may be read from besides the experiment's workspace (data/confine.ts). */
  allowedRoots?: string[];
  /** Where the experiment's data paths start; default the experiment file's folder, or for a run folder the one holding runs/. */
  workspaceDir?: string;
  /** Aborted: the export stops at its next checkpoint (checkpoint.ts), writing nothing. */
  signal?: AbortSignal;
}

export interface ExportResult {
  packageDir: string; notebook?: string; hasWeights: boolean;
  /** What the package does not carry over (a run's weights exported, its weighting not), for the user to read. */
  notes?: string[];
}

export { ExportError };

interface Source { spec: ExperimentSpec; workspaceDir: string; modelDir?: string }

function readSource(source: string): Source {
  const abs = path.resolve(source);
  if (!fs.existsSync(abs)) throw new ExportError(`${source}: no such file or folder`);
  if (fs.statSync(abs).isDirectory()) {
    const specFile = path.join(abs, RUN_FILES.experiment);
    if (!fs.existsSync(specFile)) throw new ExportError(`${source}: not a run folder (it has no ${RUN_FILES.experiment})`);
    const modelDir = path.join(abs, RUN_FILES.model);
    const spec = parseSpec(specFile);
    // runs/<experiment>/<run>/ (a study's run a level deeper): the workspace is the folder holding runs/.
    return { spec, workspaceDir: defaultWorkspaceOfRun(abs), ...(fs.existsSync(path.join(modelDir, RUN_FILES.modelJson)) ? { modelDir } : {}) };
  }
  return { spec: parseSpec(abs), workspaceDir: path.dirname(abs) };
}

function parseSpec(file: string): ExperimentSpec {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ExportError(`${file}: not readable JSON (${(err as Error).message})`);
  }
  const { spec, problems } = validate(doc);
  const errors = problems.filter((p) => p.severity === 'error');
  if (!spec || errors.length) {
    throw new ExportError(`${file}: fix the experiment first:\n${errors.map((p) => `  ${p.path.join('.')}: ${p.message}`).join('\n')}`);
  }
  return withDefaults(spec);
}

/** data/columns.json and data/dataset.npz: the rows as the product read them, its split, what the model reads. */
async function dataFiles(spec: ExperimentSpec, folders: LoadOptions, signal: AbortSignal | undefined): Promise<Record<string, Uint8Array | string>> {
  const options = spec.data.source.type === 'imageFolder'
    ? { ...folders, decodeImage: imageDecoder(await loadBackend('tensorflow')) }
    : folders;
  const preread = await prereadData(spec, options);
  await checkpoint(signal);
  const plan = planSplit(spec, preread);
  await checkpoint(signal);
  const { all, parts } = plan;
  // The product's own statistics, fitted on a copy of the training rows, for data.py to check its fit against.
  const prepared = prepareSplits(spec, plan);
  await checkpoint(signal);
  const oneHotIndex = new Map(all.featureNames.map((n, i) => [n, i]));
  const oneHot = Object.entries(all.oneHot ?? {}).map(([column, cats]) => cats.map((c) => oneHotIndex.get(oneHotName(column, c))!));
  const oneHotSet = new Set(oneHot.flat());
  const everyNumber = all.featureNames.map((_, j) => j).filter((j) => !oneHotSet.has(j));
  const columns = {
    featureNames: all.featureNames,
    oneHot,
    preprocess: (spec.data.preprocess ?? []).map((op) => ({ ...op, features: op.columns ? resolveFeatureColumns(all, op.columns) : everyNumber })),
    inputs: spec.model.inputs.map((i) => ({ id: i.id, shape: i.shape, dtype: i.dtype ?? 'float32', features: i.features ? resolveFeatureColumns(all, i.features) : null })),
    fitted: { multiply: prepared.preprocessing.multiply, add: prepared.preprocessing.add, fill: prepared.imputation?.fill ?? null },
  };
  const n = all.n, d = featureSize(all);
  const arrays: Parameters<typeof npzBytes>[0] = { features: { values: all.features, shape: [n, d] } };
  for (const t of spec.tasks) arrays[`target:${t.id}`] = { values: all.targets[t.target]!, shape: [n] };
  for (const part of ['train', 'validation', 'test'] as const) arrays[`split:${part}`] = { values: parts[part], shape: [parts[part].length] };
  return { 'data/columns.json': `${JSON.stringify(columns)}\n`, 'data/dataset.npz': npzBytes(arrays) };
}

async function writeTree(dir: string, files: Record<string, Uint8Array | string>, signal: AbortSignal | undefined): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await checkpoint(signal);
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export async function exportKeras(req: ExportRequest): Promise<ExportResult> {
  const found = readSource(req.source);
  const { spec, modelDir } = found;
  // Checked whole before the data is read and anything is written.
  const model = modelDir ? readRunModel(modelDir) : undefined;
  await checkpoint(req.signal);
  const refusals = kerasExportRefusals(spec);
  // A run folder still exports its model and weights (predictions are the same whatever the
  // weighting was); train.py then refuses to retrain it. An experiment file has nothing else.
  if (refusals.length && !modelDir) {
    throw new ExportError(`${req.source}: train.py cannot train this experiment as Multi-Task Studio does:\n${refusals.map((p) => `  ${p.path.join('.')}: ${p.message}`).join('\n')}`);
  }
  const workspaceDir = req.workspaceDir ?? found.workspaceDir;
  const name = packageNameOf(spec.name);
  const packageDir = path.join(path.resolve(req.outDir), name);
  // What the package does differently from the product: said by the CLI, the host's message and the package's docstring.
  const notes = [
    ...refusals.map((p) => `${p.path.join('.')}: ${p.message} The package loads this run's weights and predicts; its train.py refuses to retrain.`),
    ...kerasExportNotes(spec, modelDir !== undefined),
  ];
  const files: Record<string, Uint8Array | string> = {
    ...kerasPackageFiles(spec, { hasWeights: modelDir !== undefined, notes }),
    ...await dataFiles(spec, { workspaceDir, ...(req.allowedRoots ? { allowedRoots: req.allowedRoots } : {}) }, req.signal),
  };
  if (model) {
    files[`weights/${RUN_FILES.modelJson}`] = model.modelJson;
    for (const [p, bytes] of model.files) files[`weights/${p}`] = bytes;
  }
  // A whole package or none: written beside, then put in place (replaceFolder.ts), with the
  // notebook staged beside its own name; what an export killed earlier left is sorted out first.
  const temp = `${packageDir}${TEMP_MARKER}${process.pid}`;
  const notebookFile = path.join(path.resolve(req.outDir), `${name}.ipynb`);
  const notebook = req.format === 'notebook' ? notebookFile : undefined;
  // Made once the export is known to succeed up to its writing: a refused one leaves no folder.
  makeExportFolder(req.outDir);
  recoverFolder(packageDir, TEMP_MARKER);
  // A notebook staged by an export that quit at once (a second Ctrl+C), whatever this one writes.
  removeDeadTempSiblings(notebookFile);
  fs.rmSync(temp, { recursive: true, force: true });
  makeFolderIn(req.outDir, temp);
  let staged: StagedFile | undefined;
  try {
    await writeTree(temp, files, req.signal);
    if (notebook) staged = await stageFileAtomic(notebook, notebookFor(spec, name, modelDir !== undefined, notes));
    await checkpoint(req.signal);
    replaceFolder(temp, packageDir);
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    await staged?.discard();
    throw writeError(req.outDir, err);
  }
  await staged?.commit();
  const result: ExportResult = { packageDir, hasWeights: modelDir !== undefined };
  if (notes.length) result.notes = notes;
  if (notebook) result.notebook = notebook;
  return result;
}
