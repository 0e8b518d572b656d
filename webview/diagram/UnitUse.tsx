// The legend and counts of the units drawn on the diagram: what a colour means, the threshold
// that makes a unit "used", and per shared layer how many units each set of tasks uses.
import { describeUnitUse, UNIT_USE_SHARE, unitUsersLabel, type UnitReliance } from '../../src/core/explain';
import { sharedFill, taskColorVar } from '../../src/core/taskColors';
import { usedKeys, type LayerUnits } from './unitCells';

export function UnitUse({ reliance, units, tasks }: { reliance: readonly UnitReliance[]; units: ReadonlyMap<string, LayerUnits>; tasks: readonly string[] }) {
  const pct = Math.round(100 * UNIT_USE_SHARE);
  const color = (t: string) => taskColorVar(Math.max(0, tasks.indexOf(t)));
  return (
    <section className="unit-use" aria-label="Shared units by the tasks that rely on them">
      <h3>Shared units: which tasks rely on them</h3>
      <p className="hint">
        Each small square under a shared layer is one of its units. A task uses a unit when the mean |∂loss/∂unit| over the test rows (up to 2,000) is at least {pct} % of
        the largest for that task in the layer.
      </p>
      <p className="legend">
        {usedKeys(units.values(), tasks).map((key) => {
          const users = key === 'none' ? [] : key.split('+');
          return (
            <span key={key} data-users={key}>
              <span className={users.length ? 'chip' : 'chip none'} style={users.length ? { background: sharedFill(users.map(color), 2) } : undefined} />
              {' '}{unitUsersLabel(users, tasks.length)}
            </span>
          );
        })}
      </p>
      <ul className="unit-counts">
        {reliance.map((r) => <li key={r.layer} data-layer={r.layer}>{describeUnitUse(r)}</li>)}
      </ul>
    </section>
  );
}
