// The study view: which variant of the experiment did best on each task, whether sharing helped
// (Δm with its 95 % interval, the verdict from that interval), what each costs (parameters,
// time), the trade-off between tasks, and "Use this variant". The same numbers, marks and charts
// as study-report.md: both come from core/study.
import { useEffect, useState } from 'react';
import { formatInteger } from '../../src/core/markup';
import { formatInterval, SHARING_VERDICT_TEXT } from '../../src/core/stats/interval';
import { COLUMN_MARK_TEXT, markColumn, type ColumnMark } from '../../src/core/study/bestMarks';
import { deltaMChartSvg, scatterSvg, THEME_PALETTE } from '../../src/core/study/studyCharts';
import { cellOf, completedRuns, studyColumns } from '../../src/core/study/studyColumns';
import type { StudySides, StudyToWebview, StudyViewState } from '../../src/core/study/studyPanelProtocol';
import { meanSd, scatterPairs } from '../../src/core/study/studyReport';
import type { StudyResult, StudyVariantResult } from '../../src/core/study/studyTypes';
import { setViewState, useHost } from '../common/vscodeApi';
import { Button, Link, ProgressRing } from '../ui/index';
import { Figure, RunsTable } from './Figures';

type StudyMsg = Extract<StudyToWebview, { type: 'study' }>;

function Mark({ mark }: { mark: ColumnMark }) {
  if (mark === 'best') return <span className="mark best">best</span>;
  if (mark === 'within-noise') return <span className="mark noise" title="Its 95 % interval overlaps the best one's: these runs cannot tell it from the best.">≈ {COLUMN_MARK_TEXT[mark]}</span>;
  if (mark === 'worse') return <span className="mark worse" title="Its 95 % interval and the best one's are apart.">{COLUMN_MARK_TEXT[mark]}</span>;
  return null;
}

