// The inspector for the canvas selection: a layer's settings for its type, an input's
// shape, a task, or what can be done with several nodes at once.
import { layerWithDefaults } from '../../src/core/defaults';
import type { JsonPath } from '../../src/core/edits';
import { LAYER_SCHEMAS, LAYER_TYPES } from '../../src/core/experimentSchema';
import type { LayerSpec, LayerType } from '../../src/core/spec';
import { parseNodeId } from '../../src/core/nodeIds';
import { formatShape } from '../../src/core/wording';
import { Button, Dropdown } from '../ui';
import type { Selection } from './selection';
import { problemsAt, useDesigner } from './context';
import { DraftText, EnumField, ObjectFields, ProblemText } from './fields';
import { isObject, onCanvas, type DesignModel, type NodeInfo } from './model';
import { formatCount } from './nodes';
import { changeLayerType, connect, deleteElements, disconnect, duplicateNodes, idProblem, isMergeType, renameNode, setValue } from './operations';
import { cardAfterDelete, focusCard } from './focusAfterDelete';
import { INPUT } from './schemas';
import { TaskForm } from './TasksPanel';
import { ConnectTo } from './ConnectTo';
import { canvasEdges, edgeRefOf, type CanvasEdge } from './layout';

export function rawAt(doc: unknown, path: JsonPath): unknown {
  let v = doc;
  for (const k of path) v = isObject(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

/** The selected connections, when no node is selected (the Node tab then shows them). */
function selectedEdges(model: DesignModel, selection: Selection): CanvasEdge[] {
  if (selection.nodes.some((id) => onCanvas(model, id)) || !selection.edges.length) return [];
  return canvasEdges(model).filter((e) => selection.edges.includes(e.id));
}

/** Nothing on the canvas is selected: the Node tab shows only a hint (a narrow designer shrinks it to a strip). */
export function nothingSelected(model: DesignModel, selection: Selection): boolean {
  return !selection.nodes.some((id) => onCanvas(model, id)) && selectedEdges(model, selection).length === 0;
}

/** A layer's L2 left empty is the run's (training.l2), not "none". */
const LAYER_EMPTY = { l2: 'as training.l2' };

export function NodePanel(p: { selection: Selection; setSelection(s: Selection): void; selectWhenReady(ids: string[]): void }) {
  const d = useDesigner();
  const ids = p.selection.nodes.filter((id) => onCanvas(d.model, id));
  const edges = selectedEdges(d.model, p.selection);
  if (edges.length) return <ConnectionPanel edges={edges} clear={() => p.setSelection({ nodes: [], edges: [] })} />;
  if (ids.length === 0) {
    return <div className="empty-note">{d.readOnly ? 'Read-only until the text is valid JSON again (the banner above says where it is not). Select a node to see its settings.'
      : 'Select a node on the canvas to edit it, or add one from the palette. Shift-drag selects several.'}</div>;
  }
  if (ids.length > 1) {
    const nodes = ids.filter((id) => d.model.nodeById.has(id));
    return (
      <div className="panel-section">
        <h2>{ids.length} nodes selected</h2>
        <p className="muted">{nodes.join(', ')}</p>
        <div className="actions">
          <Button appearance="secondary" disabled={d.readOnly || !nodes.length} onClick={() => { const e = duplicateNodes(d.model.doc, nodes); d.edit(e); p.selectWhenReady(e.ids); }}>Duplicate</Button>
          <Button appearance="secondary" disabled={d.readOnly || !nodes.length} onClick={() => { const next = cardAfterDelete(d.model, nodes); d.edit(deleteElements(d.model.doc, nodes)); p.setSelection({ nodes: [], edges: [] }); focusCard(next); }}>Delete</Button>
        </div>
      </div>
    );
  }
  const id = ids[0]!;
  const ref = parseNodeId(id);
  if (ref.kind === 'task') {
    const task = d.model.taskById.get(ref.task)!;
    return <TaskForm task={task} />;
  }
  const info = d.model.nodeById.get(id)!;
  return <NodeForm key={`${info.kind}:${info.index}`} info={info} selectWhenReady={p.selectWhenReady} clear={() => p.setSelection({ nodes: [], edges: [] })} />;
}

/** Selected connections (a click on an edge): what each joins, and their removal (Delete on the canvas does the same). */
function ConnectionPanel({ edges, clear }: { edges: CanvasEdge[]; clear(): void }) {
  const d = useDesigner();
  const refs = edges.map(edgeRefOf);
  return (
    <div className="panel-section edge-panel">
      <h2>{edges.length === 1 ? 'Connection' : `${edges.length} connections`}</h2>
      <ul>
        {edges.map((e, i) => { const ref = refs[i]!; return <li key={e.id}>{ref.kind === 'output' ? `${e.source} → task ${ref.task} (its head)` : `${e.source} → ${e.target}`}</li>; })}
      </ul>
      <div className="actions">
        <Button appearance="secondary" disabled={d.readOnly} onClick={() => { d.edit(disconnect(d.model.doc, refs)); clear(); }}>Remove</Button>
      </div>
      <p className="muted">Delete on the canvas does the same. A layer's Inputs in this inspector connect and disconnect it too.</p>
    </div>
  );
}

function NodeForm({ info, selectWhenReady, clear }: { info: NodeInfo; selectWhenReady(ids: string[]): void; clear(): void }) {
  const d = useDesigner();
  const { model } = d;
  const path: JsonPath = ['model', info.kind === 'input' ? 'inputs' : 'layers', info.index];
  const raw = rawAt(model.doc, path);
  const type = info.type as LayerType;
  const known = (LAYER_TYPES as string[]).includes(type);
  const idField = (
    <DraftText lazy label="Id" path={[...path, 'id']} text={info.id} help="Unique among inputs and layers; other layers refer to it."
      parse={(t) => { const problem = idProblem(model.doc, t.trim(), info.id); return problem ? { ok: false, message: problem } : { ok: true, value: t.trim() }; }}
      commit={(v) => { if (v !== info.id) d.edit(renameNode(model.doc, info.id, v as string)); }} />
  );
  return (
    <div className="panel-section node-form">
      <NodeHeader info={info} />
      <ProblemText problems={problemsAt(model.problems, path, true)} />
      {idField}
      {info.kind === 'input' ? (
        <ObjectFields schema={INPUT} value={raw} path={path} skip={['id']} defaults={{ dtype: 'float32' }} />
      ) : (
        <>
          <ObjectFields schema={{ properties: { label: LAYER_SCHEMAS.dense.properties.label! }, required: [] }} value={raw} path={path} />
          <EnumField label="Type" path={[...path, 'type']} value={info.type} options={LAYER_TYPES} required
            help={known ? LAYER_SCHEMAS[type].description : undefined} onChange={(t) => t && t !== info.type && d.edit(changeLayerType(model.doc, info.index, t as LayerType))} />
          {known && <div className="field-grid"><ObjectFields schema={LAYER_SCHEMAS[type]} value={raw} path={path} skip={['id', 'from', 'label']}
            defaults={isObject(raw) ? layerWithDefaults(raw as unknown as LayerSpec) as unknown as Record<string, unknown> : undefined} empty={LAYER_EMPTY} /></div>}
          <Inputs info={info} path={path} />
        </>
      )}
      <HeadOf info={info} />
      <ConnectTo info={info} />
      <div className="actions">
        <Button appearance="secondary" disabled={d.readOnly} onClick={() => { const e = duplicateNodes(model.doc, [info.id]); d.edit(e); selectWhenReady(e.ids); }}>Duplicate</Button>
        <Button appearance="secondary" disabled={d.readOnly} onClick={() => { const next = cardAfterDelete(model, [info.id]); d.edit(deleteElements(model.doc, [info.id])); clear(); focusCard(next); }}>Delete</Button>
        <Button appearance="secondary" onClick={() => d.revealText(path)}>Show in text</Button>
      </div>
    </div>
  );
}

function NodeHeader({ info }: { info: NodeInfo }) {
  const { model } = useDesigner();
  return (
    <div className="node-header">
      <div className="node-header-title"><span className="type-pill">{info.type}</span><h2>{info.id}</h2></div>
      <div className="node-header-facts">
        <span>output {info.shape ? formatShape(info.shape) : 'unknown'}</span>
        <span>{info.params === undefined ? 'parameters unknown' : `${formatCount(info.params)} parameters`}</span>
      </div>
      <div className="node-header-tasks">
        {info.serves.length === 0 ? <span className="muted">Feeds no task output.</span> : (
          <>
            <span className="muted">{info.shared ? `Shared by ${info.serves.length} tasks:` : 'Serves'}</span>
            {info.serves.map((t) => <span key={t} className="task-chip"><span className="dot" style={{ background: model.taskById.get(t)?.color }} />{t}</span>)}
          </>
        )}
      </div>
      {info.parts ? (
        <ul className="block-parts" aria-label="What each task gets of this block">
          {info.parts.map((p, i) => (
            <li key={i}>
              {p.tasks.map((t) => <span key={t} className="dot" title={t} style={{ background: model.taskById.get(t)?.color }} />)}
              {' '}{p.label}: {p.params.toLocaleString('en-US')} · {p.tasks.length > 1 ? 'shared' : p.tasks[0]}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The layer's inputs ("from"), each removable, and a picker to add one without dragging. */
function Inputs({ info, path }: { info: NodeInfo; path: JsonPath }) {
  const d = useDesigner();
  const { model } = d;
  const downstream = new Set<string>();
  const stack = [info.id];
  while (stack.length) {
    const id = stack.pop()!;
    if (downstream.has(id)) continue;
    downstream.add(id);
    stack.push(...(model.graph.consumers.get(id) ?? []));
  }
  const candidates = model.nodes.filter((n) => !downstream.has(n.id) && !info.from.includes(n.id)).map((n) => ({ value: n.id }));
  const merge = isMergeType(info.type);
  return (
    <div className="field wide" data-path={[...path, 'from'].join('.')}>
      <span className="field-label">Inputs {merge ? '(two or more)' : '(one)'}</span>
      <ul className="chip-list">
        {info.from.length === 0 && <li className="muted">None yet: connect one on the canvas or pick below.</li>}
        {info.from.map((s) => (
          <li key={s} className="chip">
            <span>{s}</span>
            <button type="button" className="chip-remove" aria-label={`Disconnect ${s}`} title={`Disconnect ${s}`} disabled={d.readOnly}
              onClick={() => d.edit(disconnect(model.doc, [{ kind: 'from', source: s, target: info.id }]))}>×</button>
          </li>
        ))}
      </ul>
      {!d.readOnly && candidates.length > 0 && (
        <Dropdown value="" aria-label={merge ? 'Add an input' : 'Set the input'} className="field-input"
          options={[{ value: '', label: merge || info.from.length === 0 ? 'Add input from…' : 'Replace input with…' }, ...candidates]}
          onChange={(v) => v && d.edit(connect(model.doc, v, { layer: info.id }))} />
      )}
      <ProblemText problems={problemsAt(model.problems, [...path, 'from'])} />
    </div>
  );
}

/** Which task(s) read this node as their prediction. */
function HeadOf({ info }: { info: NodeInfo }) {
  const d = useDesigner();
  const { model } = d;
  if (info.kind !== 'layer') return null;
  const others = model.tasks.filter((t) => t.output !== info.id && t.index >= 0);
  return (
    <div className="field wide">
      <span className="field-label">Head of task</span>
      <ul className="chip-list">
        {info.headOf.length === 0 && <li className="muted">Not a task head.</li>}
        {info.headOf.map((t) => (
          <li key={t} className="chip">
            <span className="dot" style={{ background: model.taskById.get(t)?.color }} /><span>{t}</span>
            <button type="button" className="chip-remove" aria-label={`Stop being the head of ${t}`} title="Remove this output" disabled={d.readOnly}
              onClick={() => d.edit(setValue(['model', 'outputs', t], undefined, `Remove the head of ${t}`))}>×</button>
          </li>
        ))}
      </ul>
      {!d.readOnly && others.length > 0 && (
        <Dropdown value="" aria-label="Make this layer the head of a task" className="field-input"
          options={[{ value: '', label: 'Make head of…' }, ...others.map((t) => ({ value: t.id, label: `${t.id}${t.output ? ` (now ${t.output})` : ''}` }))]}
          onChange={(t) => t && d.edit(connect(model.doc, info.id, { task: t }))} />
      )}
    </div>
  );
}

