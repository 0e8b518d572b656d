// The faults, each done to a real `mts train` of the tabular-csv example (a CSV on disk, the
// shared model and two single-task baselines: about 4 s) at a stage of its run: while it loads
// (TensorFlow, the data), while the shared model or a baseline trains, or as it writes its
// results. What must then hold is oracle.ts's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SeededRandom } from '../../../src/core/random';
import type { Expectation } from './oracle';
import { signal, startTrain, type Exit, type TrainProcess } from './trainProcess';

export const STAGES = ['load', 'shared', 'baseline', 'end'] as const;
export type Stage = typeof STAGES[number];

const STAGE_LINE: Record<Exclude<Stage, 'load' | 'end'>, RegExp> = {
  shared: /shared model epoch \d+\//,
  baseline: /single-task \S+ epoch \d+\//,
};

export interface CaseSetup {
  /** The case's workspace: the experiment file and its CSV. */
  dir: string;
  specFile: string;
  dataFile: string;
  runsDir: string;
  epochs: number;
  stage: Stage;
  rng: SeededRandom;
}

export interface CaseOutcome {
  exits: Exit[];
  expect: Expectation;
  /** What was done, for the report line. */
  done: string;
  specEdited?: boolean;
  /** The runs folder the case used when not the usual one (a small disk's). */
  runsDir?: string;
}

export interface Scenario {
  name: string;
  /** Stages it makes sense at (a run folder fault needs the folder). */
  stages: readonly Stage[];
  /** Needs root (a tmpfs mount); skipped and said otherwise. */
  needsRoot?: boolean;
  run(c: CaseSetup): Promise<CaseOutcome>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function train(c: CaseSetup, options: { fileSizeKiB?: number; out?: string } = {}): TrainProcess {
  return startTrain([c.specFile, '--epochs', String(c.epochs), '--out', options.out ?? c.runsDir], c.dir, options);
}

/** Waits until the run is at `stage` (load: a random moment of its first 1.5 s); false if it ended first. */
async function reach(p: TrainProcess, c: CaseSetup): Promise<boolean> {
  if (c.stage === 'load') {
    await sleep(c.rng.int(1500));
    return true;
  }
  if (c.stage !== 'end') return p.waitFor(STAGE_LINE[c.stage]);
  // The run's last writes: charts/ is made as the report is staged, before summary.json and
  // run.json's "completed" (the printed results come after them all).
  if (!await p.waitFor(/^run folder: /m)) return false;
  const charts = path.join(runFolder(p, c)!, 'charts');
  for (let done = false; !done; await sleep(5)) {
    if (fs.existsSync(charts)) return true;
    done = await Promise.race([p.exited.then(() => true), sleep(0).then(() => false)]);
  }
  return false;
}

/** The run folder `mts train` printed (relative to the case's folder). */
function runFolder(p: TrainProcess, c: CaseSetup): string | undefined {
  const m = p.output().match(/^run folder: (.+)$/m);
  return m ? path.resolve(c.dir, m[1]!.trim()) : undefined;
}

/** The trainer's pid, waiting briefly for it to start. */
async function trainerOf(p: TrainProcess): Promise<number | undefined> {
  for (let i = 0; i < 100; i++) {
    const pid = p.trainerPid();
    if (pid !== undefined) return pid;
    await sleep(10);
  }
  return undefined;
}

const ALL = STAGES;
const WITH_FOLDER: readonly Stage[] = ['shared', 'baseline', 'end'];

function signalTrainer(sig: NodeJS.Signals): Scenario {
  return {
    name: `trainer-${sig.toLowerCase()}`,
    stages: ALL,
    async run(c) {
      const p = train(c);
      const reached = await reach(p, c);
      const sent = reached && signal(await trainerOf(p), sig);
      return { exits: [await p.exited], expect: sent ? { trainerSignal: sig } : {}, done: sent ? `${sig} to the trainer` : 'ended before the fault' };
    },
  };
}

/** A tmpfs of `kib` KiB as the runs folder; the campaign unmounts it. */
function smallDisk(c: CaseSetup, kib: number): string {
  const dir = path.join(c.dir, 'disk');
  fs.mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { stdio: 'pipe' });
  return dir;
}

export function unmountSmallDisk(caseDir: string): void {
  const dir = path.join(caseDir, 'disk');
  if (!fs.existsSync(dir)) return;
  try { execFileSync('umount', ['-l', dir], { stdio: 'pipe' }); } catch { /* not mounted */ }
}

