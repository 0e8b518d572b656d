// The study view's charts as figures a screen reader can use: the SVG (core/study/studyCharts.ts)
// is the picture, named by its title; the caption says what it shows and where the same numbers
// are as text. A run's values are in the scatter only as dots (their tooltips need a mouse): the
// runs table holds them for everyone.
import { useId, type ReactNode } from 'react';
import { formatNumber } from '../../src/core/markup';
import { runValue, type StudyColumn } from '../../src/core/study/studyColumns';
import type { StudyResult } from '../../src/core/study/studyTypes';

export function Figure({ svg, caption }: { svg: string; caption: ReactNode }) {
  // Named by its caption in words: Chromium does not name a figure from its figcaption by itself.
  const id = useId();
  return (
    <figure className="chart" aria-labelledby={id}>
      <div dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption id={id} className="hint">{caption}</figcaption>
    </figure>
  );
}

export function RunsTable({ result, columns }: { result: StudyResult; columns: StudyColumn[] }) {
  return (
    <details className="runs">
      <summary>Each run's values as a table</summary>
      <div className="table-scroll">
        <table className="runs-table" aria-label="Test metrics of each run">
          <thead><tr><th>Variant</th><th>Repeat (seed)</th>{columns.map((c) => <th key={c.task}>{c.task} {c.metric}</th>)}</tr></thead>
          <tbody>
            {result.variants.flatMap((v, i) => v.runs.map((r) => (
              <tr key={`${v.variant.id}-${r.repeat}-${r.fold?.index ?? 0}`}>
                <th scope="row">{i + 1}. {v.variant.label}</th>
                <td>{r.repeat + 1} ({r.seed}){r.fold ? `, fold ${r.fold.index + 1} of ${r.fold.of}` : ''}</td>
                {columns.map((c) => {
                  const value = runValue(r, c);
                  return <td key={c.task} className="num">{value === undefined ? r.status === 'completed' ? '–' : r.status : formatNumber(value)}</td>;
                })}
              </tr>
            )))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
