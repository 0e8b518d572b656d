// `mts`: the engine without VS Code.
//   mts train FILE [--epochs N] [--backend auto|tensorflow|wasm|cpu] [--threads N] [--out DIR] [--max-memory SIZE] [--allow-path DIR]...
//   mts validate FILE [--max-memory SIZE] [--allow-path DIR]...   also reads the data as a run does (validateWithData.ts)
//   mts data FILE [--max-memory SIZE] [--allow-path DIR]...   the data as training sees it (the designer's "Preview data")
// --max-memory (e.g. 8GB, 512MB; default half this machine's memory): refuse an experiment
// estimated to need more (core/budget.ts), before any data is generated or tensor allocated.
// Data files are read only inside the experiment's workspace (dataRoots below) or an --allow-path folder.
//   mts info [--backend B] [--threads N]
//   mts robustness RUN_FOLDER [--eps 0.01,0.03,0.1] [--attacks fgsm,pgd] [--steps N] [--examples N] [--workspace DIR] [--backend B] [--threads N] [--allow-path DIR]...
//     FGSM and PGD on a finished run's saved model (insight/robustnessOfRun.ts); --workspace: the folder the
//     experiment's data paths are relative to (default: the folder holding the run's runs/ folder).
//   mts explain RUN_FOLDER [--examples N] [--steps N] [--baseline zeros|mean] [--workspace DIR] [--backend B] [--threads N] [--allow-path DIR]...
//     saliency, feature ranking and shared-unit reliance of the saved model (insight/explainOfRun.ts).
//   mts study FILE [--json] [--resume DIR] [--epochs N] [--backend B] [--threads N] [--out DIR] [--max-memory SIZE] [--allow-path DIR]...
//     trains every variant of a study (*.mtl-study.json) on every seed (and fold) in this process and prints the
//     variants x tasks table (with --json: study.json on stdout, progress on stderr). --resume DIR
//     continues a study folder: completed runs are kept.
//   mts export FILE|RUN_FOLDER --to keras|notebook|onnx [--out DIR] [--workspace DIR] [--allow-path DIR]...
//     the experiment as a Keras 3 package (+ a Jupyter notebook), or model.onnx; default DIR:
//     <run folder>/export, or export/ beside the experiment file (src/trainer/export/).
//     --workspace: where a run's data paths start (default: the folder holding runs/).
// Exit codes: 0 success; 1 the experiment has problems or training failed;
// 2 usage error (an option the command does not take, an empty path, a value past the bound the same
// setting has in an experiment, a second operand, an option where a value belongs: `--out --examples`,
// write `--out=--examples` for such a value; a --workspace that is no folder, or the root or home) or an unreadable file or run folder; 130 interrupted (Ctrl+C; the run reads "cancelled").
// `mts train` trains in a child it watches (trainSupervisor.ts): a trainer killed by a signal
// exits 1 and its run.json says failed, with the signal and a hint.
import { repeatLabel } from '../core/repeats';
import { repeatedRows, repeatsDescription, sharingVerdict } from '../core/stats/repeatedText';
import fs from 'node:fs';
import path from 'node:path';
import { stripBom } from '../core/bom';
import { DEFAULT_DELTA_M, DELTA_M_CONVENTIONS } from '../core/deltaM';
import { formatInteger, formatPercent } from '../core/markup';
import { inputShapeProblems } from '../core/dataShape';
import { jsonSyntaxError } from '../core/jsonScan';
import { JsonIndex, lineColumnAt } from '../core/jsonPath';
import { phaseLabel, SHARED_PHASE } from '../core/phase';
import { WHOLE_MODEL, type BackendPreference, type FromTrainer, type MetricPoint } from '../core/protocol';
import { unitUse, type ExplainSpec } from '../core/explain';
import type { AttackKind, RobustnessSpec } from '../core/robustness';
import type { Problem } from '../core/spec';
import { describeEstimate, estimateMemory, formatBytes, parseMemorySize } from '../core/budget';
import { isWriteFault } from '../core/runFaults';
import { describeBackend, isBackendPreference, loadBackend } from './backend';
import { installCodeCache } from './codeCache';
import { errnoWords } from './errnoWords';
import { dataSummaryOf } from './dataSummaryOf';
import { dataSummaryLines } from './dataSummaryText';
import { memoryBudget } from './memoryBudget';
import { finishOpenRunsSync } from './artifacts/runWriter';
import { validateWithData } from './validateWithData';
import { explainOfRun } from './insight/explainOfRun';
import { robustnessOfRun } from './insight/robustnessOfRun';
import { savedRunProblem } from './insight/savedRun';
import { runExperiment } from './run';
import { LIMITS } from '../core/experimentSchema';
import { checkStudy } from '../core/study/studySchema';
import type { StudyResult } from '../core/study/studyTypes';
import { runStudy } from './study/runStudy';
import { studyTableLines } from './study/studyTable';
import { ExportCancelled, ExportError, exportExperiment, EXPORT_FORMATS, isExportTarget } from './export/index';
import { isTrainChild, superviseTrain, type TrainChildNote } from './trainSupervisor';
import { neverAWorkspace, optionProblem, workspaceProblem } from './cliOptions';
import { defaultWorkspaceOfRun } from '../node/runWorkspace';

