// What each task gets of the sharing blocks (core/sharingBlocks parts: experts shared, a gate
// or a column per task), and for a trained run each gated block's mean gate weights per task
// and expert as a heatmap (summary.json gates). Colours: theme variables and core/gateShade.
import { GATE_HUE, gateOpacity, gateTextLight } from '../../src/core/gateShade';
import type { GateMeans } from '../../src/core/protocol';
import type { SharingDiagram } from '../../src/core/sharingBlocks';
import { sharedFill, taskColorVar } from '../../src/core/taskColors';

const int = (n: number) => n.toLocaleString('en-US');

export function BlockParts({ diagram }: { diagram: SharingDiagram }) {
  const layers = diagram.blocks.flatMap((b) => b.layers).filter((l) => l.parts?.length);
  if (!layers.length) return null;
  const chip = (tasks: string[]) => {
    const colors = tasks.map((t) => taskColorVar(Math.max(0, diagram.tasks.indexOf(t))));
    return <span className="chip" style={{ background: colors.length > 1 ? sharedFill(colors, 3) : colors[0] }} />;
  };
  return (
    <section className="block-parts" aria-label="What each task gets of the sharing blocks">
      <h3>Sharing blocks: what each task gets</h3>
      <table>
        <thead><tr><th>Layer</th><th>Part</th><th>Serves</th><th className="num">Parameters</th></tr></thead>
        <tbody>
          {layers.flatMap((l) => l.parts!.map((p, i) => (
            <tr key={`${l.id}:${i}`}>
              <td>{i === 0 ? <><b>{l.id}</b> <span className="muted">{l.type}</span></> : null}</td>
              <td>{p.label}</td>
              <td>{chip(p.tasks)} {p.tasks.length > 1 ? `shared: ${p.tasks.join(', ')}` : p.tasks[0] ?? 'unused'}</td>
              <td className="num">{int(p.params)}</td>
            </tr>
          )))}
        </tbody>
      </table>
    </section>
  );
}

export function GateHeatmaps({ gates }: { gates: GateMeans[] }) {
  return (
    <section className="gates" aria-label="Gate weights">
      <h3>Gates</h3>
      <p className="hint">Mean softmax gate weight each task gives each expert on the test rows (each row sums to 1).</p>
      {gates.map((g) => (
        <table key={g.layer} className="gate-heatmap" aria-label={`Gates of ${g.layer}`}>
          <caption>{g.layer} · {g.rows} test rows</caption>
          <thead><tr><th />{g.experts.map((e) => <th key={e}>{e}</th>)}</tr></thead>
          <tbody>
            {g.weights.map((row, i) => (
              <tr key={g.columns[i]}>
                <th scope="row">{g.columns[i]}</th>
                {row.map((w, j) => (
                  <td key={j} className={gateTextLight(w) ? 'dark' : ''}
                    style={{ background: `color-mix(in srgb, ${GATE_HUE} ${Math.round(100 * gateOpacity(w))}%, var(--vscode-editor-background))` }}>
                    {w.toFixed(2)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}
