// One training: the forked trainer, its messages recorded into the session stream, stop
// (cancel, then kill if the trainer does not stop), and how it ended. No vscode import:
// the notification, status bar and panel listen to the stream (tests drive it with a fake).
import type { RepeatPosition } from '../../core/repeats';
import type { SessionEndStatus, SessionEvent, SessionHeader } from '../../core/panelProtocol';
import { samePhase, type TrainingPhase } from '../../core/phase';
import type { FromTrainer, RunStatus, ToTrainer } from '../../core/protocol';
import { trainerSignalMessage } from '../../core/runFaults';
import type { TrainerProcess } from '../trainerProcess';
import { SessionStream } from './sessionStream';

export type StartMessage = Extract<ToTrainer, { type: 'start' }>;

export interface SessionOptions {
  header: SessionHeader;
  start: StartMessage;
  fork: () => TrainerProcess;
  /** A line for the output channel. */
  log: (line: string) => void;
  /** Status written in the run's run.json, read after the trainer exits (the record is the truth). */
  readRunStatus?: (runDir: string) => RunStatus | undefined;
  /**
   * Ends a run the trainer left "running" when it died (signal, crash, a disk too full for its
   * own last write): host/training/endRun.ts, which only touches a record naming that pid.
   */
  endRun?: (runDir: string, pid: number, status: RunStatus, message: string) => void;
  /** How long a stopping trainer may take to finish its step before it is killed. */
  stopTimeoutMs?: number;
}

export interface SessionProgress {
  phase?: TrainingPhase;
  /** 1-based position of the phase among header.phases. */
  phaseIndex: number;
  epoch: number;
  totalEpochs: number;
  /** In a repeated run (evaluation.repeats, crossValidation): which repeat is training. */
  repeat?: RepeatPosition;
}

export class TrainingSession {
  readonly stream = new SessionStream();
  readonly header: SessionHeader;
  runDir: string | undefined;
  progress: SessionProgress;
  stopping = false;
  endStatus: SessionEndStatus | undefined;
  /** Resolves once the trainer has exited and the end is in the stream. */
  readonly ended: Promise<SessionEndStatus>;

