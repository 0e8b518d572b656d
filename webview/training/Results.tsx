// The end of a run: test metrics of the shared model against the single-task baselines
// (relative improvement per task and metric, Δm), and what sharing saved in parameters.
import { DEFAULT_DELTA_M, DELTA_M_CONVENTIONS } from '../../src/core/deltaM';
import type { RunSummary } from '../../src/core/protocol';
import { formatMetric, formatPercent } from '../../src/core/runsIndex';
import type { RepeatedSummary } from '../../src/core/stats/repeated';
import { repeatedRows, repeatsDescription, sharingVerdict } from '../../src/core/stats/repeatedText';
import { sharedFill, taskColorVar } from '../../src/core/taskColors';
import { Button } from '../ui/index';

const int = (n: number) => n.toLocaleString('en-US');
const share = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–');

function Change(p: { value: number }) {
  const cls = !Number.isFinite(p.value) || Math.abs(p.value) < 5e-5 ? 'same' : p.value > 0 ? 'better' : 'worse';
  const arrow = cls === 'better' ? '▲ ' : cls === 'worse' ? '▼ ' : '';
  return <span className={`change ${cls}`}>{arrow}{formatPercent(p.value)}</span>;
}

function ComparisonTable({ summary }: { summary: RunSummary }) {
  const b = summary.baselines!;
  const convention = DELTA_M_CONVENTIONS[b.convention ?? DEFAULT_DELTA_M];
  // From the interval of Δm over repeats; a single run says it is one run.
  const verdict = sharingVerdict(summary);
  const losses = Object.entries(summary.test).flatMap(([task, m]) =>
    m.loss !== undefined && b.test[task]?.loss !== undefined ? [{ task, shared: m.loss, baseline: b.test[task]!.loss! }] : []);
  return (
    <table className="results">
      <caption>Test set{summary.repeated ? ', first repeat' : ''}: the shared model against one single-task model per task (Change: positive = sharing helped)</caption>
      <thead>
        <tr><th>Task</th><th>Metric</th><th className="num">Shared model</th><th className="num">Single-task</th><th className="num" title="Relative improvement of the shared model; positive = sharing helped">Change</th></tr>
      </thead>
      <tbody>
        {b.comparisons.map((c) => (
          <tr key={`${c.task}:${c.metric}`}>
            <td>{c.task}</td>
            <td>{c.metric}{c.higherIsBetter ? '' : ' (lower is better)'}</td>
            <td className="num">{formatMetric(c.shared)}</td>
            <td className="num">{formatMetric(c.baseline)}</td>
            <td className="num"><Change value={c.relativeImprovement} /></td>
          </tr>
        ))}
        {(b.excluded ?? []).map((x) => (
          <tr key={`${x.task}:${x.metric}:excluded`} className="secondary">
            <td>{x.task}</td><td>{x.metric} (not in Δm)</td><td colSpan={3} title={x.reason}>{x.reason}</td>
          </tr>
        ))}
        {losses.map((l) => (
          <tr key={`${l.task}:loss`} className="secondary">
            <td>{l.task}</td><td>loss (not in Δm)</td>
            <td className="num">{formatMetric(l.shared)}</td><td className="num">{formatMetric(l.baseline)}</td><td className="num" />
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={4} title={convention.formula}>Δm, the {convention.label}, over {b.comparisons.length} task-metric pairs</td>
          <td className="num"><Change value={b.deltaM} /></td>
        </tr>
        {verdict ? <tr className="verdict"><td colSpan={5}>{verdict[0]!.toUpperCase()}{verdict.slice(1)}</td></tr> : null}
      </tfoot>
    </table>
  );
}

/** Each task metric over the repeats: mean ± sd and 95 % interval, shared and single-task. */
function RepeatedTable({ repeated }: { repeated: RepeatedSummary }) {
  const rows = repeatedRows(repeated);
  return (
    <table className="results repeated">
      <caption>Over {repeated.units.length} repeats: {repeatsDescription(repeated)} ({repeated.method})</caption>
      <thead><tr><th>Task</th><th>Metric</th><th className="num">Shared model</th><th className="num">Single-task</th></tr></thead>
      <tbody>
        {rows.map((r) => <tr key={`${r.task}:${r.metric}`}><td>{r.task}</td><td>{r.metric}</td><td className="num">{r.shared}</td><td className="num">{r.baseline ?? '–'}</td></tr>)}
      </tbody>
    </table>
  );
}

function TestTable({ summary }: { summary: RunSummary }) {
  return (
    <table className="results">
      <caption>Test set</caption>
      <thead><tr><th>Task</th><th>Metric</th><th className="num">Value</th></tr></thead>
      <tbody>
        {Object.entries(summary.test).flatMap(([task, metrics]) => Object.entries(metrics).map(([metric, v]) => (
          <tr key={`${task}:${metric}`}><td>{task}</td><td>{metric}</td><td className="num">{formatMetric(v)}</td></tr>
        )))}
      </tbody>
    </table>
  );
}

/** `taskOrder`: the experiment's tasks, whose places give their colours. */
function Parameters({ summary, taskOrder }: { summary: RunSummary; taskOrder: string[] }) {
  const p = summary.parameters;
  const tasks = Object.entries(p.perTask);
  const colorOf = (t: string, i: number) => taskColorVar(taskOrder.includes(t) ? taskOrder.indexOf(t) : i);
  const sharedBackground = sharedFill(tasks.map(([t], i) => colorOf(t, i)));
  return (
    <div className="params">
      <h4>Parameters</h4>
      <div className="param-bar" role="img" aria-label={`shared ${share(p.shared, p.total)} of the model${tasks.map(([t, n]) => `, only ${t} ${share(n, p.total)}`).join('')}`}>
        <span className="seg" style={{ flexGrow: Math.max(p.shared, 1), background: sharedBackground }} title={`shared: ${int(p.shared)}`} />
        {tasks.map(([t, n], i) => <span key={t} className="seg" style={{ flexGrow: Math.max(n, 1), background: colorOf(t, i) }} title={`only ${t}: ${int(n)}`} />)}
      </div>
      <ul className="param-list">
        <li><span className="swatch" style={{ background: sharedBackground }} />Shared by the tasks: <b>{int(p.shared)}</b> ({share(p.shared, p.total)})</li>
        {tasks.map(([t, n], i) => <li key={t}><span className="swatch" style={{ background: colorOf(t, i) }} />Only {t}: <b>{int(n)}</b> ({share(n, p.total)})</li>)}
        {/* What sharing saves is said once, in the Result line at the top of the panel. */}
        <li>Shared model: <b>{int(p.total)}</b>; one separate model per task: <b>{int(p.singleTaskTotal)}</b></li>
      </ul>
    </div>
  );
}

export function Results({ summary, taskOrder }: { summary: RunSummary; taskOrder: string[] }) {
  return (
    <section className="results-section" aria-label="Results">
      <h3>Results</h3>
      <div className="results-grid">
        {summary.baselines ? <ComparisonTable summary={summary} /> : <TestTable summary={summary} />}
        <Parameters summary={summary} taskOrder={taskOrder} />
        {summary.repeated ? <RepeatedTable repeated={summary.repeated} /> : null}
      </div>
    </section>
  );
}

/**
 * Scrolls the tables' heading to just under the header, which stays at the top (sticky) and would
 * cover it. (A button: a link's href "#" would scroll back to the top after the click.)
 */
function showResults(): void {
  const results = document.querySelector('.results-section');
  if (!results) return;
  const headBottom = document.querySelector('.head')?.getBoundingClientRect().bottom ?? 0;
  window.scrollBy({ top: results.getBoundingClientRect().top - Math.max(0, headBottom) - 8 });
}

/**
 * The run's answer on the first screen, under the header: the sentence on sharing (or, without
 * baselines, that nothing was compared) and what sharing saved, with a link down to the tables,
 * which sit below every chart (a newcomer saw charts and had to scroll to learn the outcome).
 */
export function Outcome({ summary }: { summary: RunSummary }) {
  const verdict = sharingVerdict(summary);
  const p = summary.parameters;
  const saving = p.singleTaskTotal - p.total;
  return (
    <section className="outcome" aria-label="Outcome">
      <p>
        <b>Result:</b> {verdict ? `${verdict[0]!.toUpperCase()}${verdict.slice(1)}.` : 'no single-task baselines were trained, so there is no comparison with separate models.'}
        {saving > 0 ? <> Sharing saves <b>{int(saving)}</b> parameters ({share(saving, p.singleTaskTotal)}) over one model per task.</>
          : saving < 0 && p.singleTaskTotal > 0 ? <> The multi-task model holds <b>{int(-saving)}</b> parameters more ({share(-saving, p.singleTaskTotal)}) than one model per task.</> : null}
      </p>
      {/* Beside the text, not inside it: inline, it wrapped onto a line of its own at some widths. */}
      <Button appearance="secondary" className="see-results" onClick={showResults}>See the results</Button>
    </section>
  );
}
