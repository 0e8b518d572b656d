// The selected card's "✎ Edit <id>" while the inspector is collapsed (a narrow designer): beside
// the card, not over it, on the side and end that keep it inside the canvas. Always above the card
// (left to right) or at its right (top to bottom), it went past the canvas' edge for a card there.
import { NodeToolbar, Position, useStore, type ReactFlowState } from '@xyflow/react';
import { parseNodeId } from '../../src/core/nodeIds';
import { sizeOf, type Direction, type Size } from './layout';
import { screenRect, type ScreenRect } from './viewport';

/** The gap between the card and the button, and the room the button needs across it (one line of the toolbar's button, with the gap). */
const OFFSET = 8;
const ROOM = 40;

export interface EditPlace { position: Position; align: 'start' | 'end' }

/**
 * Where the button goes for a card drawn at `card` in a canvas of `canvas` size: left to right
 * above it (edges run through its left and right middles), below it where the canvas has no room
 * above; top to bottom at its right, at its left where the card lies in the canvas' right half.
 * Along that side it starts at the card's start, or ends at its end where the card lies in the
 * canvas' far half (a button wider than the card then stays inside too).
 */
export function editPlace(card: ScreenRect, canvas: Size, direction: Direction): EditPlace {
  const midX = (card.left + card.right) / 2, midY = (card.top + card.bottom) / 2;
  if (direction === 'TB') return { position: midX > canvas.width / 2 ? Position.Left : Position.Right, align: midY > canvas.height / 2 ? 'end' : 'start' };
  return { position: card.top >= ROOM ? Position.Top : Position.Bottom, align: midX > canvas.width / 2 ? 'end' : 'start' };
}

export function EditButton(p: { id: string; direction: Direction; onEdit(id: string): void }) {
  const { id, direction } = p;
  // Re-renders only when the place changes, not on every frame of a pan.
  const place = useStore((s: ReactFlowState) => {
    const at = s.nodeLookup.get(id)?.internals.positionAbsolute;
    if (!at) return `${Position.Top} start`;
    const v = { x: s.transform[0], y: s.transform[1], zoom: s.transform[2] };
    const { position, align } = editPlace(screenRect(at, sizeOf(id), v), { width: s.width, height: s.height }, direction);
    return `${position} ${align}`;
  });
  const [position, align] = place.split(' ') as [Position, 'start' | 'end'];
  const ref = parseNodeId(id);
  const name = ref.kind === 'task' ? ref.task : ref.id;
  return (
    <NodeToolbar nodeId={id} isVisible position={position} align={align} offset={OFFSET}>
      <button type="button" className="edit-node" onClick={() => p.onEdit(id)} title={`Show the settings of ${name} in the inspector (Enter on the selected card, or double-click it)`}>
        <span aria-hidden="true">✎</span> Edit {name}
      </button>
    </NodeToolbar>
  );
}
