// "Connect output to…": the keyboard's way to draw an edge. The selected node's output goes
// into a layer (or becomes a task's head) picked from a list, the same edit as dragging from
// its handle on the canvas. A disclosure button and a list of buttons, so Tab, the arrow keys,
// Enter and Escape all work, and a screen reader reads each choice. The canvas opens it with
// C (CONNECT_BUTTON_ID).
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useDesigner } from './context';
import type { NodeInfo } from './model';
import { connect, isMergeType } from './operations';

export const CONNECT_BUTTON_ID = 'connect-to';

interface Choice { label: string; detail: string; target: { layer: string } | { task: string } }

/** Where `info`'s output may go: layers that do not feed it already (no cycle) and do not read it yet, and the tasks it is not the head of. */
export function connectChoices(model: ReturnType<typeof useDesigner>['model'], info: NodeInfo): Choice[] {
  const upstream = new Set<string>();
  const stack = [info.id];
  while (stack.length) {
    const id = stack.pop()!;
    if (upstream.has(id)) continue;
    upstream.add(id);
    stack.push(...(model.nodeById.get(id)?.from ?? []));
  }
  const layers = model.nodes.filter((n) => n.kind === 'layer' && !upstream.has(n.id) && !n.from.includes(info.id)).map((n): Choice => ({
    label: n.id, target: { layer: n.id },
    detail: `${n.type}${n.from.length === 0 ? ', no input yet' : isMergeType(n.type) ? `, adds to ${n.from.join(', ')}` : `, instead of ${n.from[0]}`}`,
  }));
  const tasks = info.kind === 'layer' ? model.tasks.filter((t) => t.index >= 0 && t.output !== info.id).map((t): Choice => ({
    label: `head of task ${t.id}`, target: { task: t.id }, detail: t.output ? `instead of ${t.output}` : 'no head yet',
  })) : [];
  return [...layers, ...tasks];
}

export function ConnectTo({ info }: { info: NodeInfo }) {
  const d = useDesigner();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const choices = connectChoices(d.model, info);
  useEffect(() => { if (open) list.current?.querySelector<HTMLButtonElement>('button')?.focus(); }, [open]);
  if (d.readOnly || choices.length === 0) return null;

  const close = (): void => { setOpen(false); button.current?.focus(); };
  const pick = (c: Choice): void => { d.edit(connect(d.model.doc, info.id, c.target)); close(); };
  const onKey = (e: KeyboardEvent): void => {
    const items = [...(list.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = e.key === 'ArrowDown' ? items[(at + 1) % items.length] : e.key === 'ArrowUp' ? items[(at + items.length - 1) % items.length]
      : e.key === 'Home' ? items[0] : e.key === 'End' ? items[items.length - 1] : undefined;
    if (next) { e.preventDefault(); next.focus(); } else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); }
  };
  return (
    <div className="field wide connect-to">
      <button ref={button} id={CONNECT_BUTTON_ID} type="button" className="connect-toggle" aria-expanded={open} aria-controls="connect-to-list"
        title="Connect this node's output to another layer or a task, without dragging (C on the canvas)" onClick={() => setOpen((o) => !o)}>
        Connect output to… <span className="muted" aria-hidden="true">(C)</span>
      </button>
      {open && (
        <ul ref={list} id="connect-to-list" className="connect-list" aria-label={`Connect ${info.id}'s output to`} onKeyDown={onKey}>
          {choices.map((c) => (
            <li key={JSON.stringify(c.target)}>
              <button type="button" onClick={() => pick(c)}><b>{c.label}</b> <span className="muted">{c.detail}</span></button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
