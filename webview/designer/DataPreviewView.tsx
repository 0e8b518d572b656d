// "Preview data" in the Data panel: what the trainer's loaders make of the current data
// settings. Examples, shape and split sizes; class balance per task (all examples or one
// split); value ranges of regression targets; sample digits of image sources; the first
// rows of csv/jsonl files; a choice for columns mixing numbers and text. A preview of other
// settings than the document's is marked stale.
import { useEffect, useRef, useState } from 'react';
import type { DataSummary, PerSplit, SampleImages, SplitName, TaskBalance } from '../../src/core/dataSummary';
import { PREVIEW_NEEDS_TRUST, SPLIT_NAMES, dataSettingsKey, partiallyLabelled } from '../../src/core/dataSummary';
import type { DataPreview } from '../../src/core/designerProtocol';
import { formatPath } from '../../src/core/wording';
import { Button, ProgressRing } from '../ui';
import { useDesigner } from './context';
import { MixedColumns } from './MixedColumns';
import './dataPreview.css';

export interface PreviewProps {
  /** A request is on its way to the trainer. */
  pending: boolean;
  last?: DataPreview;
  trusted: boolean;
  request(): void;
  manageTrust(): void;
}

const count = (n: number): string => n.toLocaleString('en-US');

export function DataPreviewSection(p: PreviewProps) {
  const d = useDesigner();
  // key '' : the text was not valid JSON, so no settings to compare with.
  const stale = p.last !== undefined && p.last.key !== '' && p.last.key !== dataSettingsKey(d.model.doc);
  if (!p.trusted) {
    return (
      <div className="data-preview" role="note">
        <p className="muted">Restricted Mode: {PREVIEW_NEEDS_TRUST}{' '}
          <button type="button" className="link-button" onClick={p.manageTrust}>Manage workspace trust</button></p>
      </div>
    );
  }
  const result = p.last?.result;
  return (
    <div className="data-preview">
      <div className="data-preview-actions">
        <Button appearance="secondary" disabled={p.pending} onClick={p.request}
          aria-label="Preview data: load it as training would and show examples, splits and class balance">
          {p.last ? 'Refresh preview' : 'Preview data'}
        </Button>
        {p.pending && <span className="data-preview-loading" role="status"><ProgressRing aria-label="Loading" />Loading the data as training would…</span>}
      </div>
      {stale && !p.pending && <p className="data-preview-stale" role="status">The data settings or tasks changed since this preview: refresh it.</p>}
      {result && !result.ok && (
        <div className="data-preview-error" role="alert">
          {result.message}
          {result.path && result.path.length > 0 && (
            <> <button type="button" className="link-button" onClick={() => d.revealText(result.path!)}>Show {formatPath(result.path)} in text</button></>
          )}
        </div>
      )}
      {result?.ok && <SummaryView summary={result.summary} seconds={result.seconds} stale={stale} />}
    </div>
  );
}

function SummaryView({ summary: s, seconds, stale }: { summary: DataSummary; seconds: number; stale: boolean }) {
  const [split, setSplit] = useState<SplitName | 'all'>('all');
  const tasks = useDesigner().model.tasks;
  return (
    <div className={`data-summary${stale ? ' stale' : ''}`} data-testid="data-summary" aria-label="Data preview">
      <dl className="data-facts">
        <dt>Examples</dt><dd>{count(s.examples)} <span className="muted">({s.source}, loaded in {seconds.toFixed(2)} s)</span></dd>
        <dt>Features</dt><dd>shape [{s.featureShape.join(', ')}]</dd>
        <dt>Split</dt>
        <dd>{count(s.split.train)} train · {count(s.split.validation)} validation · {count(s.split.test)} test
          <span className="muted"> (seed {s.split.seed}{s.split.stratifiedBy !== undefined ? `, stratified by ${s.split.stratifiedBy}` : ''})</span></dd>
      </dl>
      {s.mixedColumns && <MixedColumns columns={s.mixedColumns} stale={stale} />}
      {s.samples && <SampleDigits samples={s.samples} />}
      {s.tasks.length > 0 && (
        <>
          <div className="data-preview-heading">
            <h4>Targets</h4>
            <div className="split-choice" role="group" aria-label="Count the examples of">
              {(['all', ...SPLIT_NAMES] as const).map((k) => (
                <button key={k} type="button" aria-pressed={split === k} className={split === k ? 'on' : ''} onClick={() => setSplit(k)}
                  title={k === 'all' ? 'All examples' : `The ${k} split`}>
                  {k === 'all' ? 'All' : k === 'validation' ? 'Val' : k[0]!.toUpperCase() + k.slice(1)}
                </button>
              ))}
            </div>
          </div>
          {s.tasks.map((t) => <TaskTarget key={t.task} task={t} split={split} rows={s.split} color={tasks.find((m) => m.id === t.task)?.color} />)}
        </>
      )}
      {s.firstRows && (
        <>
          <h4>First rows <span className="muted">of {count(s.firstRows.totalRows)}</span></h4>
          <div className="preview-table" role="region" aria-label="First rows of the data file" tabIndex={0}>
            <table>
              <thead><tr>{s.firstRows.columns.map((c, i) => <th key={i} scope="col">{c}</th>)}</tr></thead>
              <tbody>{s.firstRows.rows.map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j} className={v === '' ? 'missing' : undefined}>{v === '' ? '—' : v}</td>)}</tr>)}</tbody>
            </table>
          </div>
        </>
      )}
      {s.notes.length > 0 && (
        <details className="data-notes">
          <summary>What loading did ({s.notes.length})</summary>
          <ul>{s.notes.map((n, i) => <li key={i}>{n}</li>)}</ul>
        </details>
      )}
    </div>
  );
}

