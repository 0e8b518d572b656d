// Validation of an experiment document, raw JSON in, problems out. First the structure
// (types, required properties, kinds, ranges: structure.ts against experimentSchema.ts),
// then the meaning (graph, shapes, tasks, settings). Semantic checks also run on a
// document with structural errors as long as its skeleton (ids, "from", outputs, task
// kinds) is sound, so the designer can show every problem at once.
import { checkBudget, type MemoryBudget } from './budget';
import { isNumber, isObject, isString } from './checkHelpers';
import { checkModel } from './checkModel';
import { checkEvaluation } from './checkEvaluation';
import { checkData, checkSettings, type DataFacts } from './checkSettings';
import { checkTasks } from './checkTasks';
import { inputShapeProblems, knownFeatureShape } from './dataShape';
import { EXPERIMENT_SCHEMA, LAYER_TYPES, TASK_KINDS } from './experimentSchema';
import { analyzeGraph } from './graph';
import { MAX_NESTING, tooDeep } from './nesting';
import { inferShapes } from './shapes';
import type { ExperimentSpec, Problem } from './spec';
import { checkStructure } from './structure';

export type ValidateOptions = DataFacts & {
  /** Refuse a spec whose estimated peak memory passes this (checked last, on an otherwise valid spec). */
  budget?: MemoryBudget;
  /** Examples in the whole data set, when the caller knows (the trainer counts them). */
  rows?: number;
};

export interface Validation {
  /** The document as a spec, present when there is no error (warnings allowed). */
  spec?: ExperimentSpec;
  problems: Problem[];
  /** Set when the document nests too deep to be checked at all: nothing in it can be read, not even the parts its problems do not name. */
  unchecked?: true;
}

const every = (v: unknown, test: (x: Record<string, unknown>) => boolean): boolean => Array.isArray(v) && v.every((x) => isObject(x) && test(x));

/** What the graph and task checks read; each must be well-formed for them to run. */
function modelSkeletonOk(doc: Record<string, unknown>): boolean {
  const model = doc.model;
  return isObject(model)
    && every(model.inputs, (i) => isString(i.id))
    && every(model.layers, (l) => isString(l.id) && isString(l.type) && (LAYER_TYPES as string[]).includes(l.type)
      && Array.isArray(l.from) && l.from.every(isString))
    && isObject(model.outputs) && Object.values(model.outputs).every(isString)
    && every(doc.tasks, (t) => isString(t.id) && isString(t.kind) && (TASK_KINDS as string[]).includes(t.kind));
}

const bad = (structural: Problem[], prefix: string): boolean => structural.some((p) => p.severity === 'error' && p.path[0] === prefix);

/** What the settings checks read. */
function settingsSkeletonOk(doc: Record<string, unknown>, structural: Problem[]): boolean {
  return !bad(structural, 'data') && !bad(structural, 'training') && !bad(structural, 'tasks') && isObject(doc.training) && isObject(doc.data) && isObject(doc.data.split)
    && isObject(doc.training.optimizer) && isNumber(doc.training.optimizer.learningRate) && isNumber(doc.training.epochs);
}

export function validate(doc: unknown, options: ValidateOptions = {}): Validation {
  const deep = tooDeep(doc);
  if (deep) {
    return { unchecked: true, problems: [{ path: deep, severity: 'error', message: `The document nests deeper than ${MAX_NESTING} levels here: an experiment needs a handful. Remove the nested arrays or objects.` }] };
  }
  const problems = checkStructure(doc, EXPERIMENT_SCHEMA);
  if (!isObject(doc)) return { problems };
  const structural = [...problems];
  // Past the skeleton checks the document is read through the spec types, defensively
  // where a property may still be malformed (shapes.ts, params.ts).
  const spec = doc as unknown as ExperimentSpec;
  const modelOk = modelSkeletonOk(doc);
  if (modelOk) {
    const graph = analyzeGraph(spec);
    const shapes = inferShapes(spec, graph);
    problems.push(...checkModel(spec, graph), ...shapes.problems, ...checkTasks(spec, graph, shapes.shapes));
  }
  if (settingsSkeletonOk(doc, structural)) {
    problems.push(...checkSettings(spec));
    if (!bad(structural, 'evaluation')) problems.push(...checkEvaluation(spec, options.rows));
    if (modelOk && !bad(structural, 'model') && (options.columns || options.targets)) problems.push(...checkData(spec, options));
    // The data's count of features per example: from the caller (the loaders read a csv), else
    // from the source's settings when they fix it (generated sources).
    if (modelOk && !bad(structural, 'model')) problems.push(...inputShapeProblems(doc, options.featureShape ?? knownFeatureShape(spec.data.source)));
  }
  // The budget reads every size in the spec, so it runs only once nothing else is wrong.
  if (options.budget && !problems.some((p) => p.severity === 'error')) {
    const features = options.featureShape?.reduce((a, b) => a * b, 1);
    problems.push(...checkBudget(spec, options.budget, { ...(options.rows !== undefined ? { rows: options.rows } : {}), ...(features !== undefined ? { features } : {}) }));
  }
  const ok = !problems.some((p) => p.severity === 'error');
  return ok ? { spec, problems } : { problems };
}
