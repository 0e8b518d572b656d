// Shared by the loss-based methods' hand-worked tests: a rule made from the registry's
// method with its defaults (or given parameters), and a context with only what is given.
import assert from 'node:assert/strict';
import type { TaskInfo, WeightingContext, WeightingMethod, WeightingRule } from '../../../../src/core/weighting/method';
import { weightingParams } from '../../../../src/core/weighting/registry';

export const TOLERANCE = 1e-5;

export function tasks(n: number): TaskInfo[] {
  return Array.from({ length: n }, (_, i) => ({ id: `t${i}`, kind: 'regression', weight: 1 }));
}

export function ruleOf(method: WeightingMethod, n: number, params: Record<string, unknown> = {}): WeightingRule {
  return method.create!(weightingParams(method.description, params), tasks(n));
}

export function context(extra: Partial<WeightingContext> & { active: readonly number[] }): WeightingContext {
  return { step: 0, epoch: 1, epochLosses: [], random: () => { throw new Error('no random numbers in this test'); }, ...extra };
}

export function assertClose(actual: readonly number[], expected: readonly number[], what = 'weights'): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values, expected ${expected.length}`);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) < TOLERANCE, `${what}[${i}]: ${a}, expected ${expected[i]} (all: [${actual.join(', ')}])`));
}
