// The parts of the experiment schema (core/experimentSchema) the inspector forms are built
// from: field kinds, required flags and descriptions come from there, not from a second list.
import type { ObjectSchema, Schema, UnionSchema } from '../../src/core/docSchema';
import { EXPERIMENT_SCHEMA } from '../../src/core/experimentSchema';
import { own } from '../../src/core/own';

const prop = (o: ObjectSchema, key: string): Schema => {
  const s = o.properties[key];
  if (!s) throw new Error(`experiment schema has no "${key}"`);
  return s;
};
const asObject = (s: Schema): ObjectSchema => (s.kind === 'object' ? s : (() => { throw new Error('expected an object schema'); })());
const asUnion = (s: Schema): UnionSchema => (s.kind === 'union' ? s : (() => { throw new Error('expected a union schema'); })());
const itemsOf = (s: Schema): Schema => (s.kind === 'array' ? s.items : (() => { throw new Error('expected an array schema'); })());

const MODEL = asObject(prop(EXPERIMENT_SCHEMA, 'model'));
const DATA = asObject(prop(EXPERIMENT_SCHEMA, 'data'));
export const TRAINING = asObject(prop(EXPERIMENT_SCHEMA, 'training'));
export const EVALUATION = asObject(prop(EXPERIMENT_SCHEMA, 'evaluation'));
export const CROSS_VALIDATION = asObject(prop(EVALUATION, 'crossValidation'));
export const INPUT = asObject(itemsOf(prop(MODEL, 'inputs')));
export const TASK = asObject(itemsOf(prop(EXPERIMENT_SCHEMA, 'tasks')));
export const SOURCE = asUnion(prop(DATA, 'source'));
export const PREPROCESS = asUnion(itemsOf(prop(DATA, 'preprocess')));
export const SPLIT = asObject(prop(DATA, 'split'));
export const OPTIMIZER = asUnion(prop(TRAINING, 'optimizer'));
export const SCHEDULE = asUnion(prop(TRAINING, 'schedule'));
export const WEIGHTING = asUnion(prop(TRAINING, 'weighting'));
export const EARLY_STOPPING = asObject(prop(TRAINING, 'earlyStopping'));
export const NAME = prop(EXPERIMENT_SCHEMA, 'name');
export const DESCRIPTION = prop(EXPERIMENT_SCHEMA, 'description');

/** Values a variant's required settings start with when the user switches to it (UI starting points). */
export const STARTERS: Record<string, Record<string, Record<string, unknown>>> = {
  optimizer: { sgd: { learningRate: 0.01 }, adam: { learningRate: 0.001 }, rmsprop: { learningRate: 0.001 }, adagrad: { learningRate: 0.01 } },
  schedule: { step: { stepEpochs: 10, gamma: 0.5 }, exponential: { gamma: 0.95 }, sgdr: { t0: 5, tMult: 2 } },
  source: { 'synthetic-correlated': { correlation: 0.5 }, 'synthetic-sequence': { steps: 20 }, csv: { path: 'data.csv' }, jsonl: { path: 'data.jsonl' },
    parquet: { path: 'data.parquet' }, imageFolder: { path: 'data/images' }, numpy: { path: 'data/arrays.npz', features: 'x', targets: { label: 'y' } } },
  preprocess: { scale: { factor: 0.00392156862745098 } },
};

/** Property names of a variant, the tag included (what survives a switch of variant). */
export const variantKeys = (u: UnionSchema, tag: string): string[] => [u.tag, ...Object.keys(u.variants[tag]?.properties ?? {})];

/** A dropdown's names from a table of titles (core/experimentSchema's LOSS_TITLES...): a value as users call it, an unknown one as it is written. */
export const titled = (titles: Readonly<Record<string, string>>) => (value: string): string => own(titles, value) ?? value;

/** "kernelSize" -> "Kernel size", "l2" -> "L2". */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
