// The block diagram: inputs → shared trunk → one branch per task, each block with its
// layers, shapes, parameter counts and its share of the model. SVG coloured through theme
// variables (each block's --c from blockColors, core/taskColors), so it follows the theme.
import type { SharingDiagram } from '../../src/core/sharingBlocks';
import { blockColors } from './blockColors';
import { blockFooter, blockLines, blockTitle, layoutDiagram, METRICS } from './layout';

const BAR = 5;

export function BlockDiagram({ diagram, selectedLayer, onSelectLayer }: {
  diagram: SharingDiagram; selectedLayer?: string; onSelectLayer?: (layer: string) => void;
}) {
  const layout = layoutDiagram(diagram);
  const m = METRICS;
  const pad = 8;
  return (
    // Shrinks to the panel's width down to 70 %, then scrolls (text stays readable).
    <svg className="blocks" width={layout.width + 2 * pad} height={layout.height + 2 * pad}
      style={{ minWidth: `${Math.round(0.7 * (layout.width + 2 * pad))}px` }}
      viewBox={`${-pad} ${-pad} ${layout.width + 2 * pad} ${layout.height + 2 * pad}`} role="img"
      aria-label={`Shared-weight diagram of ${diagram.name}`}>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="arrow-head" />
        </marker>
      </defs>
      {layout.edges.map((e) => <path key={`${e.from.block.key}>${e.to.block.key}`} d={e.path} className="edge" markerEnd="url(#arrow)" />)}
      {layout.blocks.map((p, i) => {
        const b = p.block;
        const lines = blockLines(b);
        const colors = blockColors(b, diagram.tasks);
        const clip = `clip-${i}`;
        return (
          <g key={b.key} className={`block ${b.kind}`} style={{ ['--c' as string]: colors.main }} transform={`translate(${p.x},${p.y})`}>
            <rect width={p.width} height={p.height} rx={6} />
            {b.kind === 'shared' ? (
              // Its tasks' colours along the top, as on the designer's shared group.
              <g className="task-bar" clipPath={`url(#${clip})`}>
                <clipPath id={clip}><rect width={p.width} height={p.height} rx={6} /></clipPath>
                {colors.tasks.map((c, k) => <rect key={k} x={(k * p.width) / colors.tasks.length} width={p.width / colors.tasks.length} height={BAR} style={{ fill: c }} />)}
              </g>
            ) : null}
            <text x={m.padX} y={17} className="title">{blockTitle(b, diagram.tasks.length)}</text>
            {lines.map((l, i) => {
              const layer = b.layers[i]!;
              const selected = layer.id === selectedLayer;
              return (
                <g key={layer.id} className={`line${selected ? ' selected' : ''}${onSelectLayer && b.kind !== 'input' ? ' clickable' : ''}`}
                  onClick={() => { if (b.kind !== 'input') onSelectLayer?.(layer.id); }}>
                  {selected ? <rect x={3} y={m.header + i * m.line - 2} width={p.width - 6} height={m.line} rx={3} className="highlight" /> : null}
                  <text x={m.padX} y={m.header + i * m.line + 11} className="mono">{l.left}</text>
                  <text x={p.width - m.padX} y={m.header + i * m.line + 11} className="mono" textAnchor="end">{l.right}</text>
                </g>
              );
            })}
            {b.kind !== 'input' ? (
              <text x={p.width - m.padX} y={p.height - 8} textAnchor="end" className="footer">
                {blockFooter(b, diagram)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
