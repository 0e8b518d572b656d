// The training panel's model: the session stream folded into series of points, the phase
// and epoch, and how it ended. Mutable on purpose (thousands of points arrive): `revision`
// changes when React must re-render (status, new series, results); each series carries its
// own version so a chart redraws only when its data changed. Pure: no DOM.
import { WHOLE_TRUNK, pairOf, parseConflictMetric } from '../../src/core/conflict';
import type { SequencedEvent, SessionEndStatus, SessionEvent, SessionHeader } from '../../src/core/panelProtocol';
import { phaseKey, samePhase, SHARED_PHASE_KEY, type PhaseKey, type TrainingPhase } from '../../src/core/phase';
import { WHOLE_MODEL, type FromTrainer, type MetricPoint, type RunSummary } from '../../src/core/protocol';
import type { RepeatPosition } from '../../src/core/repeats';
import type { Problem } from '../../src/core/spec';

export interface Series { x: number[]; y: number[]; version: number }

export function seriesKey(phase: PhaseKey, task: string, metric: string, split: MetricPoint['split']): string {
  return `${phase}|${task}|${metric}|${split}`;
}

export type ViewStatus = 'waiting' | 'running' | 'stopping' | SessionEndStatus;

export class RunView {
  header: SessionHeader | undefined;
  runDir: string | undefined;
  backend: string | undefined;
  phase: TrainingPhase | undefined;
  /** In a repeated run: the repeat training now. Curves are the first repeat's (the run folder logs those). */
  repeat: RepeatPosition | undefined;
  /** Last finished epoch of each phase that started. */
  readonly epochs = new Map<PhaseKey, { epoch: number; total: number }>();
  status: ViewStatus = 'waiting';
  endMessage: string | undefined;
  summary: RunSummary | undefined;
  error: { message: string; detail?: string } | undefined;
  problems: Problem[] = [];
  logs: Array<{ level: 'info' | 'warning'; message: string }> = [];
  readonly series = new Map<string, Series>();
  /** Task -> metrics other than the loss that have values, in arrival order. */
  readonly taskMetrics = new Map<string, string[]>();
  hasWeights = false;
  /** Some curve is a single-task baseline's (the legend names the dashed line only then). */
  hasBaselineCurves = false;
  /** Blocks with gradient-conflict cosines (core/conflict: WHOLE_TRUNK first, then shared layers in arrival order); empty while none arrived. */
  conflictBlocks: string[] = [];
  /** Largest step of any curve: every chart spans 0..maxStep, so they line up. */
  maxStep = 0;
  revision = 0;
  /** Sequence number of the last applied event (for replay and gap detection). */
  lastSeq = 0;

  reset(): void {
    Object.assign(this, new RunView(), { revision: this.revision + 1 });
  }

  /** A full replay: start over. */
  replay(items: SequencedEvent[]): void {
    this.reset();
    for (const i of items) this.apply(i.event);
    this.lastSeq = items.length ? items[items.length - 1]!.seq : 0;
    this.revision++;
  }

  /** One live event; returns false when events were missed (the caller asks for a replay). */
  next(item: SequencedEvent): boolean {
    if (item.seq <= this.lastSeq) return true;
    if (item.seq !== this.lastSeq + 1) return false;
    this.lastSeq = item.seq;
    this.apply(item.event);
    return true;
  }

  apply(event: SessionEvent): void {
    switch (event.kind) {
      case 'header':
        this.header = event.header;
        if (event.header.runDir) this.runDir = event.header.runDir;
        break;
      case 'stopping':
        if (this.status === 'running' || this.status === 'waiting') this.status = 'stopping';
        break;
      case 'ended':
        this.status = event.status;
        this.endMessage = event.message;
        break;
      case 'trainer':
        this.applyTrainer(event.msg);
        return;
    }
    this.revision++;
  }