  private trainer: TrainerProcess | undefined;
  private resolveEnded!: (s: SessionEndStatus) => void;
  private outcome: 'done' | 'error' | 'problems' | undefined;
  private lastError: string | undefined;
  private readonly stderrTail: string[] = [];
  private killTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: SessionOptions) {
    this.header = opts.header;
    this.progress = { phaseIndex: 0, epoch: 0, totalEpochs: opts.header.totalEpochs };
    this.ended = new Promise((resolve) => { this.resolveEnded = resolve; });
    this.stream.append({ kind: 'header', header: opts.header });
  }

  get label(): string {
    return this.header.experiment;
  }

  get running(): boolean {
    return this.endStatus === undefined;
  }

  start(): void {
    const trainer = this.opts.fork();
    this.trainer = trainer;
    trainer.onMessage((msg) => this.onTrainer(msg));
    void trainer.exited.then(({ code, signal, fault }) => this.onExit(code, signal, fault));
    trainer.send(this.opts.start);
    this.opts.log(`[${this.label}] training started (pid ${trainer.pid ?? '?'}, backend preference ${this.opts.start.backend})`);
  }

  /** Asks the trainer to stop after the current step; kills it if it does not within the timeout. */
  stop(): void {
    if (!this.running || this.stopping) return;
    this.stopping = true;
    this.append({ kind: 'stopping' });
    this.opts.log(`[${this.label}] stop requested`);
    this.trainer?.send({ type: 'cancel' });
    this.killTimer = setTimeout(() => {
      this.opts.log(`[${this.label}] the trainer did not stop within ${(this.opts.stopTimeoutMs ?? 30_000) / 1000} s; killing it`);
      this.trainer?.kill();
    }, this.opts.stopTimeoutMs ?? 30_000);
  }

  /** Lines the trainer printed on stderr (native library messages, crashes). */
  stderr(line: string): void {
    this.stderrTail.push(line);
    if (this.stderrTail.length > 20) this.stderrTail.shift();
    this.opts.log(`[${this.label}] ${line}`);
  }

  private append(event: SessionEvent): void {
    this.stream.append(event);
  }

  private onTrainer(msg: FromTrainer): void {
    switch (msg.type) {
      case 'started': {
        this.runDir = msg.runDir;
        const index = this.header.phases.findIndex((p) => samePhase(p, msg.phase));
        this.progress = { phase: msg.phase, phaseIndex: index >= 0 ? index + 1 : this.progress.phaseIndex + 1, epoch: 0, totalEpochs: msg.totalEpochs, ...(msg.repeat ? { repeat: msg.repeat } : {}) };
        if (this.progress.phaseIndex === 1 && (msg.repeat?.index ?? 0) === 0) this.opts.log(`[${this.label}] run folder ${msg.runDir}, backend ${msg.backend}`);
        break;
      }
      case 'epochEnd':
        this.progress = { ...this.progress, phase: msg.phase, epoch: msg.epoch, totalEpochs: msg.totalEpochs };
        break;
      case 'log':
        this.opts.log(`[${this.label}] ${msg.level === 'warning' ? 'warning: ' : ''}${msg.message}`);
        break;
      case 'problems':
        this.outcome = 'problems';
        for (const p of msg.problems) this.opts.log(`[${this.label}] ${p.severity}: ${p.path.join('.')}: ${p.message}`);
        break;
      case 'error':
        this.outcome = 'error';
        this.lastError = msg.message;
        this.opts.log(`[${this.label}] error: ${msg.message}${msg.detail ? `\n${msg.detail}` : ''}`);
        break;
      case 'done':
        this.outcome = 'done';
        break;
      default:
        break;
    }
    this.append({ kind: 'trainer', msg });
  }

  /** `fault`: the host killed the trainer because its channel broke (trainerProcess.ts). */
  private onExit(code: number | null, signal: NodeJS.Signals | null, fault?: string): void {
    if (this.killTimer) clearTimeout(this.killTimer);
    const recorded = this.runDir ? this.opts.readRunStatus?.(this.runDir) : undefined;
    let status: SessionEndStatus;
    let message: string | undefined;
    if (this.outcome === 'problems') status = 'invalid';
    else if (this.outcome === 'done' && recorded !== 'running') status = 'completed';
    else if (fault && recorded !== 'completed') { status = 'failed'; message = fault; }
    else if (this.outcome === 'error' && !signal) { status = 'failed'; message = this.lastError; }
    else if (recorded && recorded !== 'running') status = recorded;
    else if (this.stopping) { status = 'cancelled'; message = signal ? 'the trainer was stopped by force' : undefined; }
    else {
      status = 'failed';
      const tail = this.stderrTail.slice(-3).join(' / ');
      const why = signal ? trainerSignalMessage(signal) : `the trainer stopped unexpectedly (exit code ${code})`;
      message = `${why.charAt(0).toUpperCase()}${why.slice(1)}${tail ? `: ${tail}` : ''}. See the "Multi-Task Studio" output.`;
    }
    // The trainer is gone and its run.json still says running: the parent records how it ended.
    if (recorded === 'running' && this.runDir && this.trainer?.pid !== undefined && status !== 'invalid') {
      const reason = fault ?? (signal ? trainerSignalMessage(signal) : undefined) ?? this.lastError ?? (status === 'cancelled' ? 'stopped' : `the trainer stopped unexpectedly (exit code ${code})`);
      this.opts.endRun?.(this.runDir, this.trainer.pid, status, reason);
    }
    this.endStatus = status;
    this.opts.log(`[${this.label}] ${status}${message ? `: ${message}` : ''}`);
    this.append({ kind: 'ended', status, ...(message ? { message } : {}) });
    this.resolveEnded(status);
  }

  /** Window closing: ask the trainer to stop; it also stops by itself when the IPC channel closes. */
  dispose(): void {
    if (this.running) this.trainer?.send({ type: 'cancel' });
  }
}
