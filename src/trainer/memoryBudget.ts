// The memory budget a trainer process enforces (core/budget.ts estimates and words it):
// the user's setting or --max-memory when given, else half of this machine's memory.
import os from 'node:os';
import { memoryBudget as budgetOf, type MemoryBudget } from '../core/budget';

/** Where the limit is set: the VS Code setting (host runs) or the CLI option. */
export type BudgetSetting = 'multiTaskStudio.maxMemory' | '--max-memory';

export function memoryBudget(maxMemoryBytes: number | undefined, setting: BudgetSetting): MemoryBudget {
  return budgetOf(maxMemoryBytes, os.totalmem(), setting);
}
