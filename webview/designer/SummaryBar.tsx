// Parameter totals from core/params: the multi-task model, its shared part, and what one
// separate model per task would need instead; and the memory training would need (core/budget).
import { estimateDocument, formatBytes, type DataSize, type MemoryEstimate } from '../../src/core/budget';
import { useDesigner } from './context';
import { formatCount } from './nodes';

// One decimal, as the diagram shows it: whole percents would round 99.6 % up to "100%".
const pct = (x: number): string => `${x === 0 || x === 1 ? x * 100 : (x * 100).toFixed(1)}%`;

/** `data`: the size of the data from a current data preview, which the document alone may not tell. */
export function SummaryBar({ data }: { data?: DataSize }) {
  const { model } = useDesigner();
  const memory = data?.rows !== undefined ? estimateDocument(model.doc, model.spec.model, data) : model.memory;
  const p = model.params;
  const tasks = model.tasks.filter((t) => t.index >= 0 || t.output);
  return (
    <footer className="summary" aria-label="Parameter summary">
      <span className="stat"><span className="stat-label">Parameters</span> <b>{formatCount(p.total)}</b></span>
      <span className="stat"><span className="stat-label">Shared</span> <b>{formatCount(p.shared)}</b> <span className="muted">({pct(p.total ? p.shared / p.total : 0)} of the model)</span></span>
      {tasks.length > 1 && (
        <span className="stat saving" title={`One separate model per task, as the single-task baselines train them (each task's path, with only its own columns and gates of a sharing block), would hold ${formatCount(p.singleTaskTotal)} parameters in all.`}>
          {p.saving >= 0
            ? <><span className="stat-label">Saves</span> <b>{formatCount(p.saving)}</b> <span className="muted">({pct(p.savingFraction)}) vs {tasks.length} single-task models ({formatCount(p.singleTaskTotal)})</span></>
            : <><span className="stat-label">Costs</span> <b>{formatCount(-p.saving)}</b> <span className="muted">more ({pct(-p.savingFraction)}) than {tasks.length} single-task models ({formatCount(p.singleTaskTotal)})</span></>}
        </span>
      )}
      <span className="stat per-task">
        {tasks.map((t) => (
          <span key={t.id} className="task-chip" title={`Parameters used by ${t.id} alone`}>
            <span className="dot" style={{ background: t.color }} />{t.id} {formatCount(p.perTask[t.id] ?? 0)}
          </span>
        ))}
      </span>
      {p.unused > 0 && <span className="stat unused" title="Columns or gates of a sharing block that no select layer picks: in the model, but no task's loss reaches them.">
        <span className="stat-label">Unused</span> <b>{formatCount(p.unused)}</b></span>}
      {memory && <MemoryStat memory={memory} />}
      {!p.complete && <span className="muted" title="Some layers have no known input shape yet.">(incomplete: some shapes unknown)</span>}
    </footer>
  );
}

function MemoryStat({ memory: m }: { memory: MemoryEstimate }) {
  const parts = [
    `parameters, gradients and optimizer state ${formatBytes(m.parameters.bytes)}`,
    `activations ${formatBytes(m.activations.bytes)}`,
    m.data.rows === undefined ? 'data not counted (Preview data tells its size)' : `data ${formatBytes(m.data.bytes)} (${formatCount(m.data.rows)} examples)`,
  ];
  return (
    <span className="stat memory" title={`Estimated peak memory of training: ${parts.join('; ')}.`}>
      <span className="stat-label">Memory</span> <b>~ {formatBytes(m.total)}</b> <span className="muted">at batch {formatCount(m.activations.batchSize)}</span>
    </span>
  );
}