// TensorFlow.js' code compiled from V8's cache of the last start (codeCache.ts), as in the
// extension's trainer (child.ts), before any command requires it (backend.ts, on demand).
installCodeCache();

const USAGE = `usage:
  mts train FILE [--epochs N] [--backend auto|tensorflow|wasm|cpu] [--threads N] [--out DIR] [--max-memory SIZE] [--allow-path DIR]...
  mts validate FILE [--max-memory SIZE] [--allow-path DIR]...
  mts data FILE [--max-memory SIZE] [--allow-path DIR]...
  mts info [--backend auto|tensorflow|wasm|cpu] [--threads N]
  mts robustness RUN_FOLDER [--eps 0.01,0.03,0.1] [--attacks fgsm,pgd] [--steps N] [--examples N] [--workspace DIR] [--backend B] [--threads N] [--allow-path DIR]...
  mts explain RUN_FOLDER [--examples N] [--steps N] [--baseline zeros|mean] [--workspace DIR] [--backend B] [--threads N] [--allow-path DIR]...
  mts study FILE [--json] [--resume DIR] [--epochs N] [--backend auto|tensorflow|wasm|cpu] [--threads N] [--out DIR] [--max-memory SIZE] [--allow-path DIR]...
  mts export FILE|RUN_FOLDER --to keras|notebook|onnx [--out DIR] [--workspace DIR] [--allow-path DIR]...`;

/** More TensorFlow threads than this is a typo, not a machine: 1e9 crashed the native library (SIGSEGV), 99999 never started. */
const MAX_THREADS = 256;

class UsageError extends Error {}
/** Bad input (not the command line): its message is printed as is, exit code 1. */
class InputError extends Error {}

function parseArgs(argv: string[]) {
  const [command, ...rest] = argv;
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const allowPaths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--json') {
      // The one flag without a value.
      const problem = optionProblem(command, 'json', 'true');
      if (problem) throw new UsageError(problem);
      flags.set('json', 'true');
    }
    else if (a.startsWith('--')) {
      // --name=value splits at the first "=" only: the value may hold more.
      const eq = a.indexOf('=');
      const [k, v] = eq >= 0 ? [a.slice(2, eq), a.slice(eq + 1)] : [a.slice(2), rest[++i]];
      // `--json=false` turned JSON on: the flag takes no value.
      if (k === 'json') throw new UsageError(`--json takes no value (got ${a})`);
      if (v === undefined) throw new UsageError(`--${k} needs a value`);
      const problem = optionProblem(command, k, v, eq >= 0 ? 'equals' : 'apart');
      if (problem) throw new UsageError(problem);
      if (k === 'allow-path') allowPaths.push(path.resolve(v));
      else flags.set(k, v);
    } else positional.push(a);
  }
  const backend = flags.get('backend') ?? 'auto';
  if (!isBackendPreference(backend)) throw new UsageError(`--backend must be auto, tensorflow, wasm or cpu (got ${backend})`);
  const epochsText = flags.get('epochs');
  const epochs = epochsText === undefined ? undefined : Number(epochsText);
  if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1)) throw new UsageError(`--epochs must be a whole number >= 1 (got ${epochsText})`);
  // The bound training.epochs has in an experiment: 1e9 trained on until stopped by hand.
  if (epochs !== undefined && epochs > LIMITS.epochs) throw new UsageError(`--epochs must be at most ${LIMITS.epochs} (got ${epochsText})`);
  const threadsText = flags.get('threads');
  const threads = threadsText === undefined ? undefined : Number(threadsText);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new UsageError(`--threads must be a whole number >= 1 (got ${threadsText})`);
  if (threads !== undefined && threads > MAX_THREADS) throw new UsageError(`--threads must be at most ${MAX_THREADS} (got ${threadsText})`);
  const maxMemoryText = flags.get('max-memory');
  const maxMemory = maxMemoryText === undefined ? undefined : parseMemorySize(maxMemoryText);
  if (maxMemoryText !== undefined && maxMemory === undefined) throw new UsageError(`--max-memory must be a size such as 8GB or 512MB (got ${maxMemoryText})`);
  const budget = memoryBudget(maxMemory, '--max-memory');
  const workspace = flags.get('workspace');
  const workspaceWrong = workspace === undefined ? undefined : workspaceProblem(workspace);
  if (workspaceWrong) throw new UsageError(workspaceWrong);
  const to = flags.get('to');
  if (to !== undefined && !isExportTarget(to)) throw new UsageError(`--to must be ${EXPORT_FORMATS.join(', ')} (got ${to})`);
  return { command, positional, backend: backend as BackendPreference, epochs, threads, out: flags.get('out'), budget, allowPaths, flags, json: flags.has('json'), resume: flags.get('resume'), to, workspace };
}

