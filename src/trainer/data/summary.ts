// A summary of an experiment's data as a run would see it: the same loaders, targets, limit
// and split seed (load.ts), then counted. Class balance per task and split, value ranges of
// regression targets, sample digits of image sources, the first records of csv/jsonl files.
// Callers read what is asynchronous first (prereadData: Parquet); image folders are counted, not decoded.
import type { ClassCount, DataSummary, FirstRows, PerSplit, SampleImages, TaskBalance, ValueStats } from '../../core/dataSummary';
import type { ExperimentSpec, TaskSpec } from '../../core/spec';
import type { Dataset } from './dataset';
import { planSplit, prepareSplits, type LoadOptions, type SplitPlan } from './load';
import { MNIST_SIDE } from './mnist';
import { MULTIMNIST_SIDE } from './multimnist';
import type { TableHead } from './table';

export const SAMPLE_IMAGES = 10;
export const FIRST_ROWS = 8;

export function summarizeData(spec: Pick<ExperimentSpec, 'data' | 'tasks'> & Partial<Pick<ExperimentSpec, 'model'>>, options: LoadOptions): DataSummary {
  const plan = planSplit(spec, options);
  // Counted from the plan first: the plan's data set is then consumed (reordered in place, not
  // copied) by imputation and preprocessing, which run too, as a problem they have is one the
  // run would have. Images that were only listed (no TensorFlow here) have no values to fit them on.
  const side = imageSide(spec.data.source.type);
  const counted = {
    source: spec.data.source.type,
    examples: plan.all.n,
    featureShape: [...plan.all.featureShape],
    split: {
      train: plan.parts.train.length, validation: plan.parts.validation.length, test: plan.parts.test.length,
      seed: spec.data.split.seed, ...(plan.stratifiedBy !== undefined ? { stratifiedBy: plan.stratifiedBy } : {}),
    },
    tasks: spec.tasks.map((task) => balanceOf(task, plan)),
    ...(side !== undefined ? { samples: sampleImages(plan, spec.tasks, side) } : {}),
    ...(plan.table ? { firstRows: firstRows(plan.table) } : {}),
    ...(plan.all.mixedColumns ? { mixedColumns: plan.all.mixedColumns } : {}),
  };
  const { report } = plan.listedOnly ? plan : prepareSplits(spec, plan, { consume: true });
  return { ...counted, notes: report };
}

function imageSide(source: string): number | undefined {
  return source === 'mnist' ? MNIST_SIDE : source === 'multimnist' ? MULTIMNIST_SIDE : undefined;
}

function balanceOf(task: TaskSpec, plan: SplitPlan): TaskBalance {
  const values = plan.all.targets[task.target] as Float32Array; // load.ts checked every target exists
  // NaN is a row without this task's label (table.ts): counted apart, left out of the rest.
  const labelled = perSplit(plan, (rows) => rows.reduce((a, row) => a + (Number.isNaN(values[row]) ? 0 : 1), 0));
  if (task.kind === 'regression') {
    const stats = perSplit(plan, (rows) => valueStats(values, rows));
    return { task: task.id, target: task.target, labelled, kind: 'regression', stats };
  }
  // A multiclass task may declare more classes than the data has: those show as empty.
  const k = Math.max(plan.all.classes?.[task.target] ?? 0, task.kind === 'multiclass' ? task.classes ?? 0 : 2);
  const counts = perSplit(plan, (rows) => {
    const c = new Array<number>(k).fill(0);
    for (const row of rows) if (!Number.isNaN(values[row])) c[values[row] as number]! += 1;
    return c;
  });
  const classes: ClassCount[] = Array.from({ length: k }, (_, i) => ({
    // A declared class the data does not have says so (a bare index could also be the name
    // of another class).
    name: i < (plan.all.classes?.[task.target] ?? k) ? className(plan.all, task.target, i) : `${className(plan.all, task.target, i)} (not in the data)`,
    counts: { train: counts.train[i]!, validation: counts.validation[i]!, test: counts.test[i]! },
  }));
  return { task: task.id, target: task.target, labelled, kind: task.kind, classes };
}

function perSplit<T>(plan: SplitPlan, f: (rows: Int32Array) => T): PerSplit<T> {
  return { train: f(plan.parts.train), validation: f(plan.parts.validation), test: f(plan.parts.test) };
}

/** Of the labelled rows (unlabelled, NaN, are skipped, not filtered into a copy of the row list). */
function valueStats(values: Float32Array, rows: Int32Array): ValueStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const row of rows) {
    const v = values[row] as number;
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  return n === 0 ? { n: 0, min: 0, mean: 0, max: 0 } : { n, min, mean: sum / n, max };
}

function className(ds: Dataset, target: string, index: number): string {
  return ds.classNames?.[target]?.[index] ?? String(index);
}

/** The first training examples (the split is shuffled, so they are a random draw), as drawn. */
function sampleImages(plan: SplitPlan, tasks: TaskSpec[], side: number): SampleImages {
  const size = side * side;
  const images = Array.from(plan.parts.train.subarray(0, SAMPLE_IMAGES), (row) => ({
    pixels: Array.from(plan.all.features.subarray(row * size, (row + 1) * size), (v) => Math.max(0, Math.min(255, Math.round(v)))),
    labels: tasks.map((t) => {
      const v = plan.all.targets[t.target]![row]!;
      return { task: t.id, value: Number.isNaN(v) ? '–' : className(plan.all, t.target, v) };
    }),
  }));
  return { width: side, height: side, images };
}

function firstRows(table: TableHead): FirstRows {
  return { columns: [...table.columns], rows: table.head.slice(0, FIRST_ROWS), totalRows: table.n };
}
