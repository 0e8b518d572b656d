// The shared-weight diagram panel: parameter summary, block diagram, and for a trained run
// the units of the shared layers by the tasks that rely on them, the task affinity with "Try
// this grouping", and the weight statistics (L2 per layer; heatmap and histogram of the chosen weight).
import { useEffect, useMemo, useState } from 'react';
import type { DiagramSides, DiagramToWebview, DiagramViewState, WeightDetail } from '../../src/core/panelProtocol';
import type { SharingDiagram } from '../../src/core/sharingBlocks';
import { getViewState, setViewState, useHost } from '../common/vscodeApi';
import { Dropdown, Link, ProgressRing } from '../ui/index';
import { useThemeVersion } from '../ui/themeColors';
import { sharedFill, taskColorVar } from '../../src/core/taskColors';
import { blockColors } from './blockColors';
import { BlockDiagram } from './BlockDiagram';
import { BlockParts, GateHeatmaps } from './BlockParts';
import { TaskAffinity } from './TaskAffinity';
import { layerUnits } from './unitCells';
import { UnitUse } from './UnitUse';
import { defaultWeight, NormBars, WeightDetailView } from './WeightCharts';

type DiagramMsg = Extract<DiagramToWebview, { type: 'diagram' }>;
const int = (n: number) => n.toLocaleString('en-US');
const pct = (a: number, b: number) => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '–');

function Summary({ d }: { d: SharingDiagram }) {
  const p = d.params;
  return (
    <p className="summary">
      <b>{int(p.total)}</b> parameters in the shared model: <span className="chip" style={{ background: sharedFill(d.tasks.map((_, i) => taskColorVar(i)), 3) }} /> <b>{int(p.shared)}</b> shared by the tasks ({pct(p.shared, p.total)})
      {d.tasks.map((t, i) => <span key={t}> · <span className="chip" style={{ background: taskColorVar(i) }} /> only {t} <b>{int(p.perTask[t] ?? 0)}</b></span>)}.
      {' '}One separate model per task would need <b>{int(p.singleTaskTotal)}</b>{p.saving > 0 ? <>: sharing saves <b>{pct(p.saving, p.singleTaskTotal)}</b></>
        : p.saving < 0 ? <>: the multi-task model holds <b>{int(-p.saving)}</b> more ({pct(-p.saving, p.singleTaskTotal)})</> : null}.
      {p.complete ? null : <span className="warn"> Some layers could not be counted (unknown input shape).</span>}
    </p>
  );
}

