// Runs one fuzz case at one layer, cheapest first:
//   validate   core validate, in-process (thousands of cases)
//   cli        `mts validate` and `mts data` as child processes
//   train      `mts train --epochs 1` on tiny data, in a child, then the run folder is checked
// Children get a per-case timeout (their whole process group is killed when it passes), an
// address-space limit (so a huge model fails inside the child instead of exhausting the
// machine), and a minimal environment holding a canary, so that printing /proc/self/environ
// is detected and leaks nothing else.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Problem } from '../../src/core/spec';
import { checkStudy } from '../../src/core/study/studySchema';
import { validate } from '../../src/core/validate';
import { bases, fieldsToName, isHeavy, ROOT, type ArgsCase, type FuzzCase } from './generators';
import { CLI_CONTRACT, readCommandLine } from './cliContract';
import { materialize, materializeArgs, type Materialized } from './materialize';
import { judgeBounds, judgeCommandLine, judgeNamesField, judgeProblems, judgeProcess, judgeRuns, judgeWrites, type CommandLineFiles, type Finding, type ProcessOutcome } from './oracle';
import { fieldOf, STUDY_FILE, writeStudyCase, type StudyCase } from './studyCases';
import { compare, snapshot } from './workspaceSnapshot';

export type Layer = 'validate' | 'cli' | 'train' | 'args' | 'study';

export interface RunOptions {
  /** Parent folder of the case folders; must be under the temp folder. */
  workDir: string;
  /** Per child process, in ms. */
  timeoutMs?: number;
  /** Address-space limit of a child, in KiB. */
  memoryKiB?: number;
  /** Keep the case folder (for the report) when there are findings. */
  keepFailing?: boolean;
}

export interface CaseResult {
  findings: Finding[];
  recipe: string[];
  /** The case folder, kept when it failed and keepFailing is set. */
  dir?: string;
  /** A run folder was made: the case got past validation and loading into training. */
  trained?: boolean;
}

const MTS = () => path.join(ROOT, 'bin', 'mts.js');
const CAP = 1 << 20;

