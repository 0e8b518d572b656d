// Pure helpers for starting a training (no vscode import): the document text parsed with a
// readable error position, and the panel header from the validated document: tasks, the
// phases the trainer will run (shared model, then one baseline per task unless baselines
// are off), epochs and weighting, as trainer/run.ts does with the same document.
import { jsonSyntaxError, withoutBom } from '../../core/edits';
import { lineColumnAt } from '../../core/jsonPath';
import type { SessionHeader } from '../../core/panelProtocol';
import type { TrainingPhase } from '../../core/protocol';
import { tasksOf } from '../../core/runsIndex';
import type { ExperimentSpec } from '../../core/spec';

export function headerFromSpec(spec: ExperimentSpec, specPath: string, epochsOverride?: number): SessionHeader {
  const tasks = tasksOf(spec);
  const baselines = (spec.evaluation?.baselines ?? 'single-task') === 'single-task' && tasks.length > 1;
  const phases: TrainingPhase[] = [{ kind: 'shared' }, ...(baselines ? tasks.map((t) => ({ kind: 'baseline' as const, task: t.id })) : [])];
  return {
    experiment: spec.name,
    specPath,
    tasks,
    phases,
    totalEpochs: epochsOverride ?? spec.training.epochs,
    weighting: spec.training.weighting?.method ?? 'equal',
    live: true,
  };
}

/** JSON.parse, or where it breaks as "line L, column C" (1-based, as the editor shows it). */
export function parseDocument(withBom: string): { doc: unknown } | { error: string } {
  const text = withoutBom(withBom);
  try {
    return { doc: JSON.parse(text) };
  } catch (err) {
    const at = jsonSyntaxError(text);
    if (!at) return { error: err instanceof Error ? err.message : String(err) };
    const { line, column } = lineColumnAt(text, at.offset);
    return { error: `expected ${at.expected} at line ${line + 1}, column ${column + 1}` };
  }
}
