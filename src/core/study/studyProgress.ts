// Where a running study is, in the words of the notification and the study view:
// "variant 3 of 8, repeat 2 of 3". Counted from study.json's runs, so a resumed study (finished
// runs kept) says the same as one that never stopped.
import type { StudyResult } from './studyTypes';

export interface StudyPosition {
  variant: number;
  variants: number;
  repeat: number;
  repeats: number;
  /** Runs finished (completed, failed or cancelled) of all runs planned. */
  finished: number;
  total: number;
}

export function studyPosition(result: StudyResult): StudyPosition {
  const all = result.variants.flatMap((v, vi) => v.runs.map((r, ri) => ({ r, vi, ri, of: v.runs.length })));
  const finished = all.filter(({ r }) => r.status !== 'pending' && r.status !== 'running').length;
  const current = all.find(({ r }) => r.status === 'running') ?? all.find(({ r }) => r.status === 'pending');
  const at = current ?? all[all.length - 1];
  return {
    variant: at ? at.vi + 1 : 0, variants: result.variants.length,
    repeat: at ? at.ri + 1 : 0, repeats: at?.of ?? result.repeats,
    finished, total: all.length,
  };
}

export function studyProgressText(result: StudyResult): string {
  const p = studyPosition(result);
  if (p.total === 0) return 'planning the runs';
  if (p.finished === p.total) return `all ${p.total} runs finished`;
  return `variant ${p.variant} of ${p.variants}, repeat ${p.repeat} of ${p.repeats}`;
}
