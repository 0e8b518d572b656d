// How long a run takes to reach its first training step, as one line of the run's log after
// that step: each stage's end in seconds since the trainer process started (Node's
// performance.now() counts from the process's start), so the user sees where a slow start
// went, and `bench/startup.ts` reads the same line back. Marks cost a clock read each.

export const STARTUP_MARKS = ['message', 'checked', 'tensorflow', 'data', 'device', 'model', 'firstStep'] as const;
export type StartupMark = (typeof STARTUP_MARKS)[number];

/** Each mark's words in the line, in the order of a run. */
export const STARTUP_LABELS: Record<StartupMark, string> = {
  message: 'start message',
  checked: 'document checked',
  tensorflow: 'TensorFlow loaded',
  data: 'data loaded',
  device: 'inputs on the device',
  model: 'model built',
  firstStep: 'first step done',
};

const PREFIX = 'start-up, seconds since the trainer process started:';

export class StartupTimes {
  private readonly at = new Map<StartupMark, number>();

  constructor(private readonly now: () => number = () => performance.now()) {
    this.mark('message');
  }

  /** The first time only: a later phase passing the same point does not move it. */
  mark(m: StartupMark): void {
    if (!this.at.has(m)) this.at.set(m, this.now());
  }

  line(): string {
    return `${PREFIX} ${STARTUP_MARKS.filter((m) => this.at.has(m)).map((m) => `${STARTUP_LABELS[m]} ${(this.at.get(m)! / 1000).toFixed(3)}`).join(', ')}`;
  }
}

/** The marks of a start-up line (seconds), or undefined for any other line. */
export function parseStartupLine(line: string): Partial<Record<StartupMark, number>> | undefined {
  const at = line.indexOf(PREFIX);
  if (at < 0) return undefined;
  const out: Partial<Record<StartupMark, number>> = {};
  for (const part of line.slice(at + PREFIX.length).split(',')) {
    const m = /^\s*(.*\S)\s+(\d+(?:\.\d+)?)\s*$/.exec(part);
    const mark = m ? STARTUP_MARKS.find((k) => STARTUP_LABELS[k] === m[1]) : undefined;
    if (m && mark) out[mark] = Number(m[2]);
  }
  return out;
}