function SampleDigits({ samples }: { samples: SampleImages }) {
  const tasks = samples.images[0]?.labels.map((l) => l.task) ?? [];
  return (
    <>
      <h4>Sample images <span className="muted">(first training examples; labels: {tasks.join(' · ')})</span></h4>
      <ul className="sample-images" data-testid="sample-images">
        {samples.images.map((image, i) => {
          const label = image.labels.map((l) => l.value).join(' · ');
          return (
            <li key={i}>
              <PixelCanvas width={samples.width} height={samples.height} pixels={image.pixels}
                label={`Example ${i + 1}: ${image.labels.map((l) => `${l.task} ${l.value}`).join(', ')}`} />
              <span aria-hidden="true">{label}</span>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** Grey levels 0..255 drawn at their own size; CSS scales them up without smoothing. */
function PixelCanvas(p: { width: number; height: number; pixels: number[]; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(p.width, p.height);
    p.pixels.forEach((v, k) => { image.data.set([v, v, v, 255], k * 4); });
    ctx.putImageData(image, 0, 0);
  }, [p.width, p.height, p.pixels]);
  return <canvas ref={ref} width={p.width} height={p.height} role="img" aria-label={p.label} />;
}

/** `color`: the task's colour (core/taskColors), as on the canvas and in the training panel. */
function TaskTarget({ task, split, rows, color }: { task: TaskBalance; split: SplitName | 'all'; rows: PerSplit<number>; color: string | undefined }) {
  const of = (c: PerSplit<number>): number => (split === 'all' ? c.train + c.validation + c.test : c[split]);
  // Partial labels: how many rows of the chosen split this task trains and is measured on.
  const labelled = partiallyLabelled(task.labelled, rows) && (
    <p className="labelled-rows" data-testid={`labelled-${task.task}`}
      title={SPLIT_NAMES.map((k) => `${k} ${count(task.labelled[k])} of ${count(rows[k])}`).join(' · ')}>
      {count(of(task.labelled))} of {count(of(rows))} rows labelled{split === 'all' ? '' : ` in ${split}`}
      <span className="muted">: the others train and measure the other tasks only</span>
    </p>
  );
  if (task.kind === 'regression') {
    return (
      <section className="task-target" aria-label={`Target of task ${task.task}`}>
        <h5>{task.task} <span className="muted">{task.target}, regression</span></h5>
        {labelled}
        <table className="value-stats">
          <thead><tr><th scope="col">split</th><th scope="col">n</th><th scope="col">min</th><th scope="col">mean</th><th scope="col">max</th></tr></thead>
          <tbody>
            {SPLIT_NAMES.map((k) => {
              const v = task.stats[k];
              return <tr key={k} className={split === k ? 'on' : undefined}><th scope="row">{k}</th><td>{count(v.n)}</td><td>{num(v.min)}</td><td>{num(v.mean)}</td><td>{num(v.max)}</td></tr>;
            })}
          </tbody>
        </table>
      </section>
    );
  }
  const total = task.classes.reduce((a, c) => a + of(c.counts), 0);
  const largest = Math.max(1, ...task.classes.map((c) => of(c.counts)));
  return (
    <section className="task-target" aria-label={`Class balance of task ${task.task}`}>
      <h5>{task.task} <span className="muted">{task.target}, {task.kind}, {task.classes.length} classes, {count(total)} examples</span></h5>
      {labelled}
      <table className="class-balance">
        <tbody>
          {task.classes.map((c, i) => {
            const n = of(c.counts);
            const share = total ? n / total : 0;
            return (
              <tr key={i} title={`train ${count(c.counts.train)} · validation ${count(c.counts.validation)} · test ${count(c.counts.test)}`}>
                <th scope="row">{c.name}</th>
                <td className="bar-cell"><span className="bar" style={{ width: `${(n / largest) * 100}%`, ...(color ? { background: color } : {}) }} /></td>
                <td className="num">{count(n)}</td>
                <td className="num muted">{(share * 100).toFixed(1)}%</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

const num = (v: number): string => (Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.01) ? v.toPrecision(3) : String(Number(v.toFixed(2))));
