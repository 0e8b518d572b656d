// Tasks: id, kind, target, classes, loss, weight, metrics and head, one card per task.
import { DEFAULT_LOSS, DEFAULT_METRICS } from '../../src/core/defaults';
import type { JsonPath } from '../../src/core/edits';
import { LOSS_TITLES } from '../../src/core/experimentSchema';
import type { MetricName, TaskKind } from '../../src/core/spec';
import { Button, Checkbox } from '../ui';
import { problemsAt, useDesigner } from './context';
import { DraftText, EnumField, FieldShell, ObjectFields, ProblemText } from './fields';
import { isObject, type TaskInfo } from './model';
import { addTask, connect, idProblem, removeTask, renameTask, setValue } from './operations';
import { TASK, titled } from './schemas';

/** A loss as users call it ("binary cross-entropy"); an unknown name as it is written. */
const LOSS_LABEL = { loss: titled(LOSS_TITLES) };

export function TasksPanel() {
  const d = useDesigner();
  const { model } = d;
  return (
    <div className="panel-section">
      <ProblemText problems={problemsAt(model.problems, ['tasks'], true)} />
      {model.tasks.map((t) => <TaskForm key={`${t.index}:${t.id}`} task={t} />)}
      <div className="actions">
        <Button appearance="secondary" disabled={d.readOnly} onClick={() => d.edit(addTask(model.doc))}>Add task</Button>
      </div>
    </div>
  );
}

export function TaskForm({ task }: { task: TaskInfo }) {
  const d = useDesigner();
  const { model } = d;
  if (task.index < 0) {
    return (
      <div className="task-card" style={{ ['--task-color' as string]: task.color }}>
        <h3><span className="dot" />{task.id}</h3>
        <p className="muted">model.outputs names this task, but "tasks" does not declare it.</p>
        <ProblemText problems={problemsAt(model.problems, ['model', 'outputs', task.id])} />
      </div>
    );
  }
  const path: JsonPath = ['tasks', task.index];
  const raw = Array.isArray(model.doc.tasks) ? model.doc.tasks[task.index] : undefined;
  const kind = (['multiclass', 'binary', 'regression'] as string[]).includes(task.kind) ? task.kind as TaskKind : undefined;
  const layers = model.nodes.filter((n) => n.kind === 'layer');
  return (
    <section className="task-card" style={{ ['--task-color' as string]: task.color }} aria-label={`Task ${task.id}`} data-path={path.join('.')}>
      <div className="task-card-head">
        <h3><span className="dot" />{task.id}</h3>
        <Button appearance="secondary" disabled={d.readOnly} onClick={() => d.edit(removeTask(model.doc, task.index))} aria-label={`Remove task ${task.id}`}>Remove</Button>
      </div>
      <ProblemText problems={problemsAt(model.problems, path, true)} />
      <div className="field-grid">
        <DraftText lazy label="Id" path={[...path, 'id']} text={task.id} help={TASK.properties.id?.description}
          parse={(t) => { const problem = idProblem(model.doc, t.trim(), task.id); return problem ? { ok: false, message: problem } : { ok: true, value: t.trim() }; }}
          commit={(v) => v !== task.id && d.edit(renameTask(model.doc, task.index, v as string))} />
        <ObjectFields schema={TASK} value={raw} path={path} skip={['id', 'metrics']}
          defaults={kind ? { loss: DEFAULT_LOSS[kind], weight: 1, ...(kind === 'binary' ? { classes: 2 } : {}) } : undefined} optionLabels={LOSS_LABEL} />
      </div>
      {kind && <Metrics kind={kind} value={isObject(raw) ? raw.metrics : undefined} path={[...path, 'metrics']} />}
      <EnumField label="Head (output layer)" path={['model', 'outputs', task.id]} value={task.output} required={false} unsetLabel="(none)"
        help="The layer whose output is this task's prediction; or connect a layer to the task's node on the canvas."
        options={layers.map((l) => l.id)}
        onChange={(v) => d.edit(v === undefined ? setValue(['model', 'outputs', task.id], undefined, `Remove the head of ${task.id}`) : connect(model.doc, v, { task: task.id }))} />
    </section>
  );
}

/** Metrics as checkboxes: unset means the kind's defaults, which are shown checked. */
function Metrics({ kind, value, path }: { kind: TaskKind; value: unknown; path: JsonPath }) {
  const d = useDesigner();
  const chosen: string[] = Array.isArray(value) ? value.filter((m): m is string => typeof m === 'string') : DEFAULT_METRICS[kind];
  // Classification kinds share their metrics; regression has its own.
  const family: MetricName[] = kind === 'regression' ? DEFAULT_METRICS.regression : [...new Set([...DEFAULT_METRICS.multiclass, ...DEFAULT_METRICS.binary])];
  const options = [...new Set([...family, ...chosen])];
  const toggle = (m: string, on: boolean): void => {
    const next = options.filter((o) => (o === m ? on : chosen.includes(o)));
    const isDefault = next.length === DEFAULT_METRICS[kind].length && next.every((x) => (DEFAULT_METRICS[kind] as string[]).includes(x));
    d.edit(setValue(path, isDefault ? undefined : next, 'Set metrics'));
  };
  return (
    <FieldShell label={`Metrics${Array.isArray(value) ? '' : ' (defaults)'}`} path={path} problems={problemsAt(d.model.problems, path)} help="Reported after every epoch.">
      <div className="checks">
        {options.map((m) => <Checkbox key={m} checked={chosen.includes(m)} disabled={d.readOnly} onChange={(on) => toggle(m, on)}>{m}</Checkbox>)}
      </div>
    </FieldShell>
  );
}
