// The designer: toolbar, banners, palette, canvas, inspector, problems and parameter summary.
// State of the experiment comes only from the host's document messages; edits go back as
// operations. Only view state (selection, tab, viewport) is kept here, across reloads; the
// side panels are the workspace's (the host remembers them for every designer).
import { useReactFlow, type Viewport } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DataSize } from '../../src/core/budget';
import { dataSettingsKey } from '../../src/core/dataSummary';
import { DESIGNER_TIMEOUTS_MS, panelsOf, samePanels, type DataPreview, type DesignerInit, type DesignerPanels, type DesignerSides, type DocumentSnapshot, type ToDesigner } from '../../src/core/designerProtocol';
import type { JsonPath } from '../../src/core/edits';
import type { Problem } from '../../src/core/spec';
import { motionMs } from '../common/motion';
import { getViewState, setViewState, useHost } from '../common/vscodeApi';
import { Button } from '../ui';
import { Canvas, type CanvasView } from './Canvas';
import { CONNECT_BUTTON_ID } from './ConnectTo';
import { DesignerContext, pathKey, type Designer, type TabId } from './context';
import { FitViewButton } from './FitViewButton';
import { Inspector, tabOf } from './Inspector';
import { layoutInput, type Size } from './layout';
import { buildModel, onCanvas, problemNode, type DesignModel } from './model';
import { nothingSelected } from './NodePanel';
import type { Edit } from './operations';
import { arrangeAll } from './operations';
import { Palette } from './Palette';
import { ProblemsList } from './ProblemsList';
import { SummaryBar } from './SummaryBar';
import { followSelection, type Selection } from './selection';
import { shownPanels, useNarrow, withPanel, type PanelName } from './sidePanels';
import { useLayout } from './useLayout';
import { graphBounds } from './viewport';

interface ViewState { selection: Selection; tab: TabId; problemsOpen: boolean; viewport?: Viewport }

/** elk and elkLayout.ts: a bundle of their own beside this one (esbuild.mjs), loaded the first time "Auto-layout" is pressed. */
const loadElk = (): Promise<typeof import('./elkLayout')> => import(new URL('./designer-elk.js', import.meta.url).href) as Promise<typeof import('./elkLayout')>;