  private applyTrainer(msg: FromTrainer): void {
    switch (msg.type) {
      case 'started':
        this.runDir = msg.runDir;
        this.backend = msg.backend;
        this.phase = msg.phase;
        this.repeat = msg.repeat;
        if (this.status === 'waiting') this.status = 'running';
        this.epochs.set(phaseKey(msg.phase), { epoch: 0, total: msg.totalEpochs });
        break;
      case 'progress':
        this.phase = msg.phase;
        if (this.laterRepeat()) return;
        this.addPoints(phaseKey(msg.phase), msg.points);
        return; // points alone do not re-render the page; charts watch their series
      case 'epochEnd':
        this.phase = msg.phase;
        this.epochs.set(phaseKey(msg.phase), { epoch: msg.epoch, total: msg.totalEpochs });
        if (!this.laterRepeat()) this.addPoints(phaseKey(msg.phase), msg.values);
        break;
      case 'log':
        this.logs.push({ level: msg.level, message: msg.message });
        break;
      case 'problems':
        this.problems = msg.problems;
        break;
      case 'error':
        this.error = { message: msg.message, ...(msg.detail ? { detail: msg.detail } : {}) };
        break;
      case 'done':
        this.summary = msg.summary;
        this.runDir = msg.summary.runDir || this.runDir;
        break;
      case 'info':
        return;
    }
    this.revision++;
  }

  /** A repeat after the first: its points would draw over the first repeat's curves, which the run folder keeps. */
  private laterRepeat(): boolean {
    return (this.repeat?.index ?? 0) > 0;
  }

  private addPoints(phase: PhaseKey, points: MetricPoint[]): void {
    let structural = false;
    for (const p of points) {
      if (p.split === 'test') continue; // test values are the results table, not curves
      const key = seriesKey(phase, p.task, p.metric, p.split);
      let s = this.series.get(key);
      if (!s) {
        this.series.set(key, (s = { x: [], y: [], version: 0 }));
        structural = true;
        if (p.metric === 'weight') this.hasWeights = true;
        if (phase !== SHARED_PHASE_KEY) this.hasBaselineCurves = true;
        const conflict = pairOf(p.task) && parseConflictMetric(p.metric);
        if (conflict && conflict.measure === 'cosine' && !this.conflictBlocks.includes(conflict.block)) {
          this.conflictBlocks = conflict.block === WHOLE_TRUNK ? [WHOLE_TRUNK, ...this.conflictBlocks] : [...this.conflictBlocks, conflict.block];
        }
        if (p.task !== WHOLE_MODEL && p.metric !== 'loss' && p.metric !== 'epochLoss' && p.metric !== 'weight') {
          const list = this.taskMetrics.get(p.task) ?? [];
          if (!list.includes(p.metric)) this.taskMetrics.set(p.task, [...list, p.metric]);
        }
      }
      if (p.step > this.maxStep) this.maxStep = p.step;
      const value = Number.isFinite(p.value) ? p.value : Number.NaN;
      const last = s.x.length - 1;
      if (last >= 0 && s.x[last]! > p.step) {
        // Out of order (should not happen within a phase): insert in place.
        let i = last;
        while (i >= 0 && s.x[i]! > p.step) i--;
        s.x.splice(i + 1, 0, p.step);
        s.y.splice(i + 1, 0, value);
      } else if (last >= 0 && s.x[last] === p.step) {
        s.y[last] = value;
      } else {
        s.x.push(p.step);
        s.y.push(value);
      }
      s.version++;
    }
    if (structural) this.revision++;
  }

  /** Epoch label for the header: the running phase's last finished epoch. */
  currentEpoch(): { epoch: number; total: number } | undefined {
    return this.phase ? this.epochs.get(phaseKey(this.phase)) : undefined;
  }

  /** Fraction of all phases done (phases run one after another, each the same number of epochs). */
  fractionDone(): number {
    if (this.status === 'completed') return 1;
    const phases = this.header?.phases ?? [];
    if (!phases.length) return 0;
    // A phase before the running one is done even when it stopped early.
    const current = this.phase ? phases.findIndex((p) => samePhase(p, this.phase)) : -1;
    let done = 0;
    phases.forEach((p, i) => {
      const e = this.epochs.get(phaseKey(p));
      if (i < current) done += 1;
      else if (i === current && e && e.total > 0) done += Math.min(1, e.epoch / e.total);
    });
    // A repeated run trains every phase once per repeat.
    const repeats = this.repeat?.of ?? 1;
    return ((this.repeat?.index ?? 0) * phases.length + done) / (phases.length * repeats);
  }
}
