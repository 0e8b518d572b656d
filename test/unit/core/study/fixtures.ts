// Hand-made study results (StudyResult, as study.json holds it): per-run values chosen so that the
// intervals can be worked by hand; the summaries are computed by core/stats like the runner's.
import { summarize, verdictOf, INTERVAL_METHOD } from '../../../../src/core/stats/interval';
import type { ExperimentSpec } from '../../../../src/core/spec';
import type { StudyResult, StudyRunRecord, StudyVariant, StudyVariantResult } from '../../../../src/core/study/studyTypes';

export const SEEDS = [42, 43, 44];

/** A two-task experiment (digit, parity: both judged by accuracy) as a variant's spec. */
export function specWith(name: string, trunkUnits: number, method = 'equal'): ExperimentSpec {
  return {
    name,
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 7 } },
    tasks: [{ id: 'digit', kind: 'multiclass', target: 'label', classes: 10 }, { id: 'parity', kind: 'binary', target: 'parity' }],
    model: {
      inputs: [{ id: 'image', shape: [784] }],
      layers: [
        { id: 'trunk1', type: 'dense', units: trunkUnits, activation: 'relu', from: ['image'] },
        { id: 'digitHead', type: 'dense', units: 10, activation: 'softmax', from: ['trunk1'] },
        { id: 'parityHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk1'] },
      ],
      outputs: { digit: 'digitHead', parity: 'parityHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 2, batchSize: 32, seed: 42, weighting: { method } },
    evaluation: { baselines: 'single-task' },
  } as unknown as ExperimentSpec;
}

export interface VariantValues {
  variant: StudyVariant;
  /** Per repeat: digit accuracy, parity accuracy, Δm (undefined for single-task). */
  digit: number[];
  parity: number[];
  deltaM?: number[];
  parameters: number;
  seconds: number[];
  /** Statuses of the runs (default all completed). */
  status?: StudyRunRecord['status'][];
}

export function variantResult(v: VariantValues): StudyVariantResult {
  const runs: StudyRunRecord[] = SEEDS.map((seed, repeat) => {
    const status = v.status?.[repeat] ?? 'completed';
    return {
      variant: v.variant.id, repeat, seed, runDir: `${v.variant.id}-r${repeat}`, status,
      ...(status === 'completed' ? {
        test: { digit: { accuracy: v.digit[repeat]! }, parity: { accuracy: v.parity[repeat]! } },
        ...(v.deltaM ? { deltaM: v.deltaM[repeat]! } : {}),
        parameters: v.parameters, trainSeconds: v.seconds[repeat]!,
      } : {}),
    };
  });
  const done = (xs: number[]) => xs.filter((_, i) => (v.status?.[i] ?? 'completed') === 'completed');
  const d = v.deltaM ? summarize(done(v.deltaM)) : undefined;
  return {
    variant: v.variant,
    runs,
    test: { digit: { accuracy: summarize(done(v.digit)) }, parity: { accuracy: summarize(done(v.parity)) } },
    ...(d ? { deltaM: { ...d, verdict: verdictOf(d) } } : {}),
    parameters: v.parameters,
    trainSeconds: summarize(done(v.seconds)),
  };
}

/**
 * Digit accuracy: single-task 0.92 ± 0.02 (95 % CI 0.870317 … 0.969683), as designed 0.96 ± 0.01
 * (0.935159 … 0.984841, the best), PCGrad 0.81 ± 0.01 (0.785159 … 0.834841). Half widths:
 * t(0.975, 2) = 4.302653 · sd / √3, i.e. 0.0496828 for sd 0.02 and 0.0248414 for sd 0.01.
 */
export function studyFixture(): StudyResult {
  return {
    name: 'digits-parity sharing', studyFile: 'digits-parity.mtl-study.json', experiment: 'digits-parity.mtl.json',
    status: 'completed', startedAt: '2026-11-30T09:00:00.000Z', endedAt: '2026-11-30T09:02:41.000Z',
    method: INTERVAL_METHOD, repeats: 3,
    variants: [
      variantResult({
        variant: { id: 'single-task', label: 'Single-task models', kind: 'single-task' },
        digit: [0.90, 0.92, 0.94], parity: [0.88, 0.89, 0.90], parameters: 203_530, seconds: [10, 11, 12],
      }),
      variantResult({
        variant: { id: 'as-designed', label: 'As designed', kind: 'as-designed', spec: specWith('digits-parity', 64) },
        // Δm mean +0.5 %, 95 % CI −1.53 % … +2.53 %: holds 0, so "no difference".
        digit: [0.95, 0.96, 0.97], parity: [0.86, 0.87, 0.88], deltaM: [0.012, -0.004, 0.007], parameters: 101_770, seconds: [8, 8.5, 9],
      }),
      variantResult({
        variant: { id: 'weighting-pcgrad', label: 'PCGrad (parameters)', kind: 'weighting', spec: specWith('digits-parity', 64, 'pcgrad') },
        digit: [0.80, 0.81, 0.82], parity: [0.91, 0.92, 0.93], deltaM: [-0.05, -0.06, -0.055], parameters: 101_770, seconds: [14, 15, 16],
      }),
    ],
  };
}
