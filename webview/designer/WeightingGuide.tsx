// Every task-weighting method side by side, by family, each with its one line and its paper,
// under the Method dropdown. The dropdown names the methods only, so a newcomer had to choose
// each in turn to read what it does; here they are compared, and one is chosen with a click
// or the keyboard (a button each, the same edit as the dropdown's).
import { WEIGHTING_METHODS } from '../../src/core/weighting/registry';
import type { WeightingFamily } from '../../src/core/weighting/method';

/** Each family's heading and what it means for the training step, in the order listed. */
const FAMILIES: ReadonlyArray<{ family: WeightingFamily; title: string; help: string }> = [
  { family: 'loss', title: 'Loss weighting', help: 'The step follows a weighted sum of the task losses (one backward pass); the weights are fixed, learned, random or set from the losses\' history.' },
  { family: 'gradient', title: 'Gradient combination', help: 'Each task\'s gradient on the shared layers (a backward pass per task) is combined into one direction, where conflicts between tasks can be weighed. Slower per step.' },
];

export function WeightingGuide(p: { current: string; disabled: boolean; onChoose: (id: string) => void }) {
  return (
    <details className="weighting-guide">
      <summary>Compare all {WEIGHTING_METHODS.length} methods</summary>
      {FAMILIES.map((f) => (
        <section key={f.family} className="weighting-family" data-family={f.family} aria-label={f.title}>
          <h4>{f.title}</h4>
          <p className="weighting-family-help">{f.help}</p>
          <ul>
            {WEIGHTING_METHODS.filter((m) => m.description.family === f.family).map(({ description: m }) => (
              <li key={m.id}>
                <button type="button" className="weighting-choice" data-method={m.id} aria-pressed={m.id === p.current} disabled={p.disabled}
                  onClick={() => { if (m.id !== p.current) p.onChoose(m.id); }}>
                  <span className="weighting-title">{m.title}{m.id === p.current ? <span className="weighting-current"> · chosen</span> : null}</span>
                  <span className="weighting-summary">{m.summary}</span>
                  <span className="weighting-paper">{m.paper}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </details>
  );
}