/**
 * The folders an experiment's data may be read from: its workspace, i.e. the nearest folder
 * at or above the experiment file that holds .git or .vscode (else the experiment's own
 * folder), and every --allow-path folder. The home folder and the file system's root are never
 * a workspace: VS Code keeps its extensions in ~/.vscode, which would open all of home.
 */
function dataRoots(specDir: string, allowPaths: string[]): string[] {
  let workspace = specDir;
  for (let dir = specDir; !neverAWorkspace(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git')) || fs.existsSync(path.join(dir, '.vscode'))) { workspace = dir; break; }
    if (path.dirname(dir) === dir) break;
  }
  return [workspace, ...allowPaths];
}

/**
 * Before any work, that the --out folder can be made: its missing levels are created one at
 * a time and removed again (Node's recursive mkdir never returns for a path under /proc; a
 * file in the way gave ENOTDIR only after the data was loaded).
 */
function probeOutFolder(out: string): void {
  const missing: string[] = [];
  let dir = path.resolve(out);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) {
    missing.unshift(dir);
    dir = path.dirname(dir);
  }
  if (!fs.statSync(dir).isDirectory()) throw new UsageError(`--out ${out}: ${dir} is a file, not a folder`);
  const made: string[] = [];
  try {
    for (const d of missing) {
      try {
        fs.mkdirSync(d);
      } catch (err) {
        // A folder that cannot be written (read-only, full, no permission) is not a usage error:
        // the run writer names it and marks the run failed (exit 1), as for a disk that fills later.
        if (isWriteFault((err as NodeJS.ErrnoException).code)) return;
        throw new UsageError(`--out ${out}: cannot create the folder ${d}: ${errnoWords(err)}`);
      }
      made.unshift(d);
    }
  } finally {
    for (const d of made) fs.rmdirSync(d);
  }
}

