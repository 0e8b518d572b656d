// The toolbar's "Fit view" button. Where the canvas is too small for the minimap (a 900 px
// editor opens the digits example with its task cards below the fold), it also says where the
// rest of the graph is ("↓ More below · Fit view", one arrow): without that nothing told a newcomer there
// was more. It says so in the toolbar, never on the canvas, where it covered the cards that
// continue past the canvas' bottom edge.
import { useStore, type ReactFlowState } from '@xyflow/react';
import { Button } from '../ui';
import { hiddenSides, minimapFor, type Bounds, type Side } from './viewport';

const SIDE_TEXT: Record<Side, { arrow: string; words: string }> = {
  above: { arrow: '↑', words: 'above' }, below: { arrow: '↓', words: 'below' }, left: { arrow: '←', words: 'left' }, right: { arrow: '→', words: 'right' },
};

const FIT_TITLE = 'Fit the whole graph in view (F)';

export function FitViewButton(p: { bounds: Bounds | undefined; onFit(): void }) {
  // Re-renders only when the hidden sides change, not on every pan.
  const sides = useStore((s: ReactFlowState) => {
    const canvas = { width: s.width, height: s.height };
    if (!p.bounds || canvas.width === 0 || canvas.height === 0 || minimapFor(canvas) !== 'none') return '';
    return hiddenSides(p.bounds, { x: s.transform[0], y: s.transform[1], zoom: s.transform[2] }, canvas).join(' ');
  });
  // One button either way (the same element, so "Fit view" is found by its text in both states).
  if (!sides) return <Button appearance="secondary" onClick={p.onFit} title={FIT_TITLE}>Fit view</Button>;
  const list = (sides.split(' ') as Side[]).map((side) => SIDE_TEXT[side]);
  const words = list.map((t) => t.words);
  // "above, below and right", not "above and below and right".
  const where = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words[0];
  return (
    <Button appearance="secondary" className="out-of-view-hint" onClick={p.onFit} title={FIT_TITLE}>
      {/* One arrow, the first side's: two in a row ("↓→") drew the second over "More" in the fallback font. */}
      <span aria-hidden="true">{list[0]!.arrow}</span> More {where} · Fit view
    </Button>
  );
}