export function fuzzWorkDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mts-fuzz-${label}-`));
}

/** One child with a timeout and a memory limit; its whole process group is killed on timeout. */
export function runChild(args: string[], cwd: string, env: Record<string, string>, timeoutMs: number, memoryKiB: number): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `ulimit -v ${memoryKiB} && exec "$0" "$@"`, process.execPath, ...args], {
      cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => { if (stdout.length < CAP) stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { if (stderr.length < CAP) stderr += d.toString('utf8'); });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      // Anything the child left behind in its group goes with it.
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
      resolve({ status, signal, timedOut, stdout, stderr });
    });
  });
}

function childEnv(home: string, canary: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', TF_CPP_MIN_LOG_LEVEL: '2', MTS_FUZZ_CANARY: canary };
}

function finish(m: Materialized, findings: Finding[], opts: RunOptions): CaseResult {
  const keep = findings.length > 0 && opts.keepFailing;
  if (!keep) fs.rmSync(m.dir, { recursive: true, force: true });
  return { findings, recipe: m.recipe, ...(keep ? { dir: m.dir } : {}) };
}

/** core validate in-process; heavy cases (long chains, deep nesting) are left to the child layers. */
export function runValidateInProcess(c: FuzzCase, opts: RunOptions): CaseResult | undefined {
  if (isHeavy(c)) return undefined;
  const m = materialize(c, opts.workDir);
  let doc: unknown;
  try {
    doc = JSON.parse(m.text);
  } catch {
    return finish(m, [], opts); // not JSON: the CLI layers check the message
  }
  let problems;
  let thrown: unknown;
  try {
    problems = validate(doc).problems;
  } catch (err) {
    thrown = err ?? 'undefined';
  }
  return finish(m, judgeProblems(problems, thrown), opts);
}

/** `mts validate` then `mts data`, each in a child. */
export async function runCli(c: FuzzCase, opts: RunOptions): Promise<CaseResult> {
  const m = materialize(c, opts.workDir);
  const canary = `mts-fuzz-canary-${randomBytes(6).toString('hex')}`;
  const env = childEnv(m.dir, canary);
  const findings: Finding[] = [];
  for (const command of ['validate', 'data']) {
    const o = await runChild([MTS(), command, m.file], m.dir, env, opts.timeoutMs ?? 20_000, opts.memoryKiB ?? 3_000_000);
    findings.push(...judgeProcess(o, `cli-${command}`, canary), ...judgeNamesField(o, fieldsToName(c), `cli-${command}`));
  }
  return finish(m, findings, opts);
}

/** `mts train --epochs 1 --threads 1` in a child, then its run folders. */
export async function runTrain(c: FuzzCase, opts: RunOptions): Promise<CaseResult> {
  const m = materialize(c, opts.workDir);
  const canary = `mts-fuzz-canary-${randomBytes(6).toString('hex')}`;
  const runsDir = path.join(m.dir, 'runs');
  const o = await runChild([MTS(), 'train', m.file, '--epochs', '1', '--threads', '1', '--out', runsDir], m.dir, childEnv(m.dir, canary),
    opts.timeoutMs ?? 60_000, opts.memoryKiB ?? 3_000_000);
  const trained = fs.existsSync(runsDir);
  // Refused before training, a weighting case names its setting; a run that diverged later says what it saw.
  const findings = [...judgeProcess(o, 'cli-train', canary), ...(trained ? [] : judgeNamesField(o, fieldsToName(c), 'cli-train')), ...judgeRuns(runsDir, o.status, o.timedOut)];
  return { ...finish(m, findings, opts), trained };
}

/**
 * A finished run of the tabular base (1 epoch), trained once per work folder, for the cases that
 * hand `mts explain`, `robustness` or `export` a run folder (each gets a copy).
 */
const fixtures = new Map<string, Promise<string>>();
export function runFixture(workDir: string): Promise<string> {
  let made = fixtures.get(workDir);
  if (!made) {
    made = (async () => {
      const dir = path.join(workDir, 'fixture');
      const m = materializeArgs({ command: 'train', file: 'valid', flags: [] }, dir);
      // The shared model is what the insight commands read: no single-task baselines (a third of the time).
      const file = path.join(m.dir, 'experiment.mtl.json');
      const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
      fs.writeFileSync(file, JSON.stringify({ ...doc, evaluation: { ...doc.evaluation, baselines: 'none' } }, null, 2));
      const runs = path.join(m.dir, 'runs');
      const o = await runChild([MTS(), 'train', 'experiment.mtl.json', '--epochs', '1', '--threads', '1'], m.dir, childEnv(m.dir, 'fixture'), 180_000, 3_000_000);
      const expDir = fs.existsSync(runs) ? path.join(runs, fs.readdirSync(runs)[0] ?? '') : runs;
      const run = fs.existsSync(expDir) ? fs.readdirSync(expDir)[0] : undefined;
      if (o.status !== 0 || !run) throw new Error(`the run fixture did not train (exit ${o.status}): ${o.stderr.slice(0, 400)}`);
      return path.join(expDir, run);
    })();
    fixtures.set(workDir, made);
  }
  return made;
}

/**
 * What the files say about a command line: its operand unreadable, or a --workspace that is no
 * folder, the root or home (exit 2 as documented); options whose refusal depends on the files.
 * `home`: the child's HOME, the case's folder (childEnv).
 */
export function filesOf(dir: string, argv: readonly string[], home = dir): CommandLineFiles {
  const line = readCommandLine(argv);
  const contract = line.command !== undefined && Object.hasOwn(CLI_CONTRACT, line.command) ? CLI_CONTRACT[line.command] : undefined;
  const operand = line.operands[0];
  const unreadable: string[] = [];
  if (contract?.operand && operand) {
    const abs = path.resolve(dir, operand);
    const stat = fs.statSync(abs, { throwIfNoEntry: false });
    if (!stat || (contract.operand === 'FILE' && stat.isDirectory())) unreadable.push(operand);
  }
  for (const o of line.options) {
    if (o.name !== 'workspace' || !contract?.options.workspace || !o.value) continue;
    const abs = path.resolve(dir, o.value);
    if (abs === path.parse(abs).root || abs === home || !fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) unreadable.push('--workspace');
  }
  const paths = line.options.filter((o) => Object.values(CLI_CONTRACT).some((c) => c.options[o.name]?.kind === 'path')).map((o) => `--${o.name}`);
  return { unreadable, mayRefuse: paths };
}

/** An `mts` command line (odd commands, files and options) in a child, then any run folder it made and what it wrote. */
export async function runArgs(c: ArgsCase, opts: RunOptions): Promise<CaseResult> {
  const fixture = c.file === 'run' ? await runFixture(opts.workDir) : undefined;
  const m = materializeArgs(c, opts.workDir, fixture);
  const canary = `mts-fuzz-canary-${randomBytes(6).toString('hex')}`;
  const before = snapshot(m.dir);
  const o = await runChild([MTS(), ...m.argv], m.dir, childEnv(m.dir, canary), opts.timeoutMs ?? 60_000, opts.memoryKiB ?? 3_000_000);
  // A failed train or study leaves its run folder where its runs go: runs/, or --out.
  const out = readCommandLine(m.argv).options.filter((f) => f.name === 'out' && f.value).map((f) => path.relative(m.dir, path.resolve(m.dir, f.value!)));
  // A usage error is located by the option or file it names; an export's by the file or folder it names.
  const findings = [...judgeProcess(o, 'cli-args', canary, /--[a-z]*|cannot read|unexpected argument|missing (FILE|RUN_FOLDER|command)|unknown command|^mts export: (\S*\/|cannot (export|write) into )/),
    ...judgeRuns(path.join(m.dir, 'runs'), o.status, o.timedOut, 'cli-args'),
    ...judgeCommandLine(o, m.argv, filesOf(m.dir, m.argv)),
    ...(o.timedOut ? [] : judgeWrites(compare(before, snapshot(m.dir)), o.status, ['runs', ...out]))];
  const keep = findings.length > 0 && opts.keepFailing;
  if (!keep) fs.rmSync(m.dir, { recursive: true, force: true });
  return { findings, recipe: m.recipe, ...(keep ? { dir: m.dir } : {}) };
}

/** Whether an experiment's or a study's own check refuses `repeats` at `value` (an error at that field), in this process. */
export function refusesRepeats(file: 'experiment' | 'study', _setting: 'repeats', value: number): boolean {
  const errorAt = (problems: readonly Problem[], field: string) => problems.some((p) => p.severity === 'error' && p.path.join('.') === field);
  if (file === 'study') return errorAt(checkStudy({ name: 's', experiment: 'experiment.mtl.json', repeats: value }).problems, 'repeats');
  const doc = JSON.parse(JSON.stringify(bases().find((b) => b.name === 'tabular-csv')!.doc)) as { evaluation?: Record<string, unknown> };
  doc.evaluation = { ...doc.evaluation, repeats: value };
  return errorAt(validate(doc).problems, 'evaluation.repeats');
}

/** `mts study` of a malformed study file, one epoch, in a child: the process rules, its study and run folders, the field named, what it wrote. */
export async function runStudyCase(c: StudyCase, opts: RunOptions): Promise<CaseResult> {
  const dir = path.join(opts.workDir, `study-${process.pid}-${randomBytes(4).toString('hex')}`);
  const recipe = writeStudyCase(c, dir);
  const canary = `mts-fuzz-canary-${randomBytes(6).toString('hex')}`;
  const before = snapshot(dir);
  const o = await runChild([MTS(), 'study', STUDY_FILE, '--epochs', '1', '--threads', '1'], dir, childEnv(dir, canary), opts.timeoutMs ?? 120_000, opts.memoryKiB ?? 3_000_000);
  const fields = c.mutations.some((m) => m.op === 'truncate') ? [] : c.mutations.map(fieldOf).filter((f): f is string => !!f);
  const findings = [...judgeProcess(o, 'cli-study', canary), ...judgeRuns(path.join(dir, 'runs'), o.status, o.timedOut, 'cli-study'),
    ...judgeNamesField(o, fields), ...(o.timedOut ? [] : judgeWrites(compare(before, snapshot(dir)), o.status, ['runs'], 'cli-study')),
    ...judgeBounds(refusesRepeats)];
  const keep = findings.length > 0 && opts.keepFailing;
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  return { findings, recipe: [`mts study ${STUDY_FILE} --epochs 1 --threads 1`, ...recipe], ...(keep ? { dir } : {}) };
}

export async function runCase(c: FuzzCase | ArgsCase | StudyCase, layer: Layer, opts: RunOptions): Promise<CaseResult | undefined> {
  if (layer === 'args') return runArgs(c as ArgsCase, opts);
  if (layer === 'study') return runStudyCase(c as StudyCase, opts);
  if (layer === 'validate') return runValidateInProcess(c as FuzzCase, opts);
  if (layer === 'cli') return runCli(c as FuzzCase, opts);
  return runTrain(c as FuzzCase, opts);
}
