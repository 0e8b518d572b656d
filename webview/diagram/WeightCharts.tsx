// Trained weights: the L2 norm of each layer (bars, coloured like its block), and for the
// chosen weight tensor a heatmap (canvas, diverging colour scale around 0) and a histogram.
import { useEffect, useRef } from 'react';
import type { Heatmap, Histogram, LayerWeightStats, WeightDetail } from '../../src/core/panelProtocol';
import { formatMetric } from '../../src/core/runsIndex';
import { cssVar } from '../ui/themeColors';

const int = (n: number) => n.toLocaleString('en-US');

/** The tensor to show when a layer is chosen: its kernel (first tensor with 2+ dimensions), else its first. */
export function defaultWeight(layer: LayerWeightStats): string | undefined {
  return (layer.weights.find((w) => w.shape.length >= 2) ?? layer.weights[0])?.name;
}

export function NormBars({ layers, fillOf, selectedLayer, onSelect }: {
  layers: LayerWeightStats[]; fillOf: (layer: string) => string; selectedLayer?: string; onSelect: (layer: string) => void;
}) {
  const max = Math.max(...layers.map((l) => l.l2), 1e-12);
  return (
    <div className="bars" role="list" aria-label="L2 norm per layer">
      {layers.map((l) => {
        const rms = l.count ? l.l2 / Math.sqrt(l.count) : 0;
        return (
          <button key={l.layer} type="button" role="listitem" data-weight={defaultWeight(l)}
            className={`bar-row${l.layer === selectedLayer ? ' selected' : ''}`} onClick={() => onSelect(l.layer)}
            title={`${l.layer}: L2 ${formatMetric(l.l2)}, RMS ${formatMetric(rms)} over ${int(l.count)} weights`}>
            <span className="bar-label">{l.layer}</span>
            <span className="bar-track"><span className="bar-fill" style={{ width: `${(100 * l.l2) / max}%`, background: fillOf(l.layer) }} /></span>
            <span className="bar-value">{formatMetric(l.l2)}</span>
            <span className="bar-extra">RMS {formatMetric(rms)} · {int(l.count)}</span>
          </button>
        );
      })}
    </div>
  );
}

/** Diverging scale: negative → charts-red, 0 → background, positive → charts-blue. */
function rgb(color: string): [number, number, number] {
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.fillStyle = color;
  const c = ctx.fillStyle; // normalised to #rrggbb or rgba()
  if (c.startsWith('#')) return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number];
  const parts = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0];
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

export function HeatmapCanvas({ map, themeVersion }: { map: Heatmap; themeVersion: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const neg = rgb(cssVar('--vscode-charts-red', '#f14c4c'));
    const pos = rgb(cssVar('--vscode-charts-blue', '#3794ff'));
    const zero = rgb(cssVar('--vscode-editor-background', '#1e1e1e'));
    canvas.width = map.cols;
    canvas.height = map.rows;
    const ctx = canvas.getContext('2d')!;
    const img = ctx.createImageData(map.cols, map.rows);
    const scale = map.maxAbs || 1;
    for (let i = 0; i < map.values.length; i++) {
      const t = Math.max(-1, Math.min(1, map.values[i]! / scale));
      const end = t < 0 ? neg : pos;
      const a = Math.sqrt(Math.abs(t)); // sqrt: small weights stay visible
      for (let c = 0; c < 3; c++) img.data[4 * i + c] = Math.round(zero[c]! + (end[c]! - zero[c]!) * a);
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [map, themeVersion]);
  // Cells stay square-ish but the picture fits the panel; pixelated so cells stay crisp.
  const aspect = map.rows / map.cols;
  return (
    <figure className="heatmap">
      <canvas ref={ref} style={{ width: '100%', maxWidth: `${Math.round(Math.min(380, Math.max(120, 300 / aspect)))}px`, aspectRatio: `${map.cols} / ${map.rows}` }}
        aria-label={`Heatmap of a ${map.sourceRows}×${map.sourceCols} weight matrix`} />
      <figcaption>
        rows: inputs ({int(map.sourceRows)}{map.rows < map.sourceRows ? `, ${map.rows} bands averaged` : ''}) · columns: units ({int(map.sourceCols)}{map.cols < map.sourceCols ? `, ${map.cols} bands` : ''})
        <span className="scale"><span className="neg">−{formatMetric(map.maxAbs)}</span><span className="ramp" /><span className="pos">+{formatMetric(map.maxAbs)}</span></span>
      </figcaption>
    </figure>
  );
}

export function HistogramChart({ h }: { h: Histogram }) {
  const width = 360, height = 150, pad = 4;
  const max = Math.max(...h.counts, 1);
  const bw = (width - 2 * pad) / h.counts.length;
  const zeroX = h.min < 0 && h.min + h.width * h.counts.length > 0 ? pad + ((0 - h.min) / h.width) * bw : undefined;
  return (
    <figure className="histogram">
      <svg width="100%" viewBox={`0 0 ${width} ${height + 18}`} role="img" aria-label="Histogram of the weights">
        {h.counts.map((c, i) => {
          const bh = (c / max) * (height - pad);
          return <rect key={i} x={pad + i * bw + 0.5} y={height - bh} width={Math.max(1, bw - 1)} height={bh} className="hist-bar"><title>{`${formatMetric(h.min + i * h.width)} … ${formatMetric(h.min + (i + 1) * h.width)}: ${c}`}</title></rect>;
        })}
        {zeroX !== undefined ? <line x1={zeroX} x2={zeroX} y1={0} y2={height} className="zero" /> : null}
        <line x1={pad} x2={width - pad} y1={height} y2={height} className="axis" />
        <text x={pad} y={height + 14} className="tick">{formatMetric(h.min)}</text>
        {zeroX !== undefined ? <text x={zeroX} y={height + 14} className="tick" textAnchor="middle">0</text> : null}
        <text x={width - pad} y={height + 14} className="tick" textAnchor="end">{formatMetric(h.min + h.width * h.counts.length)}</text>
      </svg>
    </figure>
  );
}

export function WeightDetailView({ detail, themeVersion }: { detail: WeightDetail; themeVersion: number }) {
  const s = detail.stats;
  return (
    <div className="detail">
      <p className="stats">
        <code>{detail.name}</code> · shape [{s.shape.join('×')}] · {int(s.count)} weights · mean {formatMetric(s.mean)} · std {formatMetric(s.std)} ·
        min {formatMetric(s.min)} · max {formatMetric(s.max)} · L2 {formatMetric(s.l2)}
      </p>
      <div className="detail-grid">
        {detail.heatmap ? <HeatmapCanvas map={detail.heatmap} themeVersion={themeVersion} /> : <p className="hint">A vector: no heatmap, see the histogram.</p>}
        <HistogramChart h={detail.histogram} />
      </div>
    </div>
  );
}
