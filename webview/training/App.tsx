// The training panel: header (phases, epoch, stop), curves per task and for the whole
// model, then results. Fed by replay/event messages (see core/panelProtocol).
import { useEffect, useMemo, useReducer, useState } from 'react';
import type { TrainingFromWebview, TrainingSides, TrainingToWebview, TrainingViewState } from '../../src/core/panelProtocol';
import { phaseKey, phaseLabel, samePhase } from '../../src/core/phase';
import { repeatLabel } from '../../src/core/repeats';
import { chartColorVar } from '../../src/core/taskColors';
import { getViewState, setViewState, useHost } from '../common/vscodeApi';
import { Badge, Button, Dropdown, Link, ProgressRing } from '../ui/index';
import { useThemeVersion } from '../ui/themeColors';
import { progressAnnouncement } from './announcement';
import { Chart, pointsAdded } from './Chart';
import { modelCharts, taskCharts } from './charts';
import { ConflictHeatmap } from './ConflictHeatmap';
import { Outcome, Results } from './Results';
import { RunView, type ViewStatus } from './runState';

interface SavedState extends TrainingViewState { metricChoice?: Record<string, string> }

type Send = (note: TrainingFromWebview) => void;

const STATUS_TEXT: Record<ViewStatus, string> = {
  waiting: 'starting', running: 'training', stopping: 'stopping…', completed: 'completed',
  failed: 'failed', cancelled: 'stopped', invalid: 'not started: problems',
};

/** Subscribes to host messages; returns the view, a revision that changes when React must re-render, and what sends notes. */
function useRunView(): [RunView, number, Send] {
  const view = useMemo(() => new RunView(), []);
  const [revision, bump] = useReducer((n: number) => n + 1, 0);
  const host = useHost<TrainingSides>((msg: TrainingToWebview) => {
    const before = view.revision;
    if (msg.type === 'replay') view.replay(msg.events);
    else if (!view.next(msg.item)) {
      host.notify({ type: 'ready' }); // missed events: ask for the whole stream again
      return;
    }
    pointsAdded.dispatchEvent(new Event('points'));
    if (view.revision !== before) bump();
  });
  useEffect(() => { host.notify({ type: 'ready' }); }, [host]);
  return [view, revision, host.notify];
}

