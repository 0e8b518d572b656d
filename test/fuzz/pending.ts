// Known findings not fixed yet, each owned by an area of the code. The CI test
// (test/unit/fuzz/fuzz.test.ts) still runs every case but does not count a finding that
// matches an entry here; `npm run fuzz` counts everything. Keep it empty: an entry is a debt
// with a name, for the time between finding a fault and fixing it.
// Each entry matches narrowly (its message, and where useful the case's mutation tags), so
// that a new, different failure in the same case is still caught.
import type { MutationTag } from './generators';
import type { Finding } from './oracle';

export interface Pending {
  /** A short name for the finding. */
  tag: string;
  /** Whose area (common brief): files, validation, budgets, scale, columns, integrity, labels. */
  area: 'files' | 'validation' | 'budgets' | 'scale' | 'columns' | 'integrity' | 'labels';
  /** What the fuzz suite found. */
  finding: string;
  /** The finding's message matches this. */
  message: RegExp;
  /** And, when given, the case carries one of these mutation tags. */
  caseTags?: MutationTag[];
}

export const PENDING: Pending[] = [];

/** Whether a finding (of a case with these tags) is one of the pending ones. */
export function isPending(f: Finding, caseTags: readonly string[], pending: readonly Pending[] = PENDING): boolean {
  return pending.some((p) => p.message.test(f.message) && (!p.caseTags || p.caseTags.some((t) => caseTags.includes(t))));
}