function MetricsTable({ result }: { result: StudyResult }) {
  const columns = studyColumns(result);
  const marks = columns.map((c) => markColumn(result.variants.map((v) => cellOf(v, c)), c.higherIsBetter));
  return (
    <table className="metrics" aria-label="Test metrics per variant">
      <thead>
        <tr><th>Variant</th>{columns.map((c) => <th key={c.task}>{c.task} {c.metric} <span className="dir">{c.higherIsBetter ? '↑' : '↓'}</span></th>)}</tr>
      </thead>
      <tbody>
        {result.variants.map((v, i) => (
          <tr key={v.variant.id}>
            <th scope="row">{i + 1}. {v.variant.label}</th>
            {columns.map((c, k) => {
              const s = cellOf(v, c);
              const mark = marks[k]![i]!;
              return <td key={c.task} className={`cell ${mark}`} data-mark={mark}>{s && mark !== 'no-value' ? <><span className="value">{meanSd(s)}</span> <Mark mark={mark} /></> : '–'}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function seconds(v: StudyVariantResult): string {
  const s = v.trainSeconds;
  return s && Number.isFinite(s.mean) ? `${s.mean.toFixed(1)} s${s.n > 1 ? ` ± ${s.sd.toFixed(1)}` : ''}` : '–';
}

function SharingTable({ result, canUse, used, onUse }: { result: StudyResult; canUse: boolean; used: Record<string, string>; onUse: (id: string) => void }) {
  return (
    <table className="sharing" aria-label="Sharing against single-task models">
      <thead><tr><th>Variant</th><th>Δm (95 % CI)</th><th>What the runs show</th><th>Parameters</th><th>Time per run</th><th>Runs</th><th /></tr></thead>
      <tbody>
        {result.variants.map((v, i) => (
          <tr key={v.variant.id} data-variant={v.variant.id}>
            <th scope="row">{i + 1}. {v.variant.label}</th>
            <td>{v.deltaM ? formatInterval(v.deltaM) : v.variant.kind === 'single-task' ? 'reference' : '–'}</td>
            <td className={`verdict ${v.deltaM?.verdict ?? ''}`}>{v.deltaM ? SHARING_VERDICT_TEXT[v.deltaM.verdict] : v.variant.kind === 'single-task' ? 'the models Δm compares against' : 'not known yet'}</td>
            <td className="num">{v.parameters !== undefined ? formatInteger(v.parameters) : '–'}</td>
            <td className="num">{seconds(v)}</td>
            <td className="num">{completedRuns(v)}</td>
            <td>
              {v.variant.spec ? (
                <Button appearance="secondary" disabled={!canUse} aria-label={`Use this variant: ${v.variant.label}`}
                  title={canUse ? 'Write this variant\'s model, training and evaluation into the experiment file (undo with Ctrl+Z)' : 'The experiment file of this study was not found'}
                  onClick={() => onUse(v.variant.id)}>Use this variant</Button>
              ) : null}
              {used[v.variant.id] ? <div className="used" role="status">{used[v.variant.id]}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function App() {
  const [msg, setMsg] = useState<StudyMsg | undefined>();
  const [used, setUsed] = useState<Record<string, string>>({});
  const host = useHost<StudySides>((m) => {
    if (m.type === 'study') setMsg(m);
    else setUsed((u) => ({ ...u, [m.variant]: m.problem ? `Not written: ${m.problem}` : 'Written into the experiment file.' }));
  });
  const send = host.notify;
  useEffect(() => { send({ type: 'ready' }); }, [send]);
  // VS Code restores the view after a reload from this: the folder it shows.
  useEffect(() => { if (msg) setViewState<StudyViewState>({ studyDir: msg.studyDir }); }, [msg?.studyDir]);

  if (!msg) return <div className="waiting"><ProgressRing /> Reading the study…</div>;
  const r = msg.result;
  const columns = r ? studyColumns(r) : [];
  return (
    <main>
      <header className="head">
        <h2>{r ? `Study: ${r.name}` : 'Study'}</h2>
        {r ? <span className="source">{r.experiment} · {r.variants.length} variants · {r.repeats} repeat{r.repeats === 1 ? '' : 's'}{r.crossValidation ? ` · ${r.crossValidation.folds}-fold cross-validation` : ''} · {msg.running ? <b className="running">running: {msg.running}</b> : r.status}</span> : null}
        <nav className="links">
          <Link onClick={() => send({ type: 'openReport' })}>Open study-report.md</Link>
          <Link onClick={() => send({ type: 'revealFolder' })}>Reveal study folder</Link>
          {msg.running ? <Link onClick={() => send({ type: 'stop' })}>Stop study</Link> : null}
        </nav>
      </header>
      {msg.problem ? <p className="problem" role="alert">{msg.problem}</p> : null}
      {r ? (
        <>
          <section>
            <h3>Test metrics</h3>
            <div className="table-scroll"><MetricsTable result={r} /></div>
            <p className="hint">Mean ± standard deviation over the repeats. <b>best</b>: the best mean of the column; “≈ within the noise of the best”: its 95 % interval overlaps the best one's, so these runs cannot tell them apart (not a loss).</p>
          </section>
          <section>
            <h3>Sharing against single-task models</h3>
            <div className="table-scroll"><SharingTable result={r} canUse={msg.canUse} used={used} onUse={(variant) => send({ type: 'useVariant', variant })} /></div>
            <Figure svg={deltaMChartSvg(r, THEME_PALETTE)} caption="Δm of each variant with its 95 % interval against 0, the single-task models; the same numbers are in the Δm column of the table above." />
          </section>
          {scatterPairs(columns).length ? (
            <section>
              <h3>Trade-off between tasks</h3>
              <div className="scatters">
                {scatterPairs(columns).map(([a, b]) => <Figure key={`${a.task}-${b.task}`} svg={scatterSvg(r, a, b, THEME_PALETTE)}
                  caption={`${a.task} ${a.metric} against ${b.task} ${b.metric}. Small dots: single runs (hover for the seed); numbered rings: each variant's mean; dashed line: the variants no other beats on both tasks. The means are in the Test metrics table, each run in the table below.`} />)}
              </div>
              <RunsTable result={r} columns={columns} />
            </section>
          ) : null}
          <p className="hint method">Intervals: {r.method}.</p>
        </>
      ) : null}
    </main>
  );
}
