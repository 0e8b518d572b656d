// The palette: one entry per layer type (and inputs). Click adds the layer after the
// selected node; dragging it onto the canvas adds it where it is dropped. For the keyboard it
// is one Tab stop, the arrow keys going from entry to entry (a roving tabindex): Tab went
// through all 19 entries between the toolbar and the graph.
import { useState, type KeyboardEvent } from 'react';
import { LAYER_SCHEMAS, LAYER_TYPES } from '../../src/core/experimentSchema';
import type { LayerType } from '../../src/core/spec';
import { useDesigner } from './context';
import { addInput, addLayer } from './operations';

export const PALETTE_MIME = 'application/x-mts-layer';

/** `batchNormalization` as `batch`, `Normalization`: a narrow palette wraps a long type at its humps, never cuts it. */
function wrappable(type: string) {
  return type.split(/(?=[A-Z])/).flatMap((part, i) => (i > 0 ? [<wbr key={i} />, part] : [part]));
}

const SECTIONS: Array<{ title: string; types: Array<LayerType | 'input'> }> = [
  { title: 'Inputs', types: ['input'] },
  { title: 'Core', types: ['dense', 'dropout', 'batchNormalization', 'flatten', 'reshape'] },
  { title: 'Image', types: ['conv2d', 'maxPooling2d', 'averagePooling2d'] },
  { title: 'Sequence', types: ['embedding', 'lstm', 'gru'] },
  { title: 'Merge', types: ['concatenate', 'add'] },
  { title: 'Sharing', types: ['mmoe', 'ple', 'parallelDense', 'crossStitch', 'select'] },
];

export function Palette(p: { selected: string[]; selectWhenReady(ids: string[]): void }) {
  const d = useDesigner();
  const after = p.selected.length === 1 && d.model.nodeById.has(p.selected[0]!) ? p.selected[0] : undefined;
  const add = (type: LayerType | 'input'): void => {
    if (d.readOnly) return;
    const e = type === 'input' ? addInput(d.model.doc) : addLayer(d.model.doc, type, after ? [after] : []);
    d.edit(e);
    p.selectWhenReady([e.id]);
  };
  const known = new Set<string>(LAYER_TYPES);
  const entries: string[] = SECTIONS.flatMap((s) => s.types.filter((t) => t === 'input' || known.has(t)));
  // The entry Tab lands on: the last one reached.
  const [current, setCurrent] = useState<string>(entries[0]!);
  const onKeyDown = (e: KeyboardEvent): void => {
    const i = entries.indexOf((e.target as HTMLElement).dataset.type ?? '');
    if (i < 0) return;
    const next = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1, Home: 0, End: entries.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const type = entries[(next + entries.length) % entries.length]!;
    setCurrent(type);
    e.currentTarget.querySelector<HTMLElement>(`.palette-item[data-type="${type}"]`)?.focus();
  };
  return (
    <nav className="palette" id="palette" aria-label="Layer palette: the arrow keys go from layer type to layer type, Enter adds one" onKeyDown={onKeyDown}>
      <div className="panel-title">Add</div>
      <p className="palette-hint">{after ? <>Click adds after <b>{after}</b>; or drag onto the canvas.</> : 'Click to add, or drag onto the canvas.'}</p>
      {SECTIONS.map((s) => (
        <section key={s.title}>
          <h3>{s.title}</h3>
          {s.types.filter((t) => t === 'input' || known.has(t)).map((t) => (
            <button key={t} type="button" className="palette-item" data-type={t} tabIndex={t === current ? 0 : -1} onFocus={() => setCurrent(t)}
              draggable={!d.readOnly} disabled={d.readOnly}
              title={`${t}: ${t === 'input' ? 'A model input' : LAYER_SCHEMAS[t].description}`}
              onClick={() => add(t)}
              onDragStart={(e) => { e.dataTransfer.setData(PALETTE_MIME, t); e.dataTransfer.effectAllowed = 'copy'; }}>
              {wrappable(t)}
            </button>
          ))}
        </section>
      ))}
    </nav>
  );
}
