// What the diagram panel shows, computed in the host: the sharing blocks of a design (the
// document text) or of a run (its experiment.json), and for a run with a saved model the
// weight statistics. No vscode import (unit-tested).
import fs from 'node:fs';
import path from 'node:path';
import type { WeightsOverview } from '../../core/panelProtocol';
import type { UnitReliance } from '../../core/explain';
import type { GateMeans } from '../../core/protocol';
import { RUN_FILES } from '../../core/runLayout';
import { sharingDiagram, type SharingDiagram } from '../../core/sharingBlocks';
import { idsOfTfNames } from '../../core/tfNames';
import type { ExperimentSpec } from '../../core/spec';
import type { TaskAffinitySummary } from '../../core/taskAffinity';
import { validate } from '../../core/validate';
import { formatPath } from '../../core/wording';
import { parseDocument } from '../parseDocument';
import { readRunExperiment } from '../runFolders';
import { layerStats } from './weightStats';
import { readLayersModel, WeightsFormatError, type WeightTensor } from './weightsFile';

export interface DiagramData {
  diagram?: SharingDiagram;
  problem?: string;
  weights?: WeightsOverview;
  weightsProblem?: string;
  /** Kept by the panel to answer requests for one weight's heatmap and histogram. */
  tensors?: WeightTensor[];
  /** Mean gate weights of the run's gated blocks (summary.json). */
  gates?: GateMeans[];
  /** Each task's reliance on the units of the shared layers (summary.json unitReliance). */
  reliance?: UnitReliance[];
  /** The run's task affinity and best groupings (summary.json taskAffinity, with evaluation.taskAffinity). */
  affinity?: TaskAffinitySummary;
}

/** What the run's summary adds to the diagram; a missing or unreadable summary adds nothing. */
function runInsights(runDir: string): Pick<DiagramData, 'gates' | 'reliance' | 'affinity'> {
  let summary: { gates?: unknown; unitReliance?: unknown; taskAffinity?: unknown };
  try {
    summary = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.summary), 'utf8')) as typeof summary;
  } catch {
    return {};
  }
  const list = <T>(v: unknown): T[] | undefined => (Array.isArray(v) && v.length ? v as T[] : undefined);
  const gates = list<GateMeans>(summary.gates);
  const reliance = list<UnitReliance>(summary.unitReliance);
  const a = summary.taskAffinity as Partial<TaskAffinitySummary> | undefined;
  const affinity = a && Array.isArray(a.tasks) && Array.isArray(a.matrix) && Array.isArray(a.groupings) ? a as TaskAffinitySummary : undefined;
  return { ...(gates ? { gates } : {}), ...(reliance ? { reliance } : {}), ...(affinity ? { affinity } : {}) };
}

function diagramOf(doc: unknown): Pick<DiagramData, 'diagram' | 'problem'> {
  const { spec, problems } = validate(doc);
  const error = problems.find((p) => p.severity === 'error');
  if (!spec || error) {
    const n = problems.filter((p) => p.severity === 'error').length;
    return { problem: `The experiment has ${n} problem${n === 1 ? '' : 's'}; the diagram appears when they are fixed. First: ${error ? `${formatPath(error.path)}: ${error.message}` : 'not a valid experiment'}` };
  }
  return { diagram: sharingDiagram(spec as ExperimentSpec) };
}

export function designData(text: string): DiagramData {
  const parsed = parseDocument(text);
  if ('error' in parsed) return { problem: `The experiment is not valid JSON (${parsed.error}).` };
  return diagramOf(parsed.doc);
}

/** The saved model names layers by their TensorFlow names (core/tfNames); a user sees ids. */
function userNames(tensors: WeightTensor[], doc: unknown): WeightTensor[] {
  const { spec } = validate(doc);
  if (!spec) return tensors;
  const ids = idsOfTfNames(spec.model);
  return tensors.map((t) => {
    const id = ids.get(t.layer);
    return id === undefined || id === t.layer ? t : { ...t, layer: id, name: id + t.name.slice(t.layer.length) };
  });
}

export function runData(runDir: string): DiagramData {
  const read = readRunExperiment(runDir);
  if ('problem' in read) return read;
  const { doc } = read;
  const data: DiagramData = diagramOf(doc);
  Object.assign(data, runInsights(runDir));
  const modelJson = path.join(runDir, RUN_FILES.model, RUN_FILES.modelJson);
  if (!fs.existsSync(modelJson)) {
    data.weightsProblem = 'No trained weights: the model is saved when the shared model finishes training.';
    return data;
  }
  try {
    const tensors = userNames(readLayersModel(modelJson), doc);
    data.tensors = tensors;
    data.weights = { layers: layerStats(tensors), source: `${RUN_FILES.model}/${RUN_FILES.modelJson} + ${RUN_FILES.modelWeights}` };
  } catch (err) {
    data.weightsProblem = err instanceof WeightsFormatError ? `The saved model cannot be read: ${err.message}.` : `Reading the saved model failed: ${String(err)}`;
  }
  return data;
}