function Phases({ view }: { view: RunView }) {
  const phases = view.header?.phases ?? [];
  if (phases.length < 2) return null;
  const currentIndex = phases.findIndex((p) => samePhase(p, view.phase));
  return (
    <ol className="phases" aria-label="Phases">
      {phases.map((p, i) => {
        const key = phaseKey(p);
        const e = view.epochs.get(key);
        const state = view.status === 'completed' || i < currentIndex ? 'done' : i === currentIndex ? 'active' : 'todo';
        return (
          <li key={key} className={`phase ${state}`} aria-current={state === 'active' ? 'step' : undefined}>
            <span className="dot" aria-hidden="true">{state === 'done' ? '✓' : i + 1}</span>
            {phaseLabel(p)}{state === 'active' && e && view.status !== 'cancelled' && view.status !== 'failed' ? <span className="epoch"> · epoch {Math.min(e.epoch + 1, e.total)}/{e.total}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}

function Header({ view, send }: { view: RunView; send: Send }) {
  const h = view.header;
  const live = h?.live && (view.status === 'running' || view.status === 'waiting' || view.status === 'stopping');
  const epoch = view.currentEpoch();
  const pct = Math.round(view.fractionDone() * 100);
  const runId = view.runDir?.split(/[\\/]/).pop();
  return (
    <header className="head">
      <div className="title-row">
        <h2>{h?.experiment ?? 'Training'}</h2>
        <Badge className={`status ${view.status}`}>{STATUS_TEXT[view.status]}</Badge>
        {live ? <ProgressRing className="ring" aria-label="Training" /> : null}
        <span className="spacer" />
        {live ? <Button appearance="secondary" disabled={view.status === 'stopping'} onClick={() => send({ type: 'stop' })} title="Stop after the current step; the run folder keeps what was logged">Stop training</Button> : null}
      </div>
      <div className="meta">
        {runId ? <span>run {runId}</span> : <span>{live ? 'creating the run folder…' : 'no run folder was created'}</span>}
        {view.backend ? <span>backend {view.backend}</span> : null}
        {h ? <span>weighting {h.weighting}</span> : null}
        {view.repeat && live ? <span>{repeatLabel(view.repeat)}</span> : null}
        {view.phase && live ? <span>{phaseLabel(view.phase)}{epoch ? `, epoch ${Math.min(epoch.epoch + 1, epoch.total)}/${epoch.total}` : ''}</span> : null}
        {view.summary ? <span>trained in {view.summary.timings.trainSeconds.toFixed(1)} s</span> : null}
      </div>
      {live ? (
        <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label="Overall progress">
          <div className="bar" style={{ width: `${pct}%` }} />
        </div>
      ) : null}
      <Phases view={view} />
      {view.runDir || h?.specPath ? (
        <nav className="links" aria-label="Run">
          {view.runDir && view.status === 'completed' ? <Link onClick={() => send({ type: 'openReport' })} title="report.md in the Markdown preview">Open report</Link> : null}
          {view.runDir ? <Link onClick={() => send({ type: 'revealRun' })}>Reveal run folder</Link> : null}
          {view.runDir ? <Link onClick={() => send({ type: 'showDiagram' })}>Shared-weight diagram</Link> : null}
          {h?.specPath ? <Link onClick={() => send({ type: 'openExperiment' })}>Open experiment</Link> : null}
        </nav>
      ) : null}
    </header>
  );
}

function Problems({ view }: { view: RunView }) {
  if (view.status === 'cancelled') {
    return (
      <section className="notice">
        Stopped before the end{view.endMessage ? ` (${view.endMessage})` : ''}. The run folder keeps what was logged so far; the report and the comparison with the baselines are written only by a completed training.
      </section>
    );
  }
  if (!view.error && !view.problems.length && !view.endMessage) return null;
  return (
    <section className="problems" role="alert">
      {view.problems.length ? (
        <>
          <h3>The trainer refused the experiment</h3>
          <ul>{view.problems.map((p, i) => <li key={i} className={p.severity}><code>{p.path.join('.') || '(document)'}</code> {p.message}</li>)}</ul>
        </>
      ) : null}
      {view.error ? <p><b>Error:</b> {view.error.message}</p> : null}
      {view.endMessage && view.endMessage !== view.error?.message ? <p>{view.endMessage}</p> : null}
      {view.error?.detail ? <details><summary>Details</summary><pre>{view.error.detail}</pre></details> : null}
    </section>
  );
}

/**
 * Between "Train" and the first curve points: what the trainer is doing, so that an empty panel
 * does not look stuck. The trainer says "started" once the data is loaded and the run folder made;
 * the first points come a few steps into the first epoch, after the model is built.
 */
function FirstSteps({ view }: { view: RunView }) {
  const latest = view.logs[view.logs.length - 1]?.message;
  return (
    <section className="first-steps">
      <p className="hint">{view.runDir
        ? 'Data loaded. Building the model and taking the first steps: each task\'s loss curve appears after the first few steps.'
        : 'Loading the data and checking the experiment. The curves appear here once training starts.'}</p>
      {latest ? <p className="hint latest-log">Trainer: {latest}</p> : null}
    </section>
  );
}

/** Colour is the task's (as in the designer and the diagram); the line tells the model variant. */
function Legend({ baselines }: { baselines: boolean }) {
  return (
    <p className="legend-note">
      Each task in its colour:<span className="key shared" aria-hidden="true" />shared model (solid)
      {baselines ? <><span className="key baseline" aria-hidden="true" />single-task baseline (dashed)</> : null}
      {' · '}thin lines: train, thick with dots: validation · drag to zoom, double-click to reset
    </p>
  );
}

export function App() {
  const [view, , send] = useRunView();
  const themeVersion = useThemeVersion();
  const [choice, setChoice] = useState<Record<string, string>>(() => getViewState<SavedState>()?.metricChoice ?? {});

  useEffect(() => {
    setViewState<SavedState>({ ...(view.runDir ? { runDir: view.runDir } : {}), metricChoice: choice });
  }, [view.runDir, choice]);

  // The live region is in the page from the start: one that appears with its text is not read.
  const announcer = <div className="sr-only" role="status" aria-live="polite" data-testid="announcer">{view.header ? progressAnnouncement(view) : ''}</div>;
  if (!view.header) return <>{announcer}<div className="waiting"><ProgressRing /> Waiting for the training…</div></>;
  const tasks = taskCharts(view, choice);
  const model = modelCharts(view);
  const anyPoints = view.series.size > 0;
  return (
    <>{announcer}<main>
      <Header view={view} send={send} />
      <Problems view={view} />
      {view.summary ? <Outcome summary={view.summary} /> : null}
      {!anyPoints && (view.status === 'waiting' || view.status === 'running') ? <FirstSteps view={view} /> : null}
      {anyPoints ? <Legend baselines={view.hasBaselineCurves} /> : null}
      {anyPoints ? tasks.map((t) => (
        <section key={t.task} className="task" aria-label={`Task ${t.task}`}>
          <div className="task-head">
            <h3 className="task-name"><span className="dot" aria-hidden="true" style={{ background: chartColorVar(t.color) }} />{t.task}</h3>
            {t.metrics.length > 1 ? (
              <Dropdown aria-label={`Metric of ${t.task}`} value={t.metric ?? ''} options={t.metrics.map((m) => ({ value: m }))}
                onChange={(m) => setChoice((c) => ({ ...c, [t.task]: m }))} />
            ) : null}
          </div>
          <div className="charts">{t.charts.map((c) => <Chart key={c.id} def={c} view={view} themeVersion={themeVersion} />)}</div>
        </section>
      )) : null}
      {anyPoints ? (
        <section className="task" aria-label="Whole model">
          <div className="task-head"><h3>whole model</h3></div>
          <div className="charts">{model.map((c) => <Chart key={c.id} def={c} view={view} themeVersion={themeVersion} height={150} />)}</div>
          {view.conflictBlocks.length ? <ConflictHeatmap view={view} themeVersion={themeVersion} /> : null}
        </section>
      ) : null}
      {view.summary ? <Results summary={view.summary} taskOrder={tasks.map((t) => t.task)} /> : null}
      {view.logs.length ? (
        <details className="logs">
          <summary>Trainer messages ({view.logs.length})</summary>
          <ul>{view.logs.map((l, i) => <li key={i} className={l.level}>{l.message}</li>)}</ul>
        </details>
      ) : null}
    </main></>
  );
}
