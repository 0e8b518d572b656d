// Findings that belong to another engineer's area of issue 9 and were not fixed on the
// branch this suite was written on. The CI test (test/unit/fuzz/fuzz.test.ts) leaves out
// the cases carrying a pending tag at the given layers; `npm run fuzz` runs them all and
// reports them. Once the areas are merged this list should be empty: empty it, and the CI
// test then holds every case to every rule.
import type { MutationTag } from './generators';
import type { Layer } from './runner';

export interface Pending {
  tag: MutationTag;
  /** The layers at which the tag's cases are left out of CI. */
  layers: Layer[];
  /** Whose area (common brief): files, validation, budgets, scale, columns, integrity, labels. */
  area: string;
  /** What the fuzz suite found, as the report shows it. */
  finding: string;
}

export const PENDING: Pending[] = [];

export function pendingFor(layer: Layer): Set<string> {
  return new Set(PENDING.filter((p) => p.layers.includes(layer)).map((p) => p.tag));
}
