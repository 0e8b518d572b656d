// Pure helpers for starting a training (no vscode import): the document text parsed with a
// readable error position, and the panel header from the validated document: tasks, the
// phases the trainer will run (core/phase.ts phasesOf, as trainer/run.ts), epochs and weighting.
import { stripBom } from '../../core/bom';
import { jsonSyntaxError } from '../../core/jsonScan';
import { lineColumnAt } from '../../core/jsonPath';
import type { SessionHeader } from '../../core/panelProtocol';
import { phasesOf } from '../../core/phase';
import { tasksOf } from '../../core/runsIndex';
import type { ExperimentSpec } from '../../core/spec';

export function headerFromSpec(spec: ExperimentSpec, specPath: string, epochsOverride?: number): SessionHeader {
  const tasks = tasksOf(spec);
  return {
    experiment: spec.name,
    specPath,
    tasks,
    phases: phasesOf(spec),
    totalEpochs: epochsOverride ?? spec.training.epochs,
    weighting: spec.training.weighting?.method ?? 'equal',
    live: true,
  };
}

/** JSON.parse, or where it breaks as "line L, column C" (1-based, as the editor shows it). */
export function parseDocument(withBom: string): { doc: unknown } | { error: string } {
  const text = stripBom(withBom);
  try {
    return { doc: JSON.parse(text) };
  } catch (err) {
    const at = jsonSyntaxError(text);
    if (!at) return { error: err instanceof Error ? err.message : String(err) };
    const { line, column } = lineColumnAt(text, at.offset);
    return { error: `expected ${at.expected} at line ${line + 1}, column ${column + 1}` };
  }
}
