// Where a running study is, in the words of the notification and the study view:
// "variant 3 of 8, repeat 2 of 3" (with folds: "variant 3 of 8, fold 2 of 5, repeat 1 of 2").
// Counted from study.json's runs, so a resumed study (finished runs kept) says the same as one
// that never stopped.
import type { StudyResult } from './studyTypes';

export interface StudyPosition {
  variant: number;
  variants: number;
  repeat: number;
  repeats: number;
  /** With cross-validation: the fold of the run in progress, 1-based. */
  fold?: number;
  folds?: number;
  /** Runs finished (completed, failed or cancelled) of all runs planned. */
  finished: number;
  total: number;
}

export function studyPosition(result: StudyResult): StudyPosition {
  const all = result.variants.flatMap((v, vi) => v.runs.map((r) => ({ r, vi })));
  const finished = all.filter(({ r }) => r.status !== 'pending' && r.status !== 'running').length;
  const current = all.find(({ r }) => r.status === 'running') ?? all.find(({ r }) => r.status === 'pending');
  const at = current ?? all[all.length - 1];
  return {
    variant: at ? at.vi + 1 : 0, variants: result.variants.length,
    repeat: at ? at.r.repeat + 1 : 0, repeats: result.repeats,
    ...(at?.r.fold ? { fold: at.r.fold.index + 1, folds: at.r.fold.of } : {}),
    finished, total: all.length,
  };
}

export function studyProgressText(result: StudyResult): string {
  const p = studyPosition(result);
  if (p.total === 0) return 'planning the runs';
  if (p.finished === p.total) return `all ${p.total} runs finished`;
  return `variant ${p.variant} of ${p.variants}, ${p.fold ? `fold ${p.fold} of ${p.folds}, ` : ''}repeat ${p.repeat} of ${p.repeats}`;
}
