// The block diagram in words, for a screen reader (the SVG's description; its text is drawn,
// not read): each block, what it holds and serves, its parameters, and the blocks it feeds.
// Built from the same strings the diagram draws. Pure: no DOM.
import { blockFooter } from '../../src/core/blockFooter';
import type { SharingDiagram } from '../../src/core/sharingBlocks';
import { blockLines, blockTitle } from './layout';

export function diagramSentences(d: SharingDiagram): string[] {
  const title = new Map(d.blocks.map((b) => [b.key, blockTitle(b, d.tasks.length)]));
  return d.blocks.map((b) => {
    const lines = blockLines(b).map((l) => (l.right ? `${l.left}, ${l.right} params` : l.left)).join('; ');
    const footer = blockFooter(b, d);
    const feeds = d.edges.filter(([from]) => from === b.key).map(([, to]) => title.get(to) ?? to);
    return `${title.get(b.key)}: ${lines}${footer ? ` (${footer})` : ''}${feeds.length ? `; feeds ${feeds.join(', ')}` : ''}.`;
  });
}