export function App() {
  const [msg, setMsg] = useState<DiagramMsg | undefined>();
  const [grouping, setGrouping] = useState<{ file?: string; problem?: string } | undefined>();
  const [selected, setSelected] = useState<string | undefined>(() => getViewState<DiagramViewState>()?.selected);
  const [detail, setDetail] = useState<{ name: string; detail?: WeightDetail; problem?: string } | undefined>();
  const themeVersion = useThemeVersion();

  const host = useHost<DiagramSides>((m) => {
    if (m.type === 'groupingWritten') setGrouping({ ...(m.file ? { file: m.file } : {}), ...(m.problem ? { problem: m.problem } : {}) });
    else setMsg(m);
  });
  const units = useMemo(() => (msg?.reliance?.length ? layerUnits(msg.reliance) : undefined), [msg?.reliance]);
  const send = host.notify;
  useEffect(() => { send({ type: 'ready' }); }, [send]);

  useEffect(() => {
    if (msg) setViewState<DiagramViewState>({ source: msg.source, ...(selected ? { selected } : {}) });
  }, [msg, selected]);

  // Ask for the chosen weight's heatmap and histogram (kept in the host with the weights); a
  // reply that comes after another weight was chosen is dropped.
  useEffect(() => {
    if (!selected || !msg?.weights?.layers.some((l) => l.weights.some((w) => w.name === selected))) return;
    let wanted = true;
    host.request('weightDetail', { name: selected }).then(
      (reply) => { if (wanted) setDetail({ name: selected, ...reply }); },
      (error: Error) => { if (wanted) setDetail({ name: selected, problem: error.message }); },
    );
    return () => { wanted = false; };
  }, [selected, msg?.weights, host]);

  if (!msg) return <div className="waiting"><ProgressRing /> Reading the model…</div>;
  const d = msg.diagram;
  const layers = msg.weights?.layers ?? [];
  const layerOfSelected = layers.find((l) => l.weights.some((w) => w.name === selected))?.layer;
  const fillOf = (layer: string) => {
    const block = d?.blocks.find((b) => b.layers.some((l) => l.id === layer));
    return blockColors(block ?? { key: '', kind: 'unused', tasks: [], layers: [], params: 0, depth: 0 }, d?.tasks ?? []).fill;
  };
  const chooseLayer = (layer: string) => {
    const l = layers.find((x) => x.layer === layer);
    if (l) setSelected(defaultWeight(l));
  };
  return (
    <main>
      <header className="head">
        <h2>{d?.name ?? 'Shared-weight diagram'}</h2>
        <span className="source">{msg.source.kind === 'run' ? `trained run ${msg.source.label}` : `design ${msg.source.label} (follows your edits)`}</span>
        {msg.source.kind === 'run' ? (
          <nav className="links">
            <Link onClick={() => send({ type: 'openReport' })}>Open report</Link>
            <Link onClick={() => send({ type: 'revealRun' })}>Reveal run folder</Link>
          </nav>
        ) : null}
      </header>
      {msg.problem ? <p className="problem" role="alert">{msg.problem}</p> : null}
      {d ? (
        <>
          <Summary d={d} />
          <div className="diagram-scroll">
            <BlockDiagram diagram={d} {...(layerOfSelected ? { selectedLayer: layerOfSelected } : {})} {...(layers.length ? { onSelectLayer: chooseLayer } : {})}
              {...(units ? { units } : {})} />
          </div>
          {msg.reliance?.length && units ? <UnitUse reliance={msg.reliance} units={units} tasks={d.tasks} /> : null}
          <BlockParts diagram={d} />
          {msg.gates?.length ? <GateHeatmaps gates={msg.gates} /> : null}
          {msg.affinity ? <TaskAffinity affinity={msg.affinity} {...(grouping ? { status: grouping } : {})}
            onTry={(groups) => { setGrouping(undefined); send({ type: 'tryGrouping', groups }); }} /> : null}
        </>
      ) : null}
      {msg.source.kind === 'design' && d ? <p className="hint">Shown from the design: train the experiment, then open this diagram from its run to see the trained weights.</p> : null}
      {msg.source.kind === 'run' ? (
        <section className="weights" aria-label="Trained weights">
          <h3>Trained weights</h3>
          {msg.weightsProblem ? <p className="hint">{msg.weightsProblem}</p> : null}
          {layers.length ? (
            <>
              <p className="hint">L2 norm of each layer's weights (kernel and bias together); RMS = L2 / √count compares layers of different sizes. Choose a layer (here or in the diagram) to see its weights.</p>
              <NormBars layers={layers} fillOf={fillOf} {...(layerOfSelected ? { selectedLayer: layerOfSelected } : {})} onSelect={chooseLayer} />
              <div className="weight-pick">
                <Dropdown aria-label="Weight tensor" value={selected ?? ''}
                  options={[{ value: '', label: 'Choose a weight…' }, ...layers.flatMap((l) => l.weights.map((w) => ({ value: w.name, label: `${w.name} [${w.shape.join('×')}]` })))]}
                  onChange={(v) => setSelected(v || undefined)} />
              </div>
              {detail && detail.name === selected ? (
                detail.detail ? <WeightDetailView detail={detail.detail} themeVersion={themeVersion} /> : <p className="hint">{detail.problem}</p>
              ) : selected ? <p className="hint">Reading {selected}…</p> : null}
            </>
          ) : null}
        </section>
      ) : null}
    </main>
  );
}