export function App({ init }: { init: DesignerInit }) {
  const saved = useMemo(() => getViewState<ViewState>(), []);
  const [snapshot, setSnapshot] = useState<DocumentSnapshot>(init.document);
  // The last version that was JSON, with its problems: shown (read-only) while the text is not.
  const [good, setGood] = useState<{ doc: unknown; problems: Problem[] } | undefined>(init.document.ok ? init.document : undefined);
  const [trusted, setTrusted] = useState(init.trusted);
  const [selectionState, setSelectionState] = useState<Selection>(saved?.selection ?? { nodes: [], edges: [] });
  const [tab, setTab] = useState<TabId>(saved?.tab ?? 'node');
  const [problemsOpen, setProblemsOpen] = useState(saved?.problemsOpen ?? true);
  // Which side panels are shown (each can be collapsed to give the canvas room): as the host
  // last said, and sent to it when the user changes them here.
  const [panels, setPanels] = useState<DesignerPanels>(() => panelsOf(init.panels));
  const hostPanels = useRef<DesignerPanels>(panels);
  // A narrow designer collapses them unless opened there (sidePanels.ts): the canvas gets the width.
  const narrow = useNarrow();
  const shown = shownPanels(panels, narrow);
  const showPanel = useCallback((panel: PanelName, open: boolean) => setPanels((s) => withPanel(s, narrow, panel, open)), [narrow]);
  const [canvasSize, setCanvasSize] = useState<Size>();
  const onCanvasSize = useCallback((s: Size) => setCanvasSize((old) => (old && old.width === s.width && old.height === s.height ? old : s)), []);
  const [preview, setPreview] = useState<{ pending: boolean; last?: DataPreview }>({ pending: false });
  const [notice, setNotice] = useState<string>();
  // Read out by screen readers (an ARIA live region): each edit, as it is sent.
  const [announcement, setAnnouncement] = useState('');
  const viewport = useRef<Viewport | undefined>(saved?.viewport);
  const version = useRef(init.document.version);
  const shownProblems = useRef(problemsKey(init.document));
  const pendingSelect = useRef<string[]>([]);
  // The host's goTo arrives in the handler below, which is defined before goTo itself.
  const goToRef = useRef<(path: JsonPath) => void>(() => undefined);
  const flow = useReactFlow();

  const host = useHost<DesignerSides>((msg: ToDesigner) => {
    switch (msg.type) {
      case 'document':
        // The same version is the same text (the answer to "ready" usually is): nothing to redo,
        // unless its problems changed (the data's features were counted since).
        if (msg.document.version < version.current) return;
        if (msg.document.version === version.current && problemsKey(msg.document) === shownProblems.current) return;
        version.current = msg.document.version;
        shownProblems.current = problemsKey(msg.document);
        setSnapshot(msg.document);
        if (msg.document.ok) setGood(msg.document);
        break;
      case 'trust': setTrusted(msg.trusted); break;
      case 'dataPreview': setPreview({ pending: false, last: msg.preview }); break;
      case 'panels': hostPanels.current = msg.panels; setPanels(msg.panels); break;
      case 'goTo': goToRef.current(msg.path); break;
    }
  }, { timeoutMs: DESIGNER_TIMEOUTS_MS });
  const send = host.notify;
  useEffect(() => { send({ type: 'ready' }); }, [send]);
  useEffect(() => {
    if (samePanels(panels, hostPanels.current)) return;
    hostPanels.current = panels;
    send({ type: 'panels', panels });
  }, [panels, send]);

  const model = useMemo(() => buildModel(good?.doc ?? {}, good?.problems ?? []), [good]);
  const readOnly = !snapshot.ok;
  // "Fit view" (the button or F): the whole graph framed, in the direction that frames it larger now.
  const [fits, setFits] = useState(0);
  const { groups, positions, direction } = useLayout(model, canvasSize, fits);
  const view = useRef<CanvasView>(null);
  const fitWhole = useCallback(() => { setFits((n) => n + 1); view.current?.fit({ duration: motionMs(200), whole: true }); }, []);
  const bounds = useMemo(() => graphBounds(positions, groups), [positions, groups]);

  // The selection follows renamed nodes and drops deleted ones, in this very render (a form
  // being typed in must not unmount); new nodes are selected once the host has added them.
  const selectionBase = useRef<DesignModel | undefined>(undefined);
  const selection = useMemo(() => followSelection(selectionState, selectionBase.current, model), [selectionState, model]);
  useEffect(() => {
    selectionBase.current = model;
    const pending = pendingSelect.current;
    if (pending.length && pending.every((id) => onCanvas(model, id))) {
      pendingSelect.current = [];
      setSelectionState({ nodes: pending, edges: [] });
      setTab('node');
    } else if (selection !== selectionState) {
      setSelectionState(selection);
    }
  }, [model, selection, selectionState]);

  const setSelection = useCallback((update: (s: Selection) => Selection) => {
    setSelectionState((s) => {
      const next = update(s);
      if (next.nodes.length > 0 && next.nodes.join() !== s.nodes.join()) setTab('node');
      return next;
    });
  }, []);

  useEffect(() => { setViewState<ViewState>({ selection, tab, problemsOpen, viewport: viewport.current }); }, [selection, tab, problemsOpen]);
  const viewportTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const onViewportChange = useCallback((v: Viewport | undefined) => {
    viewport.current = v;
    clearTimeout(viewportTimer.current);
    viewportTimer.current = setTimeout(() => setViewState<ViewState>({ selection, tab, problemsOpen, viewport: v }), 300);
  }, [selection, tab, problemsOpen]);

  const edit = useCallback((e: Edit | undefined) => {
    if (!e || e.ops.length === 0 || readOnly) return;
    setNotice(undefined);
    host.request('edit', { label: e.label, ops: e.ops }).then(
      (outcome) => { if (!outcome.applied) setNotice(`${e.label}: ${outcome.message}`); },
      (error: Error) => setNotice(`${e.label}: ${error.message}`),
    );
  }, [readOnly, host]);
  // The panels' edits, each read out as it is sent (the live region below).
  const announcedEdit = useCallback((e: Edit | undefined) => {
    if (e && e.ops.length > 0 && !readOnly) setAnnouncement(`${e.label}${'id' in e && typeof e.id === 'string' && !e.label.includes(e.id) ? `: ${e.id}` : ''}.`);
    edit(e);
  }, [edit, readOnly]);

  // A null reply: a newer summary replaced this one, and arrives as its own reply or note.
  const requestPreview = useCallback((doc: unknown) => {
    setPreview((s) => ({ ...s, pending: true }));
    host.request('dataPreview', {}).then(
      (last) => { if (last) setPreview({ pending: false, last }); },
      (error: Error) => setPreview({ pending: false, last: { key: dataSettingsKey(doc), result: { ok: false, message: error.message } } }),
    );
  }, [host]);

  // "Auto-layout": elk lays the whole graph out again (loaded now, the first time), and every
  // position is saved, as one undoable edit; the view frames the result.
  const [arranging, setArranging] = useState(false);
  const autoLayout = useCallback(() => {
    setArranging(true);
    loadElk()
      .then(({ elkLayout }) => elkLayout(layoutInput(model, groups, undefined, direction)))
      .then((placed) => { edit(arrangeAll(placed)); view.current?.fit({ duration: motionMs(200), positions: placed }); })
      .catch((error: unknown) => setNotice(`Auto-layout failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => setArranging(false));
  }, [model, groups, direction, edit]);

  const select = useCallback((ids: string[], options?: { reveal?: boolean }) => {
    setSelectionState({ nodes: ids, edges: [] });
    if (options?.reveal && ids.length) void flow.fitView({ nodes: ids.map((id) => ({ id })), duration: motionMs(250), maxZoom: 1, padding: 0.4 });
  }, [flow]);

  const goTo = useCallback((path: JsonPath) => {
    const node = problemNode(model.spec, model.graph, model.tasks, path);
    const target = tabOf(path);
    if (node) select([node], { reveal: true });
    setTab(target);
    showPanel('inspector', true); // the field is in the inspector: shown again if collapsed
    // Focus the field of the path, or of its closest ancestor that has one.
    setTimeout(() => {
      for (let n = path.length; n > 0; n--) {
        const el = document.querySelector<HTMLElement>(`.inspector [data-path="${CSS.escape(pathKey(path.slice(0, n)))}"]`);
        if (!el) continue;
        el.scrollIntoView({ block: 'center' });
        // A toolkit control takes the focus once defined: toolkit.js loads when the page is idle, after a goTo sent on `ready`.
        const control = el.querySelector<HTMLElement>('vscode-text-field, vscode-dropdown, vscode-checkbox, button');
        if (control) void (control.localName.includes('-') ? customElements.whenDefined(control.localName) : Promise.resolve()).then(() => control.focus());
        el.classList.add('flash');
        setTimeout(() => el.classList.remove('flash'), 1200);
        return;
      }
    }, 60);
  }, [model, select, showPanel]);
  goToRef.current = goTo;

  const designer: Designer = useMemo(() => ({
    model, readOnly, edit: announcedEdit, select, goTo, revealText: (path) => send({ type: 'revealText', at: { path } }),
    saveAfterEdits: () => send({ type: 'saveAfterEdits' }),
  }), [model, readOnly, announcedEdit, select, goTo, send]);

  // C on the canvas: the inspector's node tab (shown again if it was collapsed), its "Connect output to…" list open.
  const connectKey = useCallback(() => {
    showPanel('inspector', true);
    setTab('node');
    setTimeout(() => document.getElementById(CONNECT_BUTTON_ID)?.click(), 0);
  }, [showPanel]);

  // A card's settings wanted (Canvas: its "Edit", Enter on it once selected, a double-click): the
  // inspector shown if collapsed, focus on the node tab's first field.
  const editNode = useCallback((id: string) => {
    setSelectionState({ nodes: [id], edges: [] });
    showPanel('inspector', true);
    setTab('node');
    setTimeout(() => {
      const control = document.querySelector<HTMLElement>('.inspector .field :is(vscode-text-field, vscode-dropdown, vscode-checkbox, input, select, button)');
      if (control) void (control.localName.includes('-') ? customElements.whenDefined(control.localName) : Promise.resolve()).then(() => control.focus());
    }, 60);
  }, [showPanel]);

  const errors = model.problems.filter((p) => p.severity === 'error').length;
  const name = typeof model.doc.name === 'string' && model.doc.name ? model.doc.name : init.fileName;
  const trainBlocked = !trusted ? 'Training is disabled in Restricted Mode: trust this workspace to train.'
    : readOnly ? 'Fix the JSON text first.' : errors ? `Fix the ${errors} error${errors === 1 ? '' : 's'} first.` : undefined;

  // The Node tab with nothing selected holds only a hint: a narrow designer, whose inspector sits
  // under the canvas, gives the canvas that room (designer.css).
  const inspectorIdle = tab === 'node' && nothingSelected(model, selection);

  return (
    <DesignerContext.Provider value={designer}>
      <div className={`app${readOnly ? ' read-only' : ''}${shown.palette ? '' : ' palette-closed'}${shown.inspector ? '' : ' inspector-closed'}${inspectorIdle ? ' inspector-idle' : ''}`}>
        <header className="toolbar">
          <div className="title" title={`${name} (${init.fileName})`}>
            <h1>{name}</h1>
            <span className="muted file">{init.fileName}</span>
          </div>
          <div className="toolbar-actions">
            <PanelToggle label="Palette" open={shown.palette} controls="palette" toggle={() => showPanel('palette', !shown.palette)} />
            <PanelToggle label="Inspector" open={shown.inspector} controls="inspector" toggle={() => showPanel('inspector', !shown.inspector)} />
            <FitViewButton bounds={bounds} onFit={fitWhole} />
            <Button appearance="secondary" disabled={readOnly || arranging || model.nodes.length === 0} onClick={autoLayout}
              title="Lay the whole graph out again (elk: layered, fewest crossings) and save every node's position">{arranging ? 'Arranging…' : 'Auto-layout'}</Button>
            <Button appearance="secondary" disabled={!!trainBlocked} title={trainBlocked ?? 'Train variants of this experiment under the same seeds and compare them with intervals (Multi-Task Studio: Compare sharing strategies…)'}
              onClick={() => send({ type: 'compareSharing' })}>Compare sharing…</Button>
            <Button appearance="secondary" disabled={readOnly || errors > 0} title={readOnly || errors ? 'Fix the experiment first.' : 'Export as a Keras 3 package, a Jupyter notebook or ONNX (Multi-Task Studio: Export experiment…)'}
              onClick={() => send({ type: 'export' })}>Export…</Button>
            <Button appearance="primary" disabled={!!trainBlocked} title={trainBlocked ?? 'Train this experiment (runs Multi-Task Studio: Train multi-task model)'}
              onClick={() => send({ type: 'train' })}>▶ Train</Button>
          </div>
        </header>
        <div className="banners">
          {!snapshot.ok && (
            <div className="banner error" role="alert">
              <b>The text is not valid JSON</b> (line {snapshot.error.line + 1}, column {snapshot.error.column + 1}): {snapshot.error.message}{' '}
              {good !== undefined ? 'The designer shows the last valid version, read-only, until the text is fixed.' : 'The designer will show the experiment once the text is valid.'}{' '}
              <button type="button" className="link-button" onClick={() => send({ type: 'revealText', at: { offset: snapshot.error.offset } })}>Show in text</button>
            </div>
          )}
          {!trusted && (
            <div className="banner info" role="status">
              <b>Restricted Mode:</b> you can view and edit the experiment; training and the data preview are disabled until you trust this workspace.{' '}
              <button type="button" className="link-button" onClick={() => send({ type: 'manageTrust' })}>Manage workspace trust</button>
            </div>
          )}
          {notice && (
            <div className="banner warning" role="status">
              {notice} <button type="button" className="link-button" onClick={() => setNotice(undefined)}>Dismiss</button>
            </div>
          )}
        </div>
        <Palette selected={selection.nodes} selectWhenReady={(ids) => { pendingSelect.current = ids; }} />
        <main className="canvas-area">
          {readOnly && <div className="read-only-tag" aria-hidden="true">read-only</div>}
          <Canvas positions={positions} groups={groups} direction={direction} onSize={onCanvasSize} selection={selection} setSelection={setSelection}
            defaultViewport={saved?.viewport} onViewportChange={onViewportChange} selectWhenReady={(ids) => { pendingSelect.current = ids; }} view={view}
            connectKey={connectKey} fitKey={fitWhole} inspectorHidden={!shown.inspector} editNode={editNode} />
          {model.nodes.length === 0 && model.tasks.length === 0 && (
            <div className="canvas-empty">{good === undefined ? 'Nothing to show yet.' : 'The model is empty: add an input from the palette, then layers, and what it predicts in the inspector\'s Tasks tab.'}</div>
          )}
        </main>
        <Inspector tab={tab} setTab={setTab} selection={selection} setSelection={(s) => setSelectionState(s)}
          selectWhenReady={(ids) => { pendingSelect.current = ids; }} preview={{
            ...preview, trusted, manageTrust: () => send({ type: 'manageTrust' }),
            request: () => requestPreview(good?.doc),
          }} />
        <ProblemsList open={problemsOpen} setOpen={setProblemsOpen} />
        <SummaryBar data={previewSize(preview.last, good?.doc)} />
        <div className="sr-only" role="status" aria-live="polite" data-testid="announcer">{announcement}</div>
      </div>
    </DesignerContext.Provider>
  );
}

/** A toolbar button that shows or hides a side panel (a toggle: aria-pressed says which). */
function PanelToggle(p: { label: string; open: boolean; controls: string; toggle(): void }) {
  return (
    <button type="button" className="panel-toggle" aria-pressed={p.open} aria-controls={p.controls} onClick={p.toggle}
      title={`${p.open ? 'Hide' : 'Show'} the ${p.label.toLowerCase()}`}>
      <span aria-hidden="true">{p.open ? '◧' : '□'}</span> {p.label}
    </button>
  );
}

/** The data's size from the last preview, while it still describes the document's data settings. */
function previewSize(preview: DataPreview | undefined, doc: unknown): DataSize | undefined {
  if (!preview?.result.ok || preview.key !== dataSettingsKey(doc)) return undefined;
  const { examples, featureShape } = preview.result.summary;
  return { rows: examples, features: featureShape.reduce((a, b) => a * b, 1) };
}

/** The problems of a snapshot, to tell two snapshots of one version apart. */
function problemsKey(document: DocumentSnapshot): string {
  return document.ok ? JSON.stringify(document.problems) : '';
}
