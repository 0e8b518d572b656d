// Canvas nodes: a layer or input card (type, key settings, output shape, parameters, the
// tasks it serves as colour stripes, a "shared by n tasks" badge, problems), a task card
// where a head connects, and the boxes drawn around each group.
import { Handle, Position, useStore, type Node, type NodeProps, type ReactFlowState } from '@xyflow/react';
import { createContext, memo, useContext, type ReactElement } from 'react';
import type { Problem } from '../../src/core/spec';
import { formatShape } from '../../src/core/wording';
import type { Direction, GroupBox } from './layout';
import type { NodeInfo, TaskInfo } from './model';
import { BRIEF_ZOOM, COMPACT_ZOOM, NAME_ZOOM, READABLE_ZOOM } from './viewport';

export type LayerNodeData = { info: NodeInfo; tasks: TaskInfo[]; problems: Problem[] };
export type TaskNodeData = { task: TaskInfo; problems: Problem[]; hasHead: boolean };
export type LayerNode = Node<LayerNodeData, 'layer'>;
export type TaskNode = Node<TaskNodeData, 'task'>;

/** 1234567 -> "1,234,567" (toLocaleString is slow enough to show on a 100-layer graph). */
export const formatCount = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Below this zoom a card's text is a few pixels high and its handles a few pixels wide:
 * cards then draw their frame and colours only (the text stays in their accessible
 * description), and handles that only mark where edges end. The whole of a 100-layer
 * graph, framed at a zoom of about 0.06, is drawn with a quarter of the elements and no
 * handle logic. Each card re-renders only when the zoom crosses this line.
 */
export const DETAIL_ZOOM = 0.2;
/** The zoom the canvas opens at: xyflow's store only has it once its pan-zoom is set up, after the first render. */
export const OpeningZoom = createContext(1);
/** Which way the graph reads: inputs come in on the left (top), outputs leave on the right (bottom). */
export const FlowDirection = createContext<Direction>('LR');
const SIDES: Record<Direction, { into: Position; out: Position }> = {
  LR: { into: Position.Left, out: Position.Right },
  TB: { into: Position.Top, out: Position.Bottom },
};
/** Whether the canvas framed the graph below READABLE_ZOOM (Canvas.tsx, viewport.ts framesCompact: the opening view or "Fit view"), edits or not. */
export const CompactCards = createContext(false);
/**
 * How a card is drawn: whole ('full'); on a view the designer framed below READABLE_ZOOM,
 * while the zoom stays under it, the look whose text is at least READABLE_TEXT_PX on screen
 * (viewport.ts): 'compact' (the name, the output shape, the parameters and the sharing badge or
 * task, in larger type, without the type and settings lines), 'brief' (the parameters left out
 * too), 'names' (the name alone), and 'bare' (no text) below NAME_ZOOM. Each keeps its handles:
 * "Fit view" drew frames without them, and a connection could not be dragged. 'far' below
 * DETAIL_ZOOM anyway. The text left out is in the card's tooltip. Each card re-renders only
 * when its look changes.
 */
export type CardLook = 'full' | 'compact' | 'brief' | 'names' | 'bare' | 'far';
export function cardLook(zoom: number, compact: boolean): CardLook {
  if (zoom < DETAIL_ZOOM) return 'far';
  if (!compact || zoom >= READABLE_ZOOM - 1e-9) return 'full';
  return zoom >= COMPACT_ZOOM - 1e-9 ? 'compact' : zoom >= BRIEF_ZOOM - 1e-9 ? 'brief' : zoom >= NAME_ZOOM - 1e-9 ? 'names' : 'bare';
}
export function useCardLook(): CardLook {
  const opening = useContext(OpeningZoom);
  const compact = useContext(CompactCards);
  return useStore((s: ReactFlowState) => cardLook(s.panZoom ? s.transform[2] : opening, compact));
}

/**
 * A zoomed-out card's handles: where its edges end, but not places to start a connection
 * (xyflow re-measures handles in the DOM whenever a node resizes, so they must be there).
 * Plain elements, not components: a 100-layer graph has 200 of them.
 */
