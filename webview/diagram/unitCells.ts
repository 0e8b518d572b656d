// Colours of the shared units drawn on the diagram (a run's reliance, core/explain.ts): a unit
// used by one task is its task's colour; by several, diagonal stripes of their colours (an SVG
// pattern, as core/taskColors draws anything shared); by none, an empty outlined cell.
import { unitUsers, compareUsers, type UnitReliance } from '../../src/core/explain';
import { taskColorVar } from '../../src/core/taskColors';

/** The id of the stripes pattern of a set of tasks ("digit+parity"). */
export const patternId = (key: string) => `units-${key.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0)}`)}`;

export interface LayerUnits { layer: string; users: string[][] }

/** Per layer with reliance, each unit's users. */
export function layerUnits(reliance: readonly UnitReliance[] | undefined): Map<string, LayerUnits> {
  return new Map((reliance ?? []).map((r) => [r.layer, { layer: r.layer, users: unitUsers(r) }]));
}

/** Fill of a unit's cell: a task colour, a pattern's url, or undefined (used by none). */
export function unitFill(users: readonly string[], tasks: readonly string[]): string | undefined {
  if (!users.length) return undefined;
  if (users.length === 1) return taskColorVar(Math.max(0, tasks.indexOf(users[0]!)));
  return `url(#${patternId(users.join('+'))})`;
}

/** Every set of several tasks some unit has, for the patterns to define. */
export function sharedKeys(units: Iterable<LayerUnits>): string[] {
  const keys = new Set<string>();
  for (const l of units) for (const u of l.users) if (u.length > 1) keys.add(u.join('+'));
  return [...keys];
}

/** Unit indices sorted by their users in the legend's order (one task alone, then more tasks, none last), by index within. */
export function unitOrder(users: readonly string[][], tasks: readonly string[]): number[] {
  const key = (u: readonly string[]) => (u.length ? u.join('+') : 'none');
  return users.map((_, i) => i).sort((a, b) => compareUsers(key(users[a]!), key(users[b]!), tasks) || a - b);
}

/** The sets of tasks that use some unit, in the legend's order ("digit", "digit+parity", "none"). */
export function usedKeys(units: Iterable<LayerUnits>, tasks: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const l of units) for (const u of l.users) keys.add(u.length ? u.join('+') : 'none');
  return [...keys].sort((a, b) => compareUsers(a, b, tasks));
}
