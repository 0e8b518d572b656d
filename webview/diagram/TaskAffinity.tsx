// A run's task affinity (evaluation.taskAffinity, core/taskAffinity.ts): the mean lookahead
// matrix, the best grouping for each number of groups, and "Try this grouping", which asks the
// host to write the run's experiment regrouped (core/taskGrouping.ts) as a new file.
import { formatNumber } from '../../src/core/markup';
import type { TaskAffinitySummary } from '../../src/core/taskAffinity';
import { groupingText } from '../../src/core/taskGrouping';
import { Button } from '../ui/index';

// As the report prints them: affinities are often 1e-3 or smaller.
const fmt = (v: number) => (Number.isFinite(v) ? formatNumber(v) : '–');

/**
 * Cell shade: positive (helps) towards green, negative towards red, by |z| against the largest
 * off-diagonal |z|. At most 30 % of the colour: at 60 % the text on the largest read 2.5:1 in
 * Dark Modern; the number, not the shade, is what the cell says.
 */
function shade(v: number, max: number): string | undefined {
  if (!Number.isFinite(v) || max <= 0) return undefined;
  const share = Math.round(30 * Math.min(1, Math.abs(v) / max));
  return `color-mix(in srgb, ${v >= 0 ? 'var(--vscode-charts-green)' : 'var(--vscode-charts-red)'} ${share}%, var(--vscode-editor-background))`;
}

export function TaskAffinity({ affinity, onTry, status }: {
  affinity: TaskAffinitySummary; onTry: (groups: string[][]) => void;
  /** The host's answer to the last "Try this grouping". */
  status?: { file?: string; problem?: string };
}) {
  const a = affinity;
  const max = Math.max(0, ...a.matrix.flatMap((row, i) => row.filter((v, j) => i !== j && Number.isFinite(v)).map(Math.abs)));
  const best = a.groupings.length ? a.groupings.reduce((p, g) => (g.score > p.score ? g : p)) : undefined;
  return (
    <section className="affinity" aria-label="Task affinity">
      <h3>Task affinity</h3>
      <p className="hint">
        Z(i → j) = 1 − L<sub>j</sub>(after a step of the shared layers on task i) / L<sub>j</sub>(before), every {a.every} steps ({a.measurements} measurements),
        mean over training (Fifty et al. 2021). Positive: training task i helps task j.
      </p>
      <table className="affinity-matrix">
        <thead><tr><th>step on ↓ / loss of →</th>{a.tasks.map((t) => <th key={t}>{t}</th>)}</tr></thead>
        <tbody>
          {a.tasks.map((t, i) => (
            <tr key={t}>
              <th scope="row">{t}</th>
              {a.matrix[i]!.map((v, j) => (
                <td key={j} className={i === j ? 'self' : ''} style={i === j ? undefined : { background: shade(v, max) }}>{i === j ? `(${fmt(v)})` : fmt(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {a.groupings.length ? (
        <>
          <p className="hint">Best grouping for each number of groups (score: per task, the mean affinity onto it from its group's other tasks, summed). Trying one writes this run's experiment with one trunk per group as a new file beside the experiment, and opens it.</p>
          <ul className="groupings">
            {a.groupings.map((g) => (
              <li key={g.groups.length} className={g === best ? 'best' : ''}>
                <span className="grouping">{groupingText(g.groups)}</span>
                <span className="score">score {fmt(g.score)}{g === best ? ' · proposed' : ''}</span>
                <Button appearance={g === best ? 'primary' : 'secondary'} onClick={() => onTry(g.groups)}>Try this grouping</Button>
              </li>
            ))}
          </ul>
          {status?.file ? <p className="hint" role="status">Wrote {status.file} and opened it in the designer.</p> : null}
          {status?.problem ? <p className="problem" role="alert">{status.problem}</p> : null}
        </>
      ) : (
        <p className="hint">{a.tasks.length <= 2 ? 'With two tasks there is no grouping to propose beyond training them together or apart.' : 'Too many tasks for the exhaustive grouping search.'}</p>
      )}
    </section>
  );
}