function readDoc(file: string | undefined): { doc: unknown; text: string; file: string } {
  if (!file) throw new UsageError('missing FILE');
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${errnoWords(err)}`);
  }
  const text = stripBom(raw);
  try {
    return { doc: JSON.parse(text), text, file };
  } catch (err) {
    // Where it breaks, as file:line:column (V8's message carries no position). Our parser
    // skips one BOM itself, so it reads the file as is (a second BOM is then the error).
    const syntax = jsonSyntaxError(raw);
    const at = syntax ? lineColumnAt(raw, syntax.offset) : undefined;
    const where = at ? `${file}:${at.line + 1}:${at.column + 1}` : file;
    throw new InputError(`${where}: error: not valid JSON: ${syntax?.message ?? (err as Error).message}`);
  }
}

/** ':line:column' of a JSON path's value, or '' when the text has no JSON value. */
function positionOf(text: string, path: readonly (string | number)[], index = new JsonIndex(text)): string {
  const found = index.locate(path);
  const where = found ? index.lineColumn(found.value.start) : undefined;
  return where ? `:${where.line + 1}:${where.column + 1}` : '';
}

function printProblems(file: string, text: string, problems: Problem[]): void {
  const index = new JsonIndex(text);
  for (const p of problems) {
    const pos = positionOf(text, p.path, index);
    const jsonPath = p.path.length ? ` (${p.path.join('.')})` : '';
    console.error(`${file}${pos}: ${p.severity}: ${p.message}${jsonPath}`);
  }
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));

function epochLine(points: MetricPoint[]): string {
  return points.filter((p) => p.task !== WHOLE_MODEL && p.split === 'validation' && p.metric !== 'loss')
    .map((p) => `${p.task} ${p.metric} ${fmt(p.value)}`).join(', ');
}

/**
 * Ctrl+C once: `cancelled` turns true and the work stops after the current step; twice: quit at
 * once, but a run still reads "cancelled", not "running" with its trainer gone.
 */
function onInterrupt(hint: string): { cancelled: boolean } {
  const state = { cancelled: false };
  process.on('SIGINT', () => {
    if (state.cancelled) {
      finishOpenRunsSync('cancelled');
      process.exit(130);
    }
    state.cancelled = true;
    console.error(`\nstopping after the current step (Ctrl+C again to quit at once)${hint}`);
  });
  return state;
}

async function train(args: ReturnType<typeof parseArgs>): Promise<number> {
  const { doc, text, file } = readDoc(args.positional[0]);
  const specDir = path.dirname(path.resolve(file));
  const runsDir = path.resolve(args.out ?? path.join(specDir, 'runs'));
  if (args.out !== undefined) probeOutFolder(args.out);
  const interrupt = onInterrupt('');
  // The supervising parent went away (killed): stop after the current step, as a Ctrl+C would.
  process.on('disconnect', () => { interrupt.cancelled = true; });
  const cancelled = () => interrupt.cancelled;
  const tty = process.stderr.isTTY;
  let phaseName = phaseLabel(SHARED_PHASE);
  let lastBar = 0;
  const emit = (m: FromTrainer) => {
    switch (m.type) {
      case 'started':
        phaseName = phaseLabel(m.phase);
        if (m.phase.kind === 'shared' && (m.repeat?.index ?? 0) === 0) {
          console.log(`run folder: ${path.relative(process.cwd(), m.runDir) || m.runDir}\nbackend: ${m.backend}`);
          if (isTrainChild()) process.send!({ runDir: m.runDir } satisfies TrainChildNote);
        }
        console.log(`training ${phaseName} (${m.totalEpochs} epochs${m.repeat ? `, ${repeatLabel(m.repeat)}` : ''})`);
        break;
      case 'progress': {
        if (!tty || Date.now() - lastBar < 100) break;
        lastBar = Date.now();
        const total = m.points.find((p) => p.task === WHOLE_MODEL && p.metric === 'loss');
        if (total) process.stderr.write(`\r  epoch ${total.epoch} step ${total.step} loss ${fmt(total.value)}   `);
        break;
      }
      case 'epochEnd':
        if (tty) process.stderr.write('\r\x1b[K');
        console.log(`  ${phaseName} epoch ${m.epoch}/${m.totalEpochs}: ${epochLine(m.values)}`);
        break;
      case 'log':
        console.log(`${m.level === 'warning' ? 'warning: ' : ''}${m.message}`);
        break;
      case 'problems':
        printProblems(file, text, m.problems);
        break;
      case 'error':
        // Traced to a spec field: file:line:column of it (the message names the field already).
        console.error(`${m.path ? `${file}${positionOf(text, m.path)}: ` : ''}error: ${m.message}`);
        if (m.detail && process.env.MTS_DEBUG) console.error(m.detail);
        break;
      case 'done': {
        const s = m.summary;
        console.log('test results (shared model):');
        for (const [task, metrics] of Object.entries(s.test)) {
          // Partial labels: a task measured on fewer test rows than the split has says on how many.
          const l = s.labelled;
          const rows = l && l.tasks[task] && l.tasks[task].test < l.rows.test ? ` (${l.tasks[task].test} of ${l.rows.test} test rows labelled)` : '';
          console.log(`  ${task}: ${Object.entries(metrics).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}${rows}`);
        }
        if (s.baselines) {
          for (const c of s.baselines.comparisons) {
            console.log(`  ${c.task} ${c.metric}: shared ${fmt(c.shared)} vs single-task ${fmt(c.baseline)} (${formatPercent(c.relativeImprovement)})`);
          }
          for (const x of s.baselines.excluded ?? []) console.log(`  ${x.task} ${x.metric}: left out of Δm, ${x.reason}`);
          console.log(`  Δm = ${formatPercent(s.baselines.deltaM)}, the ${DELTA_M_CONVENTIONS[s.baselines.convention ?? DEFAULT_DELTA_M].label}`);
        }
        if (s.repeated) {
          console.log(`repeated: ${repeatsDescription(s.repeated)} (${s.repeated.method}; the results above are the first repeat's, whose model is saved)`);
          for (const row of repeatedRows(s.repeated)) {
            console.log(`  ${row.task} ${row.metric}: shared ${row.shared}${row.baseline ? `; single-task ${row.baseline}` : ''}`);
          }
          if (s.repeated.deltaM) console.log(`  Δm per repeat: ${s.repeated.units.map((u) => (u.deltaM === undefined ? '–' : `${(u.deltaM * 100).toFixed(2)} %`)).join(', ')}`);
        }
        const verdict = sharingVerdict(s);
        if (verdict) console.log(verdict);
        console.log(`parameters: ${formatInteger(s.parameters.total)} (shared ${formatInteger(s.parameters.shared)}); separate single-task models: ${formatInteger(s.parameters.singleTaskTotal)}`);
        console.log(`report: ${path.join(s.runDir, 'report.md')}`);
        break;
      }
      case 'info':
        break;
    }
  };
  const outcome = await runExperiment({
    doc, workspaceDir: specDir, allowedRoots: dataRoots(specDir, args.allowPaths), runsDir, backend: args.backend, ...(args.epochs !== undefined ? { epochs: args.epochs } : {}),
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
    budget: args.budget, emit, cancelled,
  });
  return outcome === 'completed' ? 0 : outcome === 'cancelled' ? 130 : 1;
}

