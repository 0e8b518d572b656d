// The block diagram: inputs → shared trunk → one branch per task, each block with its
// layers, shapes, parameter counts and its share of the model. SVG coloured through theme
// variables (each block's --c from blockColors, core/taskColors), so it follows the theme.
// For a trained run, each shared layer's units under its line, coloured by the tasks that rely
// on them (unitCells.ts).
import { UNIT_USE_SHARE } from '../../src/core/explain';
import type { SharingDiagram } from '../../src/core/sharingBlocks';
import { taskColorVar } from '../../src/core/taskColors';
import { useId } from 'react';
import { blockColors } from './blockColors';
import { diagramSentences } from './diagramText';
import { blockFooter } from '../../src/core/blockFooter';
import { blockLines, blockTitle, layoutDiagram, METRICS, UNIT_CELL, type UnitGrid } from './layout';
import { patternId, sharedKeys, unitFill, unitOrder, type LayerUnits } from './unitCells';

const BAR = 5;

function UnitCells({ grid, units, tasks, x }: { grid: UnitGrid; units: LayerUnits; tasks: readonly string[]; x: number }) {
  const pitch = grid.size + UNIT_CELL.gap;
  const pct = Math.round(100 * UNIT_USE_SHARE);
  // Sorted by who uses them (as the legend and counts read): each set of tasks is one run of cells.
  const order = unitOrder(units.users, tasks);
  return (
    <g className="units" data-layer={units.layer} aria-label={`Units of ${units.layer} by the tasks that rely on them`}>
      {order.map((u, k) => {
        const users = units.users[u]!;
        const fill = unitFill(users, tasks);
        return (
          <rect key={u} x={x + (k % grid.cols) * pitch} y={grid.top + Math.floor(k / grid.cols) * pitch} width={grid.size} height={grid.size}
            className={fill ? 'unit' : 'unit none'} style={fill ? { fill } : undefined} data-users={users.join('+') || 'none'}>
            <title>{`${units.layer} unit ${u}: ${users.length ? `used by ${users.join(', ')}` : 'used by no task'} (reliance ≥ ${pct} % of the task's largest in the layer)`}</title>
          </rect>
        );
      })}
    </g>
  );
}

export function BlockDiagram({ diagram, selectedLayer, onSelectLayer, units }: {
  diagram: SharingDiagram; selectedLayer?: string; onSelectLayer?: (layer: string) => void;
  /** A trained run's shared units with the tasks that use each (unitCells.ts). */
  units?: ReadonlyMap<string, LayerUnits>;
}) {
  const layout = layoutDiagram(diagram, (layer) => units?.get(layer)?.users.length);
  const m = METRICS;
  const pad = 8;
  const described = useId();
  return (<>
    {/* Shrinks to the panel's width down to 70 %, then scrolls (text stays readable). */}
    <svg className="blocks" width={layout.width + 2 * pad} height={layout.height + 2 * pad}
      style={{ minWidth: `${Math.round(0.7 * (layout.width + 2 * pad))}px` }}
      viewBox={`${-pad} ${-pad} ${layout.width + 2 * pad} ${layout.height + 2 * pad}`} role="img"
      aria-label={`Shared-weight diagram of ${diagram.name}`} aria-describedby={described}>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="arrow-head" />
        </marker>
        {units ? sharedKeys(units.values()).map((key) => {
          const colors = key.split('+').map((t) => taskColorVar(Math.max(0, diagram.tasks.indexOf(t))));
          const band = 2;
          return (
            <pattern key={key} id={patternId(key)} width={band * colors.length} height={band * colors.length} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              {colors.map((c, k) => <rect key={k} x={k * band} width={band} height={band * colors.length} style={{ fill: c }} />)}
            </pattern>
          );
        }) : null}
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
              const { top, grid } = p.lines[i]!;
              const cells = grid && units?.get(layer.id);
              return (
                <g key={layer.id} className={`line${selected ? ' selected' : ''}${onSelectLayer && b.kind !== 'input' ? ' clickable' : ''}`}
                  onClick={() => { if (b.kind !== 'input') onSelectLayer?.(layer.id); }}>
                  {selected ? <rect x={3} y={top - 2} width={p.width - 6} height={m.line} rx={3} className="highlight" /> : null}
                  <text x={m.padX} y={top + 11} className="mono">{l.left}</text>
                  <text x={p.width - m.padX} y={top + 11} className="mono" textAnchor="end">{l.right}</text>
                  {grid && cells ? <UnitCells grid={grid} units={cells} tasks={diagram.tasks} x={m.padX} /> : null}
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
    {/* Its blocks in words: the description of the picture, and a list to move through. */}
    <ul id={described} className="sr-only">{diagramSentences(diagram).map((t) => <li key={t}>{t}</li>)}</ul>
  </>);
}