const mark = (side: Position, kind: 'target' | 'source') => <div className={`react-flow__handle react-flow__handle-${side} ${kind}`} data-handlepos={side} aria-hidden="true" />;
const TARGET_MARK: Record<Direction, ReactElement> = { LR: mark(Position.Left, 'target'), TB: mark(Position.Top, 'target') };
const SOURCE_MARK: Record<Direction, ReactElement> = { LR: mark(Position.Right, 'source'), TB: mark(Position.Bottom, 'source') };

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

function ProblemBadge({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  const errors = problems.filter((p) => p.severity === 'error').length;
  const kind = errors ? 'error' : 'warning';
  return (
    <span className={`problem-badge ${kind}`} title={problems.map((p) => p.message).join('\n')}>
      <span aria-hidden="true">{errors ? '⊘' : '⚠'}</span> {problems.length}
      <span className="sr-only"> {plural(problems.length, 'problem')}</span>
    </span>
  );
}

function Stripes({ tasks }: { tasks: readonly TaskInfo[] }) {
  return (
    <div className="stripes" aria-hidden="true">
      {tasks.map((t) => <span key={t.id} style={{ background: t.color }} />)}
    </div>
  );
}

/**
 * What a screen reader says for a layer or input card: id, type, settings, what it reads,
 * shape, parameters, the tasks it serves, problems. The connections are no Tab stops (Canvas.tsx), so the card names its inputs.
 */
export function describeNode(info: NodeInfo, problems: readonly Problem[]): string {
  const parts = [`${info.type} ${info.id}`];
  if (info.settings) parts.push(info.settings);
  if (info.kind === 'layer') parts.push(info.from.length ? `reads ${info.from.join(', ')}` : 'reads nothing yet');
  if (info.shape) parts.push(`output ${formatShape(info.shape)}`);
  if (info.params !== undefined) parts.push(plural(info.params, 'parameter'));
  parts.push(info.serves.length === 0 ? 'used by no task' : info.shared ? sharingText(info) : `task ${info.serves[0]}`);
  if (problems.length) parts.push(plural(problems.length, 'problem'));
  return parts.join(', ');
}

/**
 * How a multi-task card's weights are shared, in the summary bar's terms (core/params): a
 * block of task columns holds no shared weight, so it must not say "Shared" while the
 * summary counts its columns under each task.
 */
function sharingBadgeText(info: NodeInfo, brief = false): string {
  const columns = info.parts?.filter((p) => p.tasks.length === 1).length ?? 0;
  // A column no select picks is counted as unused (core/params), so the badge says so too.
  const unused = info.parts?.filter((p) => p.tasks.length === 0).length ?? 0;
  const text = (() => {
    switch (info.sharing) {
      case 'columns': return `${columns} task columns`;
      // Brief (nodes framed small): in its larger type the count did not fit the card; the tooltip has it.
      case 'partly': return brief ? 'Part shared' : `Part shared · ${info.serves.length} tasks`;
      default: return `Shared · ${info.serves.length} tasks`;
    }
  })();
  return unused && !brief ? `${text} · ${unused} unused` : text;
}

/** The badge's longer form: which part goes to which tasks. */
function sharingText(info: NodeInfo): string {
  const by = info.serves.join(', ');
  if (info.sharing === 'shared' || !info.parts) return `shared by ${info.serves.length} tasks: ${by}`;
  const parts = info.parts.map((p) => `${p.label}: ${p.tasks.length > 1 ? 'shared' : p.tasks[0] ?? 'used by no task'}, ${plural(p.params, 'parameter')}`).join('; ');
  return `${info.sharing === 'columns' ? `one column each for ${by}, none shared` : `partly shared by ${by}`} (${parts})`;
}

function SharingBadge({ info, brief }: { info: NodeInfo; brief: boolean }) {
  return <span className={`shared-badge ${info.sharing ?? 'shared'}`} title={sharingText(info)}>{sharingBadgeText(info, brief)}</span>;
}

/** A zoomed-out card's task stripes, as one background (see DETAIL_ZOOM). */
function stripesStyle(tasks: readonly TaskInfo[]): Record<string, string> {
  if (tasks.length === 0) return {};
  const stops = tasks.map((t, i) => `${t.color} ${i * 5}px ${(i + 1) * 5}px`).join(', ');
  return { ['--stripes' as string]: `linear-gradient(90deg, ${stops})`, ['--stripes-width' as string]: `${tasks.length * 5}px` };
}

export const LayerCard = memo(function LayerCard({ data, selected }: NodeProps<LayerNode>) {
  const { info, tasks, problems } = data;
  const look = useCardLook();
  const far = look === 'far';
  const direction = useContext(FlowDirection);
  const severity = problems.some((p) => p.severity === 'error') ? 'error' : problems.length ? 'warning' : '';
  const classes = ['mts-node', info.kind, info.shared ? 'shared' : '', info.serves.length === 0 ? 'unused' : '', severity, selected ? 'selected' : '', look === 'full' ? '' : look];
  const single = tasks.length === 1 ? tasks[0] : undefined;
  const taskColor = single ? { ['--task-color' as string]: single.color } : undefined;
  const label = describeNode(info, problems);
  if (far) {
    return (
      // The text it leaves out, on hover.
      <div className={classes.filter(Boolean).join(' ')} aria-label={label} title={label} style={{ ...taskColor, ...stripesStyle(tasks) }}>
        {info.kind === 'layer' && TARGET_MARK[direction]}
        {SOURCE_MARK[direction]}
      </div>
    );
  }
  if (look === 'bare') {
    return (
      <div className={classes.filter(Boolean).join(' ')} aria-label={label} title={label} style={{ ...taskColor, ...stripesStyle(tasks) }}>
        {info.kind === 'layer' && <Handle type="target" position={SIDES[direction].into} aria-label={`Input of ${info.id}`} />}
        <Handle type="source" position={SIDES[direction].out} aria-label={`Output of ${info.id}`} />
      </div>
    );
  }
  const full = look === 'full';
  return (
    // Framed small, what the card leaves out is in its tooltip.
    <div className={classes.filter(Boolean).join(' ')} aria-label={label} title={full || look === 'compact' ? undefined : label} style={taskColor}>
      {info.kind === 'layer' && <Handle type="target" position={SIDES[direction].into} aria-label={`Input of ${info.id}`} />}
      <Stripes tasks={tasks} />
      <div className="node-body">
        <div className="node-row node-title">
          <span className="node-id" title={info.id}>{info.label ?? info.id}</span>
          {full && <span className="node-type">{info.type}</span>}
        </div>
        {full && <div className="node-row node-settings" title={info.settings}>{info.settings || (info.kind === 'input' ? 'input' : '\u00a0')}</div>}
        {look !== 'names' && <div className="node-row node-meta">
          <span className="node-shape" title="Output shape (without the batch dimension)">{info.shape ? `→ ${formatShape(info.shape)}` : '→ ?'}</span>
          {look !== 'brief' && <span className="node-params" title="Parameters">{info.params === undefined ? '? params' : info.params === 0 ? 'no params' : plural(info.params, 'param')}</span>}
        </div>}
        {look !== 'names' && <div className="node-row node-tags">
          {info.shared ? <SharingBadge info={info} brief={look === 'brief'} />
            : single ? <span className="task-chip"><span className="dot" style={{ background: single.color }} />{single.id}</span>
              : <span className="unused-note">feeds no task</span>}
          {info.headOf.length > 0 && <span className="head-note" title={`Output of ${info.headOf.join(', ')}`}>head</span>}
          <ProblemBadge problems={problems} />
        </div>}
      </div>
      <Handle type="source" position={SIDES[direction].out} aria-label={`Output of ${info.id}`} />
    </div>
  );
});

export const TaskCard = memo(function TaskCard({ data, selected }: NodeProps<TaskNode>) {
  const { task, problems, hasHead } = data;
  const look = useCardLook();
  const far = look === 'far';
  const direction = useContext(FlowDirection);
  const severity = problems.some((p) => p.severity === 'error') ? 'error' : problems.length ? 'warning' : '';
  const detail = [task.kind, task.kind === 'multiclass' && task.classes ? `${task.classes} classes` : ''].filter(Boolean).join(' · ');
  const classes = ['mts-task', severity, selected ? 'selected' : '', hasHead ? '' : 'no-head', look === 'full' ? '' : look].filter(Boolean).join(' ');
  const label = describeTask(task, hasHead);
  if (far) return <div className={classes} style={{ ['--task-color' as string]: task.color }} aria-label={label} title={label}>{TARGET_MARK[direction]}</div>;
  const handle = <Handle type="target" position={SIDES[direction].into} aria-label={`Head of task ${task.id}`} />;
  if (look === 'bare') return <div className={classes} style={{ ['--task-color' as string]: task.color }} aria-label={label} title={label}>{handle}</div>;
  return (
    <div className={classes} style={{ ['--task-color' as string]: task.color }} aria-label={label} title={look === 'names' ? label : undefined}>
      {handle}
      <div className="node-row node-title"><span className="task-name"><span className="dot" />{task.id}</span>{look === 'full' ? <span className="node-type">task</span> : look !== 'names' && <ProblemBadge problems={problems} />}</div>
      {/* Compact: the kind alone ("multiclass · 10 classes", "target readmitted" are wider than the card in 16 px
          type; the target is in the tooltip and the Tasks tab), and the dashed border says a head is missing. */}
      {look !== 'names' && <div className="node-row node-settings" title={look === 'full' ? undefined : `${detail}${task.target ? `, target ${task.target}` : ''}`}>{look === 'full' ? detail : task.kind}</div>}
      {look === 'full' && <>
        <div className="node-row node-meta">
          <span title="Target column">{task.target ? `target ${task.target}` : 'no target'}</span>
          <ProblemBadge problems={problems} />
        </div>
        {!hasHead && <div className="node-row hint">connect a head here</div>}
      </>}
    </div>
  );
});

/** What a screen reader says for a task card. */
export function describeTask(task: TaskInfo, hasHead: boolean): string {
  const detail = [task.kind, task.kind === 'multiclass' && task.classes ? `${task.classes} classes` : ''].filter(Boolean).join(' · ');
  return `Task ${task.id}, ${detail}${task.target ? `, target ${task.target}` : ''}${hasHead ? `, head ${task.output}` : ', no head connected'}`;
}

const groupKind = (box: GroupBox): string => (box.group.tasks.length >= 2 ? 'shared' : box.group.tasks.length === 1 ? 'branch' : 'unused');

/** `colors`: the colours of the group's tasks (a gradient bar for shared groups, a tint for a branch). */
export function GroupBoxView({ box, colors }: { box: GroupBox; colors: string[] }) {
  const bar = colors.length > 1 ? `linear-gradient(90deg, ${colors.map((c, i) => `${c} ${(i / colors.length) * 100}% ${((i + 1) / colors.length) * 100}%`).join(', ')})` : colors[0];
  return (
    <div className={`mts-group ${groupKind(box)}`} aria-hidden="true"
      style={{ transform: `translate(${box.x}px, ${box.y}px)`, width: box.width, height: box.height, ['--task-color' as string]: colors[0] ?? 'transparent', ['--group-bar' as string]: bar ?? 'transparent' }} />
  );
}

/**
 * A group's name, drawn above the edges on the box's own colour (GroupBoxView sits behind
 * them): read top to bottom, an edge enters a branch at its top centre, and through the
 * letters of any name longer than half the box ("readmitted branch"). On compact cards the
 * short label in their larger type, a branch's kept to the left half of its box, clear of
 * that edge's arrowhead.
 */
export function GroupLabelView({ box, color }: { box: GroupBox; color: string | undefined }) {
  const look = useCardLook();
  // Zoomed out like the cards (or framed with their names alone, whose type would not fit the box's
  // top padding), the box's colours say the group; its name would be a few pixels high.
  if (look === 'far' || look === 'bare' || look === 'names') return null;
  const compact = look === 'compact' || look === 'brief';
  const room = box.group.tasks.length === 1 ? box.width / 2 - 16 : box.width - 16;
  return (
    <div className={`group-label ${groupKind(box)}${compact ? ` ${look}` : ''}`} aria-hidden="true"
      style={{ transform: `translate(${box.x}px, ${box.y}px)`, ['--task-color' as string]: color ?? 'transparent', ...(compact ? { maxWidth: room } : {}) }}>
      {compact ? box.group.shortLabel : box.group.label}
    </div>
  );
}

export const NODE_TYPES = { layer: LayerCard, task: TaskCard };
