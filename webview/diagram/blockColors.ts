// Colours of the diagram's blocks, from core/taskColors: a task's block in its task colour;
// a shared block neutral, with a bar of its tasks' colours (as the designer's shared group);
// inputs and unused layers in the muted text colour.
import type { SharingBlock } from '../../src/core/sharingBlocks';
import { NEUTRAL_VAR, sharedFill, taskColorVar } from '../../src/core/taskColors';

const MUTED = 'var(--vscode-descriptionForeground)';

export interface BlockColors {
  /** Frame, footer text and the block's layers' bars' base colour. */
  main: string;
  /** The colours of the tasks it serves, in task order (the shared block's top bar). */
  tasks: string[];
  /** A solid fill standing for the block (norm bars). */
  fill: string;
}

export function blockColors(b: SharingBlock, order: readonly string[]): BlockColors {
  const tasks = b.tasks.map((t) => taskColorVar(order.indexOf(t)));
  if (b.kind === 'task') return { main: tasks[0]!, tasks, fill: tasks[0]! };
  if (b.kind === 'shared') return { main: NEUTRAL_VAR, tasks, fill: sharedFill(tasks) };
  return { main: MUTED, tasks: [], fill: MUTED };
}