/**
 * A positive whole number flag up to `max` (the bound of the same setting in an experiment:
 * `--steps 1e9` ran until stopped by hand), or undefined when absent.
 */
function wholeFlag(flags: Map<string, string>, name: string, max: number): number | undefined {
  const text = flags.get(name);
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} must be a whole number >= 1 (got ${text})`);
  if (v > max) throw new UsageError(`--${name} must be at most ${max} (got ${text})`);
  return v;
}

/** `--eps`: numbers in [0, LIMITS.epsilon], at most LIMITS.epsilons; an empty item is refused (Number('') is 0: "--eps ''" attacked at ε 0). */
function epsilonsFlag(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',');
  const eps = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (eps.some((e) => !Number.isFinite(e) || e < 0 || e > LIMITS.epsilon) || parts.length > LIMITS.epsilons) {
    throw new UsageError(`--eps must be numbers >= 0 separated by commas, each at most ${LIMITS.epsilon} and at most ${LIMITS.epsilons} of them (got ${text === '' ? 'an empty value' : text})`);
  }
  return eps;
}

/** The run folder of `mts explain|robustness`: not there is an unreadable operand (exit 2, as a missing FILE). */
function runFolderOperand(args: ReturnType<typeof parseArgs>): string {
  const runDir = args.positional[0];
  if (!runDir) throw new UsageError('missing RUN_FOLDER');
  if (!fs.existsSync(runDir)) throw new UsageError(`cannot read ${runDir}: no such file or folder`);
  return runDir;
}

async function robustness(args: ReturnType<typeof parseArgs>): Promise<number> {
  const eps = epsilonsFlag(args.flags.get('eps'));
  const attacks = args.flags.get('attacks')?.split(',');
  if (attacks && attacks.some((a) => a !== 'fgsm' && a !== 'pgd')) throw new UsageError(`--attacks must be fgsm, pgd or both separated by a comma (got ${args.flags.get('attacks')})`);
  const steps = wholeFlag(args.flags, 'steps', LIMITS.pgdSteps), examples = wholeFlag(args.flags, 'examples', LIMITS.attackExamples);
  const runDir = runFolderOperand(args);
  const options: RobustnessSpec = {
    ...(eps ? { epsilons: eps } : {}), ...(attacks ? { attacks: attacks as AttackKind[] } : {}),
    ...(steps ? { pgdSteps: steps } : {}), ...(examples ? { examples } : {}),
  };
  const { backend, dataDir } = await insightSetup(args, runDir);
  const { result, files } = await robustnessOfRun(backend, path.resolve(runDir), dataDir, options, [dataDir, ...args.allowPaths]);
  const tasks = Object.keys(result.records[0]?.metrics ?? {});
  console.log(`robustness of the saved shared model on ${result.examples} test examples (PGD: ${result.pgdSteps} steps):`);
  for (const r of result.records) {
    const what = r.attack === 'none' ? 'clean' : `${r.attack.toUpperCase()} on ${r.on}, ε ${r.epsilon}`;
    console.log(`  ${what}: ${tasks.map((t) => Object.entries(r.metrics[t] ?? {}).filter(([m]) => m !== 'loss').map(([m, v]) => `${t} ${m} ${fmt(v)}`).join(', ')).join('; ')}`);
  }
  console.log(`written: ${files.slice(0, 2).map((f) => path.join(runDir, f)).join(', ')} (+ ${files.length - 2} charts)`);
  return 0;
}

/** The run folder checked, the backend loaded, and the folder its data paths are relative to. */
async function insightSetup(args: ReturnType<typeof parseArgs>, runDir: string) {
  const problem = savedRunProblem(runDir);
  if (problem) throw new InputError(`${runDir}: ${problem}`);
  const dataDir = path.resolve(args.workspace ?? defaultWorkspaceOfRun(runDir));
  const backend = await loadBackend(args.backend, args.threads !== undefined ? { intraOpThreads: args.threads } : {});
  return { backend, dataDir };
}

async function explainCommand(args: ReturnType<typeof parseArgs>): Promise<number> {
  const baseline = args.flags.get('baseline');
  if (baseline !== undefined && baseline !== 'zeros' && baseline !== 'mean') throw new UsageError(`--baseline must be zeros or mean (got ${baseline})`);
  const steps = wholeFlag(args.flags, 'steps', LIMITS.explainSteps), examples = wholeFlag(args.flags, 'examples', LIMITS.explainExamples);
  const runDir = runFolderOperand(args);
  const options: ExplainSpec = { ...(steps ? { steps } : {}), ...(examples ? { examples } : {}), ...(baseline ? { baseline } : {}) };
  const { backend, dataDir } = await insightSetup(args, runDir);
  const { result, files } = await explainOfRun(backend, path.resolve(runDir), dataDir, options, [dataDir, ...args.allowPaths]);
  for (const r of result.saliency.filter((x) => x.method === 'integratedGradients')) {
    const total = r.values.reduce((p, v) => p + v, 0);
    console.log(`example ${r.example} ${r.task}${r.class !== undefined ? ` (class ${r.class})` : ''}: integrated gradients sum ${fmt(total)}, s(x) - s(x') ${fmt(r.score - (r.baselineScore ?? 0))}`);
  }
  for (const f of result.features) console.log(`${f.task}: top features of ${f.input}: ${f.features.slice(0, 5).map((x) => `${x.name} ${fmt(x.meanAbs)}`).join(', ')}`);
  for (const u of result.units) console.log(`${u.layer}: units used by ${Object.entries(unitUse(u)).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`written: ${files.slice(0, 2).map((f) => path.join(runDir, f)).join(', ')} (+ ${files.length - 2} charts)`);
  return 0;
}

/** `mts study`: the study's problems at file:line:column, then every run in this process, then the table. */
async function study(args: ReturnType<typeof parseArgs>): Promise<number> {
  const { doc, text, file } = readDoc(args.positional[0]);
  const checked = checkStudy(doc);
  printProblems(file, text, checked.problems);
  if (!checked.spec) return 1;
  const experimentPath = path.resolve(path.dirname(path.resolve(file)), checked.spec.experiment);
  let experiment: ReturnType<typeof readDoc>;
  try {
    experiment = readDoc(experimentPath);
  } catch (err) {
    throw new InputError(`${file}${positionOf(text, ['experiment'])}: error: "experiment": ${err instanceof Error ? err.message : String(err)} (experiment)`);
  }
  const specDir = path.dirname(experimentPath);
  const runsDir = path.resolve(args.out ?? path.join(specDir, 'runs'));
  if (args.out !== undefined) probeOutFolder(args.out);
  if (args.resume !== undefined && !fs.existsSync(path.join(args.resume, 'study.json'))) throw new UsageError(`--resume ${args.resume}: not a study folder (no study.json in it)`);
  const interrupt = onInterrupt('; resume with --resume');
  const cancelled = () => interrupt.cancelled;
  // With --json, stdout holds the result alone: progress goes to stderr.
  const say = args.json ? (line: string) => console.error(line) : (line: string) => console.log(line);
  let result: StudyResult | undefined;
  let runStarted = false;
  const emit = (m: FromTrainer) => {
    switch (m.type) {
      case 'studyProgress':
        if (!result) say(`study folder: ${path.relative(process.cwd(), m.studyDir) || m.studyDir}`);
        result = m.result;
        break;
      case 'started':
        runStarted = true;
        if (m.phase.kind === 'shared') say(`run ${path.basename(m.runDir)} (${m.backend})`);
        break;
      case 'epochEnd':
        if (m.epoch === m.totalEpochs) say(`  ${phaseLabel(m.phase)}: ${epochLine(m.values)}`);
        break;
      case 'log':
        if (m.level === 'warning') say(`warning: ${m.message}`);
        else if (/^(resuming|data:|memory:)/.test(m.message) && !runStarted) say(m.message);
        break;
      case 'problems':
        // Before any run, problems are the study file's; after, a variant's (its own experiment).
        if (!runStarted) printProblems(file, text, m.problems);
        else for (const p of m.problems) console.error(`${experimentPath}: ${p.severity}: ${p.message} (${p.path.join('.')})`);
        break;
      case 'error':
        console.error(`${m.path && !runStarted ? `${file}${positionOf(text, m.path)}: ` : ''}error: ${m.message}`);
        if (m.detail && process.env.MTS_DEBUG) console.error(m.detail);
        break;
      default:
        break;
    }
  };
  const outcome = await runStudy({
    doc, studyPath: file, experimentDoc: experiment.doc, experimentPath, workspaceDir: specDir,
    allowedRoots: dataRoots(specDir, args.allowPaths), runsDir, backend: args.backend, budget: args.budget,
    ...(args.resume !== undefined ? { resumeDir: args.resume } : {}),
    ...(args.epochs !== undefined ? { epochs: args.epochs } : {}),
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
    emit, cancelled,
  });
  if (result && outcome !== 'invalid') {
    if (args.json) console.log(JSON.stringify(result, null, 2));
    else for (const line of studyTableLines(result)) console.log(line);
  }
  return outcome === 'completed' ? 0 : outcome === 'cancelled' ? 130 : 1;
}

async function exportCommand(args: ReturnType<typeof parseArgs>): Promise<number> {
  const source = args.positional[0];
  if (!source) throw new UsageError('missing FILE or RUN_FOLDER (mts export needs an experiment file or a run folder)');
  if (!args.to) throw new UsageError('mts export needs --to keras, notebook or onnx');
  const abs = path.resolve(source);
  if (!fs.existsSync(abs)) throw new UsageError(`cannot read ${source}: no such file or folder`);
  const isDir = fs.existsSync(abs) && fs.statSync(abs).isDirectory();
  const out = args.out ?? path.join(isDir ? abs : path.dirname(abs), 'export');
  // Ctrl+C once: the export stops at its next checkpoint and removes what it wrote; twice: quit at
  // once (its temporary folder and staged notebook or model.onnx are removed by the next export into the folder).
  const stop = new AbortController();
  process.on('SIGINT', () => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
    console.error('\nstopping the export (Ctrl+C again to quit at once)');
  });
  // Forked by VS Code's "Export experiment…" (host/export/exportProcess.ts): its Cancel sends the
  // trainer's { type: 'cancel' }, which stops the export as one Ctrl+C does.
  if (process.send) process.on('message', (m: { type?: unknown } | null) => { if (m?.type === 'cancel') stop.abort(); });
  try {
    const workspaceDir = args.workspace === undefined ? undefined : path.resolve(args.workspace);
    const done = await exportExperiment(abs, args.to, {
      outDir: out, signal: stop.signal, ...(workspaceDir ? { workspaceDir } : {}),
      ...(args.allowPaths.length ? { allowedRoots: dataRoots(workspaceDir ?? (isDir ? abs : path.dirname(abs)), args.allowPaths) } : {}),
    });
    for (const f of done.files) console.log(`wrote ${f}`);
    for (const n of done.notes ?? []) console.log(`note: ${n}`);
    if (done.packageDir) console.log(`train it: cd ${path.dirname(done.packageDir)} && python -m ${path.basename(done.packageDir)}.train${done.hasWeights ? ' [--from-run-weights]' : ''}`);
    return 0;
  } catch (err) {
    if (err instanceof ExportCancelled) {
      console.error(`mts export: ${err.message}`);
      return 130;
    }
    if (err instanceof ExportError) throw new InputError(`mts export: ${err.message}`);
    throw err;
  }
}

/** The operand of each command (none for info): a second one used to be read as nothing. */
const OPERAND: Record<string, string | undefined> = { train: 'FILE', validate: 'FILE', data: 'FILE', info: undefined, robustness: 'RUN_FOLDER', explain: 'RUN_FOLDER', study: 'FILE', export: 'FILE or RUN_FOLDER' };

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.command !== undefined && Object.hasOwn(OPERAND, args.command)) {
    const operand = OPERAND[args.command];
    const extra = args.positional[operand ? 1 : 0];
    if (extra !== undefined) throw new UsageError(`unexpected argument ${extra === '' ? '""' : extra} (mts ${args.command} takes ${operand ? `one ${operand}` : 'none'})`);
  }
  switch (args.command) {
    case 'train':
      // The parent only watches (trainSupervisor.ts); the child reads the file and trains.
      return isTrainChild() ? train(args) : superviseTrain();
    case 'validate': {
      const { doc, text, file } = readDoc(args.positional[0]);
      const specDir = path.dirname(path.resolve(file));
      const folders = { workspaceDir: specDir, allowedRoots: dataRoots(specDir, args.allowPaths) };
      // The data's columns and values as a run reads them (validateWithData.ts).
      const { spec, problems, rows } = await validateWithData(doc, folders, args.budget);
      printProblems(file, text, problems);
      const errors = problems.filter((p) => p.severity === 'error').length;
      console.log(errors ? `${errors} error(s), ${problems.length - errors} warning(s)` : `valid (${problems.length} warning(s))`);
      if (spec) console.log(`memory: ${describeEstimate(estimateMemory(spec, rows !== undefined ? { rows } : {}))} (budget ${formatBytes(args.budget.bytes)})`);
      return errors ? 1 : 0;
    }
    case 'data': {
      const { doc, text, file } = readDoc(args.positional[0]);
      const specDir = path.dirname(path.resolve(file));
      const result = await dataSummaryOf(doc, specDir, dataRoots(specDir, args.allowPaths), args.budget);
      if (!result.ok) {
        // At the field to fix (file:line:column and JSON path) when the loader knows it.
        if (result.path) printProblems(file, text, [{ path: result.path, message: result.message, severity: 'error' }]);
        else console.error(`${file}: error: ${result.message}`);
        return 1;
      }
      for (const line of dataSummaryLines(result.summary, result.seconds)) console.log(line);
      // The model's inputs against the features just counted: training would stop on these.
      const mismatches = inputShapeProblems(doc, result.summary.featureShape);
      printProblems(file, text, mismatches);
      return mismatches.length ? 1 : 0;
    }
    case 'study':
      return study(args);
    case 'info': {
      const b = await loadBackend(args.backend, args.threads !== undefined ? { intraOpThreads: args.threads } : {});
      for (const line of describeBackend(b)) console.log(line);
      return 0;
    }
    case 'robustness':
      return robustness(args);
    case 'explain':
      return explainCommand(args);
    case 'export':
      return exportCommand(args);
    default:
      throw new UsageError(args.command ? `unknown command ${args.command}` : 'missing command');
  }
}

main().then((code) => process.exit(code), (err) => {
  if (err instanceof UsageError) {
    console.error(`mts: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  if (err instanceof InputError) {
    console.error(err.message);
    process.exit(1);
  }
  console.error(`mts: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
