// The inspector: tabs for the selected node, the tasks, the data and the training settings,
// each showing how many problems it holds.
import type { KeyboardEvent } from 'react';
import type { Selection } from './selection';
import { type TabId, useDesigner } from './context';
import { DataPanel } from './DataPanel';
import type { PreviewProps } from './DataPreviewView';
import { NodePanel } from './NodePanel';
import { TasksPanel } from './TasksPanel';
import { TrainingPanel } from './TrainingPanel';

const TABS: Array<{ id: TabId; label: string }> = [
  { id: 'node', label: 'Node' }, { id: 'tasks', label: 'Tasks' }, { id: 'data', label: 'Data' }, { id: 'training', label: 'Training' },
];

/** Which tab shows the value at a path. */
export function tabOf(path: readonly (string | number)[]): TabId {
  const [root, section] = path;
  if (root === 'tasks' || (root === 'model' && section === 'outputs')) return 'tasks';
  if (root === 'data') return 'data';
  if (root === 'model' || root === 'layout') return 'node';
  return 'training';
}

export function Inspector(p: {
  tab: TabId; setTab(t: TabId): void; selection: Selection; setSelection(s: Selection): void; selectWhenReady(ids: string[]): void;
  preview: PreviewProps;
}) {
  const d = useDesigner();
  const count = (tab: TabId): number => d.model.problems.filter((x) => tabOf(x.path) === tab && (tab !== 'node' || isSelected(x.path))).length;
  const isSelected = (path: readonly (string | number)[]): boolean => {
    const id = path[2] !== undefined && (path[1] === 'layers' || path[1] === 'inputs') ? d.model.nodes.find((n) => n.index === path[2] && n.kind === (path[1] === 'layers' ? 'layer' : 'input'))?.id : undefined;
    return id !== undefined && p.selection.nodes.includes(id);
  };
  const onKey = (e: KeyboardEvent): void => {
    const i = TABS.findIndex((t) => t.id === p.tab);
    const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : undefined;
    if (next) { e.preventDefault(); p.setTab(next.id); document.getElementById(`tab-${next.id}`)?.focus(); }
  };
  return (
    <aside className="inspector" id="inspector" aria-label="Inspector">
      <div className="tabs" role="tablist" aria-label="Inspector sections" onKeyDown={onKey}>
        {TABS.map((t) => {
          const n = count(t.id);
          return (
            <button key={t.id} id={`tab-${t.id}`} type="button" role="tab" aria-selected={p.tab === t.id} aria-controls={`panel-${t.id}`}
              tabIndex={p.tab === t.id ? 0 : -1} className={`tab${p.tab === t.id ? ' active' : ''}`} onClick={() => p.setTab(t.id)}>
              {t.label}{n > 0 && <span className="tab-count" aria-label={`${n} problems`}>{n}</span>}
            </button>
          );
        })}
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${p.tab}`} aria-labelledby={`tab-${p.tab}`}>
        {p.tab === 'node' && <NodePanel selection={p.selection} setSelection={p.setSelection} selectWhenReady={p.selectWhenReady} />}
        {p.tab === 'tasks' && <TasksPanel />}
        {p.tab === 'data' && <DataPanel preview={p.preview} />}
        {p.tab === 'training' && <TrainingPanel />}
      </div>
    </aside>
  );
}
