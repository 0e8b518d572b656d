// Each model input against what the data gives per example. The trainer reshapes the values
// of an example to the input's shape, so only the number of values must agree ([28, 28, 1]
// reads [784] as it is). Where the count is known from the settings alone (generated sources,
// an input's own `features` list) it is checked here on every validation; the count of a csv
// or jsonl file (one-hot columns widen it) comes from the trainer's loaders (DataFacts).
// Each mismatch carries its fix, so the designer and the Problems panel offer the same one.
import { isObject } from './checkHelpers';
import type { DataSource, ExperimentSpec, Problem } from './spec';
import { formatShape } from './wording';

export const MNIST_SIDE = 28;
export const MULTIMNIST_SIDE = 36;
/** data.source.inputDim when it is not set (synthetic-correlated). */
export const SYNTHETIC_INPUT_DIM = 100;
/** data.source.steps when it is not set (synthetic-sequence). */
export const SEQUENCE_STEPS = 20;

const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0);
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The per-example shape a generated source gives, known from its settings without reading data. */
export function knownFeatureShape(source: unknown): number[] | undefined {
  if (!isObject(source)) return undefined;
  switch (source.type as DataSource['type']) {
    case 'mnist': return [MNIST_SIDE * MNIST_SIDE];
    case 'multimnist': return [MULTIMNIST_SIDE, MULTIMNIST_SIDE, 1];
    case 'synthetic-correlated': {
      const d = source.inputDim ?? SYNTHETIC_INPUT_DIM;
      return typeof d === 'number' && Number.isInteger(d) && d > 0 ? [d] : undefined;
    }
    case 'synthetic-sequence': {
      const steps = source.steps ?? SEQUENCE_STEPS;
      return typeof steps === 'number' && Number.isInteger(steps) && steps > 0 ? [steps, 1] : undefined;
    }
    default: return undefined;
  }
}

/** The image one example is, [height, width, channels], for image sources (the data may give it flat). */
export function imageShapeOf(source: unknown): number[] | undefined {
  if (!isObject(source)) return undefined;
  if (source.type === 'mnist') return [MNIST_SIDE, MNIST_SIDE, 1];
  if (source.type === 'multimnist') return [MULTIMNIST_SIDE, MULTIMNIST_SIDE, 1];
  return undefined;
}

/**
 * A problem at `model.inputs[i].shape` for every input whose number of values differs from
 * what the data gives it: `featureShape` (per example, from the loaders or knownFeatureShape)
 * for an input that reads every feature, its `features` list for one that picks columns.
 * Tolerant of a half-edited document: malformed inputs are left to the other checks.
 */
export function inputShapeProblems(doc: unknown, featureShape: readonly number[] | undefined): Problem[] {
  const d = isObject(doc) ? doc : {};
  const inputs = isObject(d.model) && Array.isArray(d.model.inputs) ? d.model.inputs : [];
  const source = isObject(d.data) ? d.data.source : undefined;
  const image = imageShapeOf(source);
  const problems: Problem[] = [];
  inputs.forEach((input: unknown, i) => {
    if (!isObject(input) || typeof input.id !== 'string' || !isShape(input.shape)) return;
    const features = Array.isArray(input.features) ? input.features : undefined;
    const given = features ? [features.length] : featureShape;
    if (given === undefined || size(given) === 0 || size(given) === size(input.shape)) return;
    const n = size(given);
    // An image source: the input may keep the rows and columns (convolutions) or take them flat.
    const asImage = !features && image !== undefined && size(image) === n;
    const fixed = asImage && input.shape.length === image.length ? image : given.length === input.shape.length ? [...given] : [n];
    const what = features ? `it reads ${plural(n, 'feature')} (its "features" list)` : `the data gives ${plural(n, 'feature')} per example`;
    const choices = asImage ? `set ${formatShape([n])}, or ${formatShape(image)} to keep the ${image[0]}×${image[1]} images' rows and columns` : `set ${formatShape(fixed)}`;
    problems.push({
      path: ['model', 'inputs', i, 'shape'], severity: 'error',
      message: `Input "${input.id}" is ${formatShape(input.shape)}, ${what}: ${choices}.`,
      fix: { label: `Set shape to ${formatShape(fixed)}`, ops: [{ op: 'set', path: ['model', 'inputs', i, 'shape'], value: fixed }] },
    });
  });
  return problems;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** [height, width] when an input is an image: rank 2 or more, or MNIST's flat 784 pixels (attributions are drawn as images: core/explain.ts). */
export function imageSize(shape: number[], spec: Pick<ExperimentSpec, 'data'>): [number, number] | undefined {
  if (shape.length >= 2) return [shape[0]!, shape[1]!];
  if (spec.data.source.type === 'mnist' && shape[0] === MNIST_SIDE * MNIST_SIDE) return [MNIST_SIDE, MNIST_SIDE];
  return undefined;
}
