// The report's task-affinity section (evaluation.taskAffinity, core/taskAffinity.ts): the
// mean lookahead affinity matrix and the best grouping of the tasks for each number of groups.
import { escapeMarkdown as md, formatNumber, markdownTable, plural } from '../../core/markup';
import type { TaskAffinitySummary } from '../../core/taskAffinity';

export function renderTaskAffinitySection(a: TaskAffinitySummary): string[] {
  const lines = ['## Task affinity', '',
    `Every ${a.every === 1 ? 'step' : plural(a.every, 'step')} (${plural(a.measurements, 'measurement')}), a trial SGD step of the shared layers on one task's loss alone, and the relative change of each task's loss: ` +
    'Z(i → j) = 1 − L_j(after the step on i) / L_j(before) (Fifty et al. 2021). Positive: training task i helps task j. Mean over the measurements; row i, column j.', ''];
  lines.push(markdownTable(['Step on ↓ / loss of →', ...a.tasks.map(md)],
    a.tasks.map((t, i) => [md(t), ...a.tasks.map((_, j) => (i === j ? `(${formatNumber(a.matrix[i]![j]!)})` : formatNumber(a.matrix[i]![j]!)))])), '');
  if (!a.groupings.length) {
    lines.push(a.tasks.length <= 2 ? 'With two tasks there is no grouping to propose beyond training them together or apart.' : 'Too many tasks for the exhaustive grouping search.', '');
    return lines;
  }
  lines.push('Best grouping into k groups (the sum over tasks of the mean affinity onto each task from its group\'s other tasks; a task alone scores 0):', '');
  for (const g of a.groupings) lines.push(`- ${g.groups.length} groups: ${g.groups.map((group) => `{${group.map(md).join(', ')}}`).join(' ')} (score ${formatNumber(g.score)})`);
  const best = a.groupings.reduce((p, g) => (g.score > p.score ? g : p));
  lines.push('', `Proposed grouping: ${best.groups.map((group) => `{${group.map(md).join(', ')}}`).join(' ')}. ` +
    '"Try this grouping" in this run\'s shared-weight diagram writes the experiment with one trunk per group as a new file, and a study comparing it with the experiment as designed.', '');
  return lines;
}
