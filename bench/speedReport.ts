// What `npm run bench` prints from its measurements: the rows, the ratio lines, and where a
// step's time goes. Pure functions (no process, no TensorFlow): test/unit/bench checks them.

export type Framework = 'ours' | 'keras' | 'pytorch';

/** One timed training run. `cpuSeconds`: CPU time of the run (all threads), steadier than wall time on a shared machine. */
export interface Figure {
  framework: Framework;
  label: string;
  workload: string;
  batch: number;
  epochs: number;
  /** Training steps timed (epochs x batches per epoch). */
  steps: number;
  samples: number;
  seconds: number;
  samplesPerSecond: number;
  cpuSeconds?: number;
  threads?: number;
  /** Ours: each epoch's wall and CPU seconds (its evaluation included). */
  epochSeconds?: number[];
  epochCpuSeconds?: number[];
  /** TensorFlow eager ops per training step (ours on native TensorFlow). */
  opsPerStep?: number;
}

/** A line the Python reference scripts print per batch size. */
export interface PythonLine { batch: number; seconds: number; samples_per_second: number; cpu_seconds?: number; threads?: number }

/** The JSON lines of a reference script (other lines, e.g. a library's notices on stdout, are skipped). */
export function parsePythonLines(stdout: string): PythonLine[] {
  const out: PythonLine[] = [];
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    const v = JSON.parse(t) as Partial<PythonLine>;
    if (typeof v.batch === 'number' && typeof v.seconds === 'number' && typeof v.samples_per_second === 'number') out.push(v as PythonLine);
  }
  return out;
}

export function formatFigure(f: Figure): string {
  const cpu = f.cpuSeconds !== undefined ? `  CPU ${f.cpuSeconds.toFixed(2)} s` : '';
  const ops = f.opsPerStep !== undefined ? `  ${Math.round(f.opsPerStep)} TF ops/step` : '';
  return `  ${f.label.padEnd(48)} batch ${String(f.batch).padStart(3)}  ${f.seconds.toFixed(2).padStart(6)} s  ${Math.round(f.samplesPerSecond).toString().padStart(7)} samples/s${cpu}${ops}`;
}

/** `ratio_<name> batch=B X`: ours / theirs in samples per second, 'n/a' when either is missing. */
export function ratioLine(name: string, batch: number, ours: Figure | undefined, theirs: Figure | undefined): string {
  return `ratio_${name} batch=${batch} ${ours && theirs ? (ours.samplesPerSecond / theirs.samplesPerSecond).toFixed(2) : 'n/a'}`;
}

/** The faster of several figures (e.g. a framework's default pool and one thread). */
export function fastest(figures: Array<Figure | undefined>): Figure | undefined {
  let best: Figure | undefined;
  for (const f of figures) if (f && (!best || f.samplesPerSecond > best.samplesPerSecond)) best = f;
  return best;
}

/**
 * A step's time as `fixedMs + perSampleUs * batch`, fitted through two runs of different
 * batch sizes: the fixed part is what a step costs whatever its size (op dispatch, Python or
 * JavaScript per op, read-backs), the per-sample part grows with the batch (the kernels' work).
 * Each run's batch is its mean batch (samples / steps), so a last short batch counts as it ran.
 */
export interface StepCost { fixedMs: number; perSampleUs: number; msPerStep: [number, number] }

/**
 * `clock`: wall time, or CPU time (all threads), which a busy shared machine disturbs less: a
 * process waiting for a core spends wall time, not CPU time.
 */
export type Clock = 'wall' | 'cpu';

const secondsOf = (f: Figure, clock: Clock): number => (clock === 'cpu' ? f.cpuSeconds ?? NaN : f.seconds);

/** Samples per second of wall or CPU time. */
export function throughput(f: Figure, clock: Clock): number {
  return (f.samples * f.epochs) / secondsOf(f, clock);
}

export function stepCost(small: Figure, large: Figure, clock: Clock = 'wall'): StepCost {
  const ms = (f: Figure) => (secondsOf(f, clock) * 1000) / f.steps;
  const meanBatch = (f: Figure) => (f.samples * f.epochs) / f.steps;
  const [b1, b2] = [meanBatch(small), meanBatch(large)];
  const [t1, t2] = [ms(small), ms(large)];
  const perSampleMs = (t2 - t1) / (b2 - b1);
  return { fixedMs: t1 - perSampleMs * b1, perSampleUs: perSampleMs * 1000, msPerStep: [t1, t2] };
}

/** One row of the "where the time goes" table for a framework's two batch sizes. */
export function stepCostLine(label: string, small: Figure, large: Figure, clock: Clock): string {
  const c = stepCost(small, large, clock);
  const share = Math.max(0, Math.min(1, c.fixedMs / c.msPerStep[0]));
  const ops = small.opsPerStep !== undefined ? `  ${Math.round(small.opsPerStep)} TF ops/step, ${((c.fixedMs * 1000) / small.opsPerStep).toFixed(0)} µs fixed per op` : '';
  return `  ${`${label} (${clock})`.padEnd(40)} ${c.msPerStep[0].toFixed(2).padStart(7)} ms/step @${small.batch}  ${c.msPerStep[1].toFixed(2).padStart(7)} ms/step @${large.batch}` +
    `   fixed ${c.fixedMs.toFixed(2).padStart(6)} ms + ${c.perSampleUs.toFixed(1).padStart(6)} µs/sample  (fixed = ${(share * 100).toFixed(0).padStart(3)} % of a step @${small.batch})${ops}`;
}
