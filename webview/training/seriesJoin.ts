// uPlot draws series over one shared x array. Our series have their own x (train loss at
// every report, validation once per epoch), each sorted: a k-way merge builds the union
// of x values and fills the gaps with null (drawn across with spanGaps). Pure.

export interface XY { x: readonly number[]; y: readonly number[] }

export type Aligned = [number[], ...Array<Array<number | null>>];

export function joinSeries(series: readonly XY[]): Aligned {
  const k = series.length;
  const pos = new Array<number>(k).fill(0);
  const xs: number[] = [];
  const ys: Array<Array<number | null>> = series.map(() => []);
  for (;;) {
    let next = Infinity;
    for (let i = 0; i < k; i++) {
      const s = series[i]!;
      if (pos[i]! < s.x.length && s.x[pos[i]!]! < next) next = s.x[pos[i]!]!;
    }
    if (next === Infinity) break;
    xs.push(next);
    for (let i = 0; i < k; i++) {
      const s = series[i]!;
      if (pos[i]! < s.x.length && s.x[pos[i]!] === next) {
        const v = s.y[pos[i]!]!;
        ys[i]!.push(Number.isFinite(v) ? v : null);
        pos[i]!++;
      } else {
        ys[i]!.push(null);
      }
    }
  }
  return [xs, ...ys];
}
