// One study run by this window: the forked trainer, the 'study' request sent to it, each
// 'studyProgress' it reports (study.json's content, so the view and the notification show what
// the folder holds), stop (cancel, then kill if the trainer does not stop), and how it ended.
// No vscode import: the notification and the study view listen (tests drive it with a fake fork).
import type { FromTrainer, ToTrainer } from '../../core/protocol';
import type { StudyResult } from '../../core/study/studyTypes';
import type { TrainerProcess } from '../trainerProcess';

export type StudyRequest = Extract<ToTrainer, { type: 'study' }>;
export type StudyEnd = 'completed' | 'failed' | 'cancelled';

export interface StudyRunOptions {
  request: StudyRequest;
  fork: () => TrainerProcess;
  log: (line: string) => void;
  /** How long a stopping trainer may take to finish its step before it is killed. */
  stopTimeoutMs?: number;
}

export class StudyRun {
  studyDir: string | undefined;
  result: StudyResult | undefined;
  stopping = false;
  endStatus: StudyEnd | undefined;
  /** Why it failed: the trainer's error, its problems with the study file, or how it died. */
  endMessage: string | undefined;
  readonly ended: Promise<StudyEnd>;

  private trainer: TrainerProcess | undefined;
  private resolveEnded!: (s: StudyEnd) => void;
  private readonly listeners = new Set<() => void>();
  private killTimer: ReturnType<typeof setTimeout> | undefined;
  private error: string | undefined;

  constructor(private readonly opts: StudyRunOptions) {
    this.ended = new Promise((resolve) => { this.resolveEnded = resolve; });
  }

  /** The study's name: from study.json once reported, else from the study file, else its file name. */
  get label(): string {
    const named = (this.opts.request.doc as { name?: unknown } | null)?.name;
    return this.result?.name ?? (typeof named === 'string' && named ? named : this.opts.request.studyPath.split(/[\\/]/).pop() ?? 'study');
  }

  get running(): boolean {
    return this.endStatus === undefined;
  }

  /** Called after each 'studyProgress' and when the study ends. */
  onChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  start(): void {
    const trainer = this.opts.fork();
    this.trainer = trainer;
    trainer.onMessage((msg) => this.onTrainer(msg));
    void trainer.exited.then(({ code, signal }) => this.onExit(code, signal));
    trainer.send(this.opts.request);
    this.opts.log(`[study ${this.label}] started (pid ${trainer.pid ?? '?'})`);
  }

  stop(): void {
    if (!this.running || this.stopping) return;
    this.stopping = true;
    this.opts.log(`[study ${this.label}] stop requested`);
    this.trainer?.send({ type: 'cancel' });
    this.killTimer = setTimeout(() => this.trainer?.kill(), this.opts.stopTimeoutMs ?? 30_000);
    this.fire();
  }

  private fire(): void {
    for (const l of [...this.listeners]) l();
  }

  private onTrainer(msg: FromTrainer): void {
    switch (msg.type) {
      case 'studyProgress':
        this.studyDir = msg.studyDir;
        this.result = msg.result;
        this.fire();
        break;
      case 'error':
        this.error = msg.message;
        this.opts.log(`[study ${this.label}] error: ${msg.message}`);
        break;
      case 'problems': {
        const errors = msg.problems.filter((p) => p.severity === 'error');
        if (errors.length) this.error = errors.map((p) => `${p.path.join('.') || '(file)'}: ${p.message}`).join('; ');
        for (const p of msg.problems) this.opts.log(`[study ${this.label}] ${p.severity}: ${p.path.join('.')}: ${p.message}`);
        break;
      }
      case 'log':
        this.opts.log(`[study ${this.label}] ${msg.message}`);
        break;
      default:
        break;
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.killTimer) clearTimeout(this.killTimer);
    const recorded = this.result?.status;
    let status: StudyEnd;
    if (recorded === 'completed') status = 'completed';
    else if (this.stopping || recorded === 'cancelled') status = 'cancelled';
    else {
      status = 'failed';
      this.endMessage = this.error ?? (signal ? `the trainer was stopped by signal ${signal}` : `the trainer stopped unexpectedly (exit code ${code})`);
    }
    this.endStatus = status;
    this.opts.log(`[study ${this.label}] ${status}${this.endMessage ? `: ${this.endMessage}` : ''}`);
    this.resolveEnded(status);
    this.fire();
  }

  /** Window closing: ask the trainer to stop (finished runs stay; the study can resume). */
  dispose(): void {
    if (this.running) this.trainer?.send({ type: 'cancel' });
  }
}
