// The legend and counts of the units drawn on the diagram: what a colour means, the threshold
// that makes a unit "used", and per shared layer how many units each set of tasks uses.
import { describeUnitUse, UNIT_USE_SHARE, type UnitReliance } from '../../src/core/explain';
import { sharedFill, taskColorVar } from '../../src/core/taskColors';

export function UnitUse({ reliance, tasks }: { reliance: readonly UnitReliance[]; tasks: readonly string[] }) {
  const pct = Math.round(100 * UNIT_USE_SHARE);
  return (
    <section className="unit-use" aria-label="Shared units by the tasks that rely on them">
      <h3>Shared units: which tasks rely on them</h3>
      <p className="hint">
        Each small square under a shared layer is one of its units. A task uses a unit when the mean |∂loss/∂unit| over the test rows (up to 2,000) is at least {pct} % of
        the largest for that task in the layer.
      </p>
      <p className="legend">
        {tasks.map((t, i) => <span key={t}><span className="chip" style={{ background: taskColorVar(i) }} /> {t} only </span>)}
        <span><span className="chip" style={{ background: sharedFill(tasks.map((_, i) => taskColorVar(i)), 2) }} /> {tasks.length === 2 ? 'both' : 'several'} </span>
        <span><span className="chip none" /> none</span>
      </p>
      <ul className="unit-counts">
        {reliance.map((r) => <li key={r.layer} data-layer={r.layer}>{describeUnitUse(r)}</li>)}
      </ul>
    </section>
  );
}
