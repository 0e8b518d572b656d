// What every panel of the designer needs: the model of the current document, a way to edit
// it (through the host), selection and navigation. Provided once by App.
import { createContext, useContext } from 'react';
import type { JsonPath } from '../../src/core/edits';
import type { Problem } from '../../src/core/spec';
import type { DesignModel } from './model';
import type { Edit } from './operations';

export type TabId = 'node' | 'tasks' | 'data' | 'training';

export interface Designer {
  model: DesignModel;
  /** True while the text is not JSON: the last good graph stays visible but cannot be edited. */
  readOnly: boolean;
  edit(e: Edit | undefined): void;
  select(nodeIds: string[], options?: { reveal?: boolean }): void;
  /** Opens the tab that holds `path` and focuses its field. */
  goTo(path: JsonPath): void;
  revealText(path: JsonPath): void;
  /** Saves the document after the edits sent so far (see FromDesigner `saveAfterEdits`). */
  saveAfterEdits(): void;
}

export const DesignerContext = createContext<Designer | null>(null);

export function useDesigner(): Designer {
  const d = useContext(DesignerContext);
  if (!d) throw new Error('useDesigner outside DesignerContext');
  return d;
}

export const pathKey = (path: readonly (string | number)[]): string => path.join('.');

/** Problems at `path` or inside it. */
export function problemsAt(problems: readonly Problem[], path: readonly (string | number)[], exact = false): Problem[] {
  return problems.filter((p) => (exact ? p.path.length === path.length : p.path.length >= path.length) && path.every((k, i) => p.path[i] === k));
}
