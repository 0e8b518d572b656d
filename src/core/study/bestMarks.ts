// Which value of a study table's column is best, and which others the repeats cannot tell from
// it. A value is only called worse than the best when the two 95 % intervals are apart: when they
// overlap, the difference may be noise of the seeds and folds (Kurin et al. 2022 found most
// "wins" of multi-task methods vanish under repeated runs), so it is not marked as a loss.
import type { IntervalSummary } from '../stats/interval';

/**
 * 'best': the best mean of the column (ties all best); 'within-noise': its interval overlaps the
 * best one's; 'worse': the intervals are apart; 'no-interval': it or the best has fewer than two
 * runs, so nothing can be said; 'no-value': no finite mean.
 */
export type ColumnMark = 'best' | 'within-noise' | 'worse' | 'no-interval' | 'no-value';

export const COLUMN_MARK_TEXT: Record<ColumnMark, string> = {
  best: 'best',
  'within-noise': 'within the noise of the best',
  worse: 'below the best',
  'no-interval': 'one run: no interval to compare',
  'no-value': 'no value',
};

const hasInterval = (s: IntervalSummary): s is IntervalSummary & { low: number; high: number } =>
  s.low !== undefined && s.high !== undefined && Number.isFinite(s.low) && Number.isFinite(s.high);

export function markColumn(cells: ReadonlyArray<IntervalSummary | undefined>, higherIsBetter: boolean): ColumnMark[] {
  const sign = higherIsBetter ? 1 : -1;
  let best: IntervalSummary | undefined;
  for (const c of cells) if (c && Number.isFinite(c.mean) && (!best || sign * c.mean > sign * best.mean)) best = c;
  return cells.map((c) => {
    if (!c || !best || !Number.isFinite(c.mean)) return 'no-value';
    if (c.mean === best.mean) return 'best';
    if (!hasInterval(c) || !hasInterval(best)) return 'no-interval';
    return c.high >= best.low && c.low <= best.high ? 'within-noise' : 'worse';
  });
}
