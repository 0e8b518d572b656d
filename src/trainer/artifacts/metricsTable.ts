// The per-epoch view of the logged metric stream: for each model (shared or a baseline),
// epoch and `<split>/<task>/<metric>`, the last value logged in that epoch. It feeds
// metrics.csv and the report's charts.
import type { MetricPoint } from '../../core/protocol';
import type { MetricRecord } from '../../core/runLayout';

/** CSV column of a record: `<split>/<task>/<metric>`, prefixed `baseline-<task>/` for a baseline's. */
export function metricColumn(r: MetricRecord): string {
  const key = `${r.split}/${r.task}/${r.metric}`;
  return r.baseline === undefined ? key : `baseline-${r.baseline}/${key}`;
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export class EpochTable {
  /** column -> epoch -> last record of that epoch */
  private readonly cells = new Map<string, Map<number, MetricRecord>>();

  add(r: MetricRecord): void {
    const column = metricColumn(r);
    let byEpoch = this.cells.get(column);
    if (!byEpoch) this.cells.set(column, (byEpoch = new Map()));
    const prev = byEpoch.get(r.epoch);
    if (!prev || r.step >= prev.step) byEpoch.set(r.epoch, r);
  }

  /** Shared-model columns sorted, then baseline columns sorted. */
  columns(): string[] {
    const all = [...this.cells.keys()];
    const shared = all.filter((c) => !c.startsWith('baseline-')).sort();
    const baseline = all.filter((c) => c.startsWith('baseline-')).sort();
    return [...shared, ...baseline];
  }

  epochs(): number[] {
    const set = new Set<number>();
    for (const byEpoch of this.cells.values()) for (const e of byEpoch.keys()) set.add(e);
    return [...set].sort((a, b) => a - b);
  }

  /** `epoch,<columns…>` with one row per epoch; empty cell where nothing was logged. */
  toCsv(): string {
    const columns = this.columns();
    const lines = [['epoch', ...columns].map(csvField).join(',')];
    for (const epoch of this.epochs()) {
      const cells = columns.map((c) => {
        const r = this.cells.get(c)?.get(epoch);
        return r === undefined ? '' : String(r.value);
      });
      lines.push([String(epoch), ...cells].join(','));
    }
    return `${lines.join('\n')}\n`;
  }

  /** Epoch-level points of one model (the shared one when `baseline` is undefined), by epoch. */
  points(baseline?: string): MetricPoint[] {
    const out: MetricPoint[] = [];
    for (const byEpoch of this.cells.values()) {
      for (const r of byEpoch.values()) {
        if (r.baseline !== baseline) continue;
        out.push({ step: r.step, epoch: r.epoch, split: r.split, task: r.task, metric: r.metric, value: r.value });
      }
    }
    return out.sort((a, b) => a.epoch - b.epoch || a.step - b.step);
  }

  baselines(): string[] {
    const set = new Set<string>();
    for (const byEpoch of this.cells.values()) for (const r of byEpoch.values()) if (r.baseline !== undefined) set.add(r.baseline);
    return [...set].sort();
  }
}
