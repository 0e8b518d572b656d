// Gradient conflict during training (issue 14 item 1). Every `every` steps the trainer takes
// each task's gradient g_t of the current batch's loss on the shared parameters, per shared
// layer (block), and reads back each block's Gramian G[a][b] = <g_a, g_b>; the whole trunk's
// Gramian is their sum (the blocks' parameters are disjoint). From a Gramian, per task pair:
//   cosine(a, b) = G[a][b] / sqrt(G[a][a] G[b][b])   (conflict when negative, Yu et al. 2020)
//   ratio(a, b)  = ||g_a|| / ||g_b|| = sqrt(G[a][a] / G[b][b])
// The pair's values are MetricPoints of task `a|b` (pairTask), metrics named by conflictMetric.
// Pure: the trainer's insight/conflict.ts computes the Gramians, this module reads them.
import { plural } from './markup';

export interface ConflictSpec {
  /** Measure every this many optimizer steps (default CONFLICT_DEFAULT_EVERY); 0 turns it off. */
  every?: number;
}

/**
 * Default interval: on digits-parity (`npm run bench:conflict`) one measurement (a tape
 * forward and backward pass per task) cost 7.2 ms, 7.7 compiled native steps of 0.94 ms:
 * every 50 steps 15 % of training time, every 100 7.7 %, every 200 3.9 %. 200 keeps it under
 * 10 % on slower machines too (and still measures 8 times per MNIST epoch at batch 32).
 */
export const CONFLICT_DEFAULT_EVERY = 200;

/** The interval in force, or undefined when evaluation.conflict.every is 0 (off). */
export function conflictEvery(spec: ConflictSpec | undefined): number | undefined {
  const every = spec?.every ?? CONFLICT_DEFAULT_EVERY;
  return every > 0 ? every : undefined;
}

/** The block name of the whole trunk (all shared parameters), beside each shared layer's id. */
export const WHOLE_TRUNK = '';

const PAIR_SEPARATOR = '|';
const BLOCK_SEPARATOR = '@';

/** The MetricPoint task of a pair of tasks (in the experiment's task order). */
export const pairTask = (a: string, b: string): string => `${a}${PAIR_SEPARATOR}${b}`;

/** The pair a MetricPoint task names, or undefined for a task or the whole model. */
export function pairOf(task: string): [string, string] | undefined {
  const k = task.indexOf(PAIR_SEPARATOR);
  return k > 0 ? [task.slice(0, k), task.slice(k + 1)] : undefined;
}

export type ConflictMeasure = 'cosine' | 'ratio';

/** Metric name of a measure on a block: `cosine` for the whole trunk, `cosine@trunk2` for one layer. */
export const conflictMetric = (measure: ConflictMeasure, block: string): string =>
  (block === WHOLE_TRUNK ? measure : `${measure}${BLOCK_SEPARATOR}${block}`);

/** The measure and block a metric name holds, or undefined for another metric. */
export function parseConflictMetric(metric: string): { measure: ConflictMeasure; block: string } | undefined {
  const [measure, block] = metric.split(BLOCK_SEPARATOR, 2) as [string, string | undefined];
  if (measure !== 'cosine' && measure !== 'ratio') return undefined;
  return { measure, block: block ?? WHOLE_TRUNK };
}

export interface PairValues { a: string; b: string; cosine: number; ratio: number }

/**
 * Each pair's cosine and magnitude ratio from a Gramian (tasks in its row order). A pair with a
 * zero gradient (a task with no labelled row in the batch, a dead block) has no direction: left out.
 * So is a pair whose entries are not finite (a diverging run, which the step after ends:
 * trainer/trainingDiverged.ts): its cosine would be NaN, written as a value.
 */
export function pairValues(gram: number[][], tasks: string[]): PairValues[] {
  const out: PairValues[] = [];
  for (let a = 0; a < tasks.length; a++) {
    for (let b = a + 1; b < tasks.length; b++) {
      const na = gram[a]![a]!, nb = gram[b]![b]!;
      if (!(na > 0 && nb > 0 && Number.isFinite(na) && Number.isFinite(nb) && Number.isFinite(gram[a]![b]!))) continue;
      out.push({ a: tasks[a]!, b: tasks[b]!, cosine: gram[a]![b]! / Math.sqrt(na * nb), ratio: Math.sqrt(na / nb) });
    }
  }
  return out;
}

