// The in-memory data set the trainer consumes: plain typed arrays, no tfjs, so the data
// layer is fast to test and the trainer decides when tensors are made.
import type { MixedColumn } from '../../core/dataSummary';
import { DataError } from './errors';
import { own, setOwn } from '../../core/own';

export interface Dataset {
  /** Number of examples. */
  n: number;
  /** One name per feature value, after one-hot expansion ("bmi", "smoker=yes", "pixel0"). */
  featureNames: string[];
  /** n * featureSize values, row-major (example i starts at i * featureSize). */
  features: Float32Array;
  /** Shape of one example, e.g. [784], [36, 36, 1] or [d]; its product is featureNames.length. */
  featureShape: number[];
  /** Per target column: class index (classification) or value (regression), one per example. */
  targets: Record<string, Float32Array>;
  /** Number of classes found, for class-valued targets. */
  classes?: Record<string, number>;
  /** For targets encoded from names: class index -> original name (sorted names). */
  classNames?: Record<string, string[]>;
  /** One-hot encoded source column -> its sorted categories; its features are named "column=category". */
  oneHot?: Record<string, string[]>;
  /** Feature columns mixing numbers and text, read as categories (for the designer's choice). */
  mixedColumns?: MixedColumn[];
  /** Human-readable notes about what loading did ("dropped 12 rows with missing values"). */
  report: string[];
}

export interface SplitDataset {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
}

/** Number of feature values per example. */
export function featureSize(ds: Pick<Dataset, 'featureNames'>): number {
  return ds.featureNames.length;
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The same data seen with another per-example shape (e.g. [784] -> [28, 28, 1]); the
 * feature values are shared, not copied. Throws a DataError when the sizes differ.
 */
export function withFeatureShape(ds: Dataset, shape: number[], what = 'the model input'): Dataset {
  const size = featureSize(ds);
  if (shapeSize(shape) !== size) {
    throw new DataError(
      `${what} has shape [${shape.join(', ')}] (${shapeSize(shape)} values per example), ` +
      `but the data has ${size} features per example (shape [${ds.featureShape.join(', ')}]).`);
  }
  return { ...ds, featureShape: [...shape] };
}

/** A new data set holding the given examples, in the given order (copies the values). */
export function takeRows(ds: Dataset, indices: readonly number[] | Int32Array): Dataset {
  const d = featureSize(ds);
  const features = new Float32Array(indices.length * d);
  for (let k = 0; k < indices.length; k++) {
    const row = indices[k] as number;
    features.set(ds.features.subarray(row * d, row * d + d), k * d);
  }
  const targets: Record<string, Float32Array> = {};
  for (const [name, values] of Object.entries(ds.targets)) {
    setOwn(targets, name, Float32Array.from(indices, (row) => values[row] as number));
  }
  return { ...ds, n: indices.length, features, targets, report: [...ds.report] };
}

/**
 * Feature indices for column names: an exact feature name, or a one-hot encoded source
 * column (all of its indicator features). Unknown names are a DataError listing what exists.
 */
export function resolveFeatureColumns(ds: Dataset, names: readonly string[], where = 'A column list', path?: (string | number)[]): number[] {
  const byName = new Map(ds.featureNames.map((name, i) => [name, i]));
  const indices: number[] = [];
  for (const name of names) {
    const exact = byName.get(name);
    // Own keys only: a column list naming "__proto__" must read as unknown, not as Object.prototype.
    const categories = ds.oneHot ? own(ds.oneHot, name) : undefined;
    if (exact !== undefined) indices.push(exact);
    else if (categories) {
      for (const c of categories) indices.push(byName.get(oneHotName(name, c)) as number);
    } else {
      throw new DataError(`${where} names '${name}', which is not a feature. Features are: ${describeNames(ds)}.`, path);
    }
  }
  return [...new Set(indices)];
}

/** The values of some features for every example, row-major (n * indices.length). */
export function selectFeatures(ds: Dataset, indices: readonly number[]): Float32Array {
  const d = featureSize(ds);
  const k = indices.length;
  const out = new Float32Array(ds.n * k);
  for (let i = 0; i < ds.n; i++) {
    for (let j = 0; j < k; j++) out[i * k + j] = ds.features[i * d + (indices[j] as number)] as number;
  }
  return out;
}

export function oneHotName(column: string, category: string): string {
  return `${column}=${category}`;
}

/** Indices of features that are one-hot indicators (left alone by default preprocessing). */
export function oneHotFeatureIndices(ds: Dataset): Set<number> {
  const names = new Set<string>();
  for (const [column, categories] of Object.entries(ds.oneHot ?? {})) {
    for (const c of categories) names.add(oneHotName(column, c));
  }
  const out = new Set<number>();
  ds.featureNames.forEach((name, i) => { if (names.has(name)) out.add(i); });
  return out;
}

function describeNames(ds: Dataset): string {
  const columns = [...new Set(ds.featureNames.map((name) => {
    for (const column of Object.keys(ds.oneHot ?? {})) if (name.startsWith(`${column}=`)) return column;
    return name;
  }))];
  return columns.length > 12 ? `${columns.slice(0, 12).join(', ')}, … (${columns.length} in all)` : columns.join(', ');
}
