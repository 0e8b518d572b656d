// How long a run takes to reach its first training step, as one line of the run's log after
// that step: each stage's end in seconds since the trainer process started (Node's
// performance.now() counts from the process's start), so the user sees where a slow start
// went, and `bench/startup.ts` reads the same line back. After the times, the process's peak
// resident memory by each mark (MB), so the same line says which stage made the trainer big
// (the data, its device copy, TensorFlow's runtime). Then the process's CPU time by each mark
// (seconds, every thread): on a shared machine a start's wall time is mostly waiting for a core,
// its CPU time says where the work went. Marks cost a clock read and two getrusage calls each.

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
const MEMORY_PREFIX = '; peak resident memory by then, MB:';
const CPU_PREFIX = '; CPU seconds by then:';

/** Peak resident set size of this process so far, in MB (getrusage's maxrss is in KB). */
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

/** CPU time of this process so far (user + system, all threads), in seconds. */
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export class StartupTimes {
  private readonly at = new Map<StartupMark, { ms: number; mb: number; cpu: number }>();

  constructor(private readonly now: () => number = () => performance.now(), private readonly peakMb: () => number = peakRssMb, private readonly cpu: () => number = cpuSeconds) {
    this.mark('message');
  }

  /** The first time only: a later phase passing the same point does not move it. */
  mark(m: StartupMark): void {
    if (!this.at.has(m)) this.at.set(m, { ms: this.now(), mb: this.peakMb(), cpu: this.cpu() });
  }

  line(): string {
    const marks = STARTUP_MARKS.filter((m) => this.at.has(m));
    return `${PREFIX} ${marks.map((m) => `${STARTUP_LABELS[m]} ${(this.at.get(m)!.ms / 1000).toFixed(3)}`).join(', ')}` +
      `${MEMORY_PREFIX} ${marks.map((m) => `${STARTUP_LABELS[m]} ${Math.round(this.at.get(m)!.mb)}`).join(', ')}` +
      `${CPU_PREFIX} ${marks.map((m) => `${STARTUP_LABELS[m]} ${this.at.get(m)!.cpu.toFixed(3)}`).join(', ')}`;
  }
}

/** The marks of a start-up line (seconds), or undefined for any other line. */
export function parseStartupLine(line: string): Partial<Record<StartupMark, number>> | undefined {
  const at = line.indexOf(PREFIX);
  if (at < 0) return undefined;
  const end = line.indexOf(MEMORY_PREFIX, at);
  return parseMarks(line.slice(at + PREFIX.length, end < 0 ? undefined : end));
}

/** The peak resident memory (MB) by each mark of a start-up line; undefined for any other line or one without it. */
export function parseStartupMemory(line: string): Partial<Record<StartupMark, number>> | undefined {
  return section(line, MEMORY_PREFIX);
}

/** The process's CPU seconds by each mark of a start-up line; undefined for any other line or one without them. */
export function parseStartupCpu(line: string): Partial<Record<StartupMark, number>> | undefined {
  return section(line, CPU_PREFIX);
}

function section(line: string, prefix: string): Partial<Record<StartupMark, number>> | undefined {
  const at = line.indexOf(PREFIX) < 0 ? -1 : line.indexOf(prefix);
  if (at < 0) return undefined;
  const end = line.indexOf(';', at + prefix.length);
  return parseMarks(line.slice(at + prefix.length, end < 0 ? undefined : end));
}

function parseMarks(text: string): Partial<Record<StartupMark, number>> {
  const out: Partial<Record<StartupMark, number>> = {};
  for (const part of text.split(',')) {
    const m = /^\s*(.*\S)\s+(\d+(?:\.\d+)?)\s*$/.exec(part);
    const mark = m ? STARTUP_MARKS.find((k) => STARTUP_LABELS[k] === m[1]) : undefined;
    if (m && mark) out[mark] = Number(m[2]);
  }
  return out;
}