/** The sum of the blocks' Gramians: the whole trunk's (the blocks' parameters are disjoint). */
export function sumGramians(grams: number[][][]): number[][] {
  const t = grams[0]?.length ?? 0;
  return Array.from({ length: t }, (_, a) => Array.from({ length: t }, (_, b) => grams.reduce((s, g) => s + g[a]![b]!, 0)));
}

export interface BlockConflict {
  /** Measurements where the pair had a direction on this block. */
  measured: number;
  /** Of them, those with a negative cosine. */
  conflicts: number;
  meanCosine: number;
}

export interface PairConflict extends BlockConflict {
  a: string;
  b: string;
  /** Per shared layer id. */
  blocks: Record<string, BlockConflict>;
  /** The whole trunk's mean cosine per epoch with a measurement: [epoch, mean cosine]. */
  epochs: Array<[number, number]>;
}

/** What the run keeps of the conflict measurements (summary.json, the report). */
export interface ConflictSummary {
  every: number;
  measurements: number;
  pairs: PairConflict[];
}

/** Counts conflicts and sums cosines over the measurements of one training phase. */
export class ConflictTally {
  private measurements = 0;
  private readonly pairs = new Map<string, { a: string; b: string; blocks: Map<string, { measured: number; conflicts: number; sum: number }>; epochs: Map<number, { n: number; sum: number }> }>();

  constructor(private readonly every: number) {}

  /** One measurement at an epoch: the pair values per block (WHOLE_TRUNK for the whole trunk). */
  add(epoch: number, byBlock: ReadonlyMap<string, PairValues[]>): void {
    this.measurements++;
    for (const [block, values] of byBlock) {
      for (const v of values) {
        const key = pairTask(v.a, v.b);
        const pair = this.pairs.get(key) ?? { a: v.a, b: v.b, blocks: new Map(), epochs: new Map() };
        this.pairs.set(key, pair);
        const c = pair.blocks.get(block) ?? { measured: 0, conflicts: 0, sum: 0 };
        pair.blocks.set(block, c);
        c.measured++;
        if (v.cosine < 0) c.conflicts++;
        c.sum += v.cosine;
        if (block === WHOLE_TRUNK) {
          const e = pair.epochs.get(epoch) ?? { n: 0, sum: 0 };
          pair.epochs.set(epoch, e);
          e.n++;
          e.sum += v.cosine;
        }
      }
    }
  }

  summary(): ConflictSummary {
    const of = (c: { measured: number; conflicts: number; sum: number } | undefined): BlockConflict =>
      ({ measured: c?.measured ?? 0, conflicts: c?.conflicts ?? 0, meanCosine: c && c.measured ? c.sum / c.measured : NaN });
    return {
      every: this.every,
      measurements: this.measurements,
      pairs: [...this.pairs.values()].map((p) => ({
        a: p.a, b: p.b, ...of(p.blocks.get(WHOLE_TRUNK)),
        blocks: Object.fromEntries([...p.blocks].filter(([k]) => k !== WHOLE_TRUNK).map(([k, c]) => [k, of(c)])),
        epochs: [...p.epochs].map(([epoch, e]): [number, number] => [epoch, e.sum / e.n]),
      })),
    };
  }
}

/** The block where a pair conflicted in the largest share of its measurements, if it ever did. */
export function mostConflictedBlock(pair: PairConflict): string | undefined {
  let best: string | undefined;
  let bestShare = 0;
  for (const [block, c] of Object.entries(pair.blocks)) {
    const share = c.measured ? c.conflicts / c.measured : 0;
    if (share > bestShare) { best = block; bestShare = share; }
  }
  return best;
}

/** The report's sentence for a pair: "digit and parity conflicted in 12 % of measured steps, mostly in trunk2 (mean cosine 0.31)." */
export function conflictSentence(pair: PairConflict): string {
  const cosine = Number.isFinite(pair.meanCosine) ? ` (mean cosine ${pair.meanCosine.toFixed(2)})` : '';
  if (!pair.measured) return `${pair.a} and ${pair.b} were never measured together (no step had both gradients).`;
  if (!pair.conflicts) return `${pair.a} and ${pair.b} never conflicted in ${plural(pair.measured, 'measured step')}${cosine}.`;
  const share = Math.round((100 * pair.conflicts) / pair.measured);
  const block = mostConflictedBlock(pair);
  return `${pair.a} and ${pair.b} conflicted in ${share} % of ${plural(pair.measured, 'measured step')}${block ? `, mostly in ${block}` : ''}${cosine}.`;
}