export const SCENARIOS: Scenario[] = [
  signalTrainer('SIGKILL'),
  signalTrainer('SIGSEGV'),
  {
    name: 'both-killed',
    stages: ALL,
    async run(c) {
      // mts train and its trainer killed together (a closed terminal's kill -9, the OOM killer taking both):
      // nobody is left to write run.json, so readers must judge the run by its dead trainer.
      const p = train(c);
      const reached = await reach(p, c);
      const trainer = await trainerOf(p);
      if (reached) {
        signal(trainer, 'SIGSTOP'); // frozen first: it cannot write "cancelled" when it loses its parent
        signal(p.pid, 'SIGKILL');
        signal(trainer, 'SIGKILL');
      }
      const exit = await p.exited;
      while (trainer !== undefined && fs.existsSync(`/proc/${trainer}`) && !/\) Z /.test(safeRead(`/proc/${trainer}/stat`))) await sleep(10);
      return { exits: [exit], expect: reached ? { supervisorKilled: true } : {}, done: reached ? 'SIGKILL to mts train and its trainer' : 'ended before the fault' };
    },
  },
  {
    name: 'ctrl-c',
    stages: ALL,
    async run(c) {
      const p = train(c);
      const reached = await reach(p, c) && await catchesSigint(p);
      if (reached) signal(p.pid, 'SIGINT');
      return { exits: [await p.exited], expect: reached ? { interrupted: true } : {}, done: reached ? 'SIGINT to mts train' : 'ended before the fault' };
    },
  },
  {
    name: 'run-folder-removed',
    stages: WITH_FOLDER,
    async run(c) {
      const p = train(c);
      const reached = await reach(p, c) && await p.waitFor(/^run folder: /m);
      const folder = reached ? runFolder(p, c) : undefined;
      // Moved out of the runs folder at once, then removed (an rm -r racing the trainer's new files fails ENOTEMPTY).
      if (folder) {
        const aside = path.join(c.dir, 'removed-run');
        fs.renameSync(folder, aside);
        fs.rmSync(aside, { recursive: true, force: true });
      }
      return { exits: [await p.exited], expect: folder ? { folderFault: true, removedRunFolder: folder } : {}, done: folder ? 'run folder removed' : 'ended before the fault' };
    },
  },
  {
    name: 'metrics-replaced-by-folder',
    // While metrics are still appended (at the end they are all written: a later swap is the user's doing).
    stages: ['shared', 'baseline'],
    async run(c) {
      const p = train(c);
      const reached = await reach(p, c) && await p.waitFor(/^run folder: /m);
      const folder = reached ? runFolder(p, c) : undefined;
      if (folder) {
        const metrics = path.join(folder, 'metrics.jsonl');
        fs.rmSync(metrics, { force: true });
        fs.mkdirSync(metrics, { recursive: true });
      }
      return { exits: [await p.exited], expect: folder ? { folderFault: true } : {}, done: folder ? 'metrics.jsonl replaced by a folder' : 'ended before the fault' };
    },
  },
  {
    name: 'run-json-removed',
    // While it is still rewritten (removed after the run's last write, it is the user's doing).
    stages: ['shared', 'baseline'],
    async run(c) {
      // run.json is rewritten whole at each epoch's end: one removed mid-run comes back.
      const p = train(c);
      const reached = await reach(p, c) && await p.waitFor(/^run folder: /m);
      const folder = reached ? runFolder(p, c) : undefined;
      if (folder) fs.rmSync(path.join(folder, 'run.json'), { force: true });
      return { exits: [await p.exited], expect: {}, done: folder ? 'run.json removed' : 'ended before the fault' };
    },
  },
  {
    name: 'file-size-limit',
    stages: ['load'],
    async run(c) {
      // Node ignores SIGXFSZ: a write past `ulimit -f` fails with EFBIG. 8-72 KiB: some runs pass, most do not.
      const kib = 8 + c.rng.int(65);
      const p = train(c, { fileSizeKiB: kib });
      return { exits: [await p.exited], expect: { folderFault: true }, done: `ulimit -f ${kib}` };
    },
  },
  {
    name: 'disk-full',
    stages: ['load', ...WITH_FOLDER],
    needsRoot: true,
    async run(c) {
      const disk = smallDisk(c, 2048);
      const out = path.join(disk, 'runs');
      copyWitness(c.runsDir, out);
      const p = train(c, { out });
      const reached = await reach(p, c);
      if (reached) fillDisk(disk);
      return { exits: [await p.exited], expect: reached ? { folderFault: true } : {}, done: reached ? 'runs folder\'s disk filled' : 'ended before the fault', runsDir: out };
    },
  },
  {
    name: 'read-only',
    // Only before the run opens its files: Linux refuses to remount a file system read-only
    // while a file on it is open for writing (the TensorBoard event files stay open).
    stages: ['load'],
    needsRoot: true,
    async run(c) {
      const disk = smallDisk(c, 4096);
      const out = path.join(disk, 'runs');
      copyWitness(c.runsDir, out);
      const p = train(c, { out });
      const reached = await reach(p, c);
      if (reached) execFileSync('mount', ['-o', 'remount,ro', disk], { stdio: 'pipe' });
      return { exits: [await p.exited], expect: reached ? { folderFault: true } : {}, done: reached ? 'runs folder remounted read-only' : 'ended before the fault', runsDir: out };
    },
  },
  {
    name: 'two-at-once',
    stages: ['load'],
    async run(c) {
      // Two runs of one experiment into one runs folder: each its own folder, both complete.
      const a = train(c);
      await sleep(c.rng.int(1000));
      const b = train(c);
      return { exits: [await a.exited, await b.exited], expect: { completes: true }, done: 'a second mts train of the experiment' };
    },
  },
  {
    name: 'spec-edited',
    stages: ALL,
    async run(c) {
      // The experiment file is read once: breaking it, then removing it, mid-run changes nothing of the run.
      const p = train(c);
      const reached = await reach(p, c);
      if (reached) {
        fs.writeFileSync(c.specFile, '{ "name": "half typed');
        await sleep(200);
        fs.rmSync(c.specFile);
      }
      const exits = [await p.exited];
      // Broken or gone before mts train read it: a located problem of the file (exit 1) or "cannot read" (exit 2) is right too.
      const { code, stdout, stderr } = exits[0]!;
      const brokenBeforeRead = !/^run folder: /m.test(stdout)
        && ((code === 1 && /\.mtl\.json:\d+:\d+: error: /m.test(stderr)) || (code === 2 && /^mts: cannot read \S+\.mtl\.json: no such file/m.test(stderr)));
      return { exits, expect: brokenBeforeRead ? {} : { completes: true }, done: reached ? 'experiment file broken, then removed' : 'ended before the fault', specEdited: true };
    },
  },
  {
    name: 'data-changed',
    stages: ALL,
    async run(c) {
      // The CSV is read once, before training: cut to its header mid-run, the run still completes on the rows it read.
      const p = train(c);
      const reached = await reach(p, c);
      if (reached) fs.writeFileSync(c.dataFile, fs.readFileSync(c.dataFile, 'utf8').split('\n')[0]! + '\n');
      const exits = [await p.exited];
      // Cut during loading, the file may be read cut: then a located data problem (exit 1) is right too.
      const cutBeforeRead = c.stage === 'load' && exits[0]!.code === 1 && /(^|: )error: data\./m.test(exits[0]!.stderr);
      return { exits, expect: cutBeforeRead ? {} : { completes: true }, done: reached ? 'the CSV cut to its header' : 'ended before the fault' };
    },
  },
];

/**
 * Whether `mts train` listens for Ctrl+C, waiting for it: it does once it has started its trainer
 * (trainSupervisor.ts forwards SIGINT from then on). Before, Node itself still boots (0.3-0.6 s on
 * a busy machine): Ctrl+C kills any program by the signal then, before it has started anything,
 * which is no fault of a run; one during the bundle's load is held by bin/mts.js until the command
 * can take it (cliLoadSigint.test.ts), but the wait keeps the case about the trainer.
 */
async function catchesSigint(p: TrainProcess): Promise<boolean> {
  for (;;) {
    if (p.trainerPid() !== undefined) return true;
    if (await Promise.race([p.exited.then(() => true), sleep(5).then(() => false)])) return false;
  }
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function fillDisk(dir: string): void {
  try {
    fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(4096 * 1024));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
}

/** The earlier run every case starts with, copied into another runs folder. */
export function copyWitness(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}
