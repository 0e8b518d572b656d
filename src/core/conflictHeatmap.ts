// The training panel's conflict heatmap (issue 14 item 1): one row per task pair, one column
// per conflict report (time to the right), each cell coloured by the gradient cosine on a
// diverging scale (-1 red: the tasks pull against each other; 0 neutral: orthogonal; +1 blue:
// aligned), beside each row the share of its measured steps that conflicted. Pure: the panel
// reads the theme's colours and the series, this module lays them out and blends the colours.
//
// A long run has more reports than the panel has pixels: consecutive reports are then merged
// into one column (their mean cosine), while the share of conflicting steps still counts every
// report, so the number beside a row never depends on the window's width.

/** One pair's conflict reports on one block, in step order (core/conflict's cosine points). */
export interface HeatmapPairInput { a: string; b: string; steps: readonly number[]; cosines: readonly number[] }

/** A column: the optimizer steps of the reports merged into it (one report when from === to). */
export interface HeatmapColumn { from: number; to: number; reports: number }

export interface HeatmapCell {
  /** Mean cosine of the pair's reports in the column. */
  value: number;
  /** How many of the column's reports measured the pair. */
  reports: number;
}

export interface HeatmapRow {
  a: string;
  b: string;
  /** Per column; undefined where the pair was not measured (a task with no labelled row in the batch). */
  cells: Array<HeatmapCell | undefined>;
  /** Every report with a finite cosine, and those below 0, over the whole run (not per column). */
  measured: number;
  conflicts: number;
}

export interface HeatmapLayout { columns: HeatmapColumn[]; rows: HeatmapRow[] }

/**
 * Rows in the given pair order; columns the union of the pairs' report steps, merged by runs
 * of ceil(n / maxColumns) consecutive reports when there are more than maxColumns.
 */
export function heatmapLayout(pairs: readonly HeatmapPairInput[], maxColumns: number): HeatmapLayout {
  const steps = [...new Set(pairs.flatMap((p) => p.steps))].sort((x, y) => x - y);
  const per = Math.max(1, Math.ceil(steps.length / Math.max(1, Math.floor(maxColumns))));
  const columnOf = new Map(steps.map((s, i) => [s, Math.floor(i / per)]));
  const columns: HeatmapColumn[] = [];
  for (let i = 0; i < steps.length; i += per) {
    const group = steps.slice(i, i + per);
    columns.push({ from: group[0]!, to: group[group.length - 1]!, reports: group.length });
  }
  const rows = pairs.map((p): HeatmapRow => {
    const sums = columns.map(() => ({ n: 0, sum: 0 }));
    let measured = 0, conflicts = 0;
    p.steps.forEach((step, i) => {
      const v = p.cosines[i];
      if (v === undefined || !Number.isFinite(v)) return;
      measured++;
      if (v < 0) conflicts++;
      const c = sums[columnOf.get(step)!]!;
      c.n++;
      c.sum += v;
    });
    return { a: p.a, b: p.b, measured, conflicts, cells: sums.map((c) => (c.n ? { value: c.sum / c.n, reports: c.n } : undefined)) };
  });
  return { columns, rows };
}

/** "12 % of 25": the row's share of conflicting reports, rounded; "not measured" before the first. */
export function conflictShareText(row: Pick<HeatmapRow, 'measured' | 'conflicts'>): string {
  if (!row.measured) return 'not measured';
  return `${Math.round((100 * row.conflicts) / row.measured)} % of ${row.measured}`;
}

/** A cell's tooltip (and its accessible name): which steps, which pair, the cosine. */
export function cellText(row: Pick<HeatmapRow, 'a' | 'b'>, column: HeatmapColumn, cell: HeatmapCell | undefined): string {
  const where = column.from === column.to ? `step ${column.from}` : `steps ${column.from}–${column.to} (${cell?.reports ?? 0} of ${column.reports} reports)`;
  if (!cell) return `${row.a} · ${row.b}, ${where}: not measured`;
  const value = `${cell.value < 0 ? '−' : ''}${Math.abs(cell.value).toFixed(2)}`;
  return `${row.a} · ${row.b}, ${where}: ${column.from === column.to ? 'cosine' : 'mean cosine'} ${value}${cell.value < 0 ? ' (conflict)' : ''}`;
}

type Rgb = [number, number, number];

/** #rgb, #rrggbb(aa) or rgb()/rgba() as VS Code themes give them (alpha dropped); undefined otherwise. */
export function parseColor(color: string): Rgb | undefined {
  const c = color.trim();
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(c);
  if (short) return [short[1]!, short[2]!, short[3]!].map((h) => parseInt(h + h, 16)) as Rgb;
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})(?:[0-9a-f]{2})?$/i.exec(c);
  if (long) return [long[1]!, long[2]!, long[3]!].map((h) => parseInt(h, 16)) as Rgb;
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(c);
  if (fn) return [Number(fn[1]), Number(fn[2]), Number(fn[3])];
  return undefined;
}

const hex = (rgb: Rgb): string => `#${rgb.map((v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('')}`;
const mix = (from: Rgb, to: Rgb, t: number): Rgb => [0, 1, 2].map((k) => from[k]! + (to[k]! - from[k]!) * t) as Rgb;

/** The theme colours the scale is made of (VS Code's --vscode-charts-red, -blue, the editor's background and foreground). */
export interface HeatmapTheme { negative: string; positive: string; background: string; foreground: string }

/**
 * The scale's middle: the background with a touch of the foreground (15 %), so that a cell
 * near 0 stays visible as a cell on any theme instead of vanishing into the page.
 */
export const NEUTRAL_SHARE = 0.15;

/**
 * A cosine's colour: the neutral blended towards the negative colour (cosine -1) or the
 * positive colour (+1) by sqrt(|cosine|); values outside [-1, 1] are clamped. The square root
 * because task gradients in a trained trunk are mostly near orthogonal (|cosine| under 0.3 on
 * digits-parity): linearly those cells were all but neutral and a conflict of -0.05 looked
 * like one of +0.05; the legend's ramp is drawn through the same function, so it shows the
 * scale as it is. Colours it cannot read give the foreground, so a cell never disappears.
 */
export function cosineColor(value: number, theme: HeatmapTheme): string {
  const bg = parseColor(theme.background), fg = parseColor(theme.foreground);
  const end = parseColor(value < 0 ? theme.negative : theme.positive);
  if (!bg || !fg || !end) return theme.foreground;
  const neutral = mix(bg, fg, NEUTRAL_SHARE);
  const t = Math.sqrt(Math.min(1, Math.abs(value)));
  return hex(mix(neutral, end, Number.isFinite(t) ? t : 0));
}

/** The legend's stops, left to right. */
export const LEGEND_STOPS = [-1, -0.5, 0, 0.5, 1] as const;
