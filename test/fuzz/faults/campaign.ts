// The fault campaign: `runs` cases, each a scenario of scenarios.ts at a stage drawn from the
// seed, in a workspace of its own that starts with an earlier completed run of the experiment
// (the witness, which no case may touch); every case held to oracle.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deriveSeed, SeededRandom } from '../../../src/core/random';
import { findings, folderHashes } from './oracle';
import { copyWitness, SCENARIOS, unmountSmallDisk, type Scenario, type Stage } from './scenarios';
import { killAllTrains, ROOT, startTrain } from './trainProcess';

const EXAMPLE = 'tabular-csv';
const DATA = 'patients.csv';
/** Enough for each phase to be caught training (early stopping ends some sooner); a case takes about 4 s. */
const EPOCHS = 20;
const CASE_TIMEOUT_MS = 120_000;

export interface FaultCase {
  index: number;
  scenario: string;
  stage?: Stage;
  /** What was done (or why the case was skipped). */
  done: string;
  exits: Array<{ code: number | null; signal: string | null }>;
  findings: string[];
  /** Kept for a look when it has findings. */
  dir?: string;
  skipped?: boolean;
}

export interface FaultOptions {
  seed: number;
  runs: number;
  /** Scenario names to draw from (default all). */
  scenarios?: string[];
  workDir: string;
  keepFailing?: boolean;
  onCase?: (c: FaultCase) => void;
}

export function scenarioNames(): string[] {
  return SCENARIOS.map((s) => s.name);
}

const isRoot = () => process.platform === 'linux' && process.getuid?.() === 0;

/** The experiment's workspace: the example's file and CSV. */
function workspace(dir: string): { specFile: string; dataFile: string } {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of [`${EXAMPLE}.mtl.json`, DATA]) fs.copyFileSync(path.join(ROOT, 'examples', EXAMPLE, f), path.join(dir, f));
  return { specFile: path.join(dir, `${EXAMPLE}.mtl.json`), dataFile: path.join(dir, DATA) };
}

/** One completed run made before the cases: each case starts with a copy of it. */
async function makeWitness(workDir: string): Promise<string> {
  const dir = path.join(workDir, 'witness');
  const { specFile } = workspace(dir);
  const runs = path.join(dir, 'runs');
  const exit = await startTrain([specFile, '--epochs', '2', '--out', runs], dir).exited;
  if (exit.code !== 0) throw new Error(`the witness run failed (exit ${exit.code}):\n${exit.stderr}`);
  return runs;
}

export async function faultCampaign(opts: FaultOptions): Promise<FaultCase[]> {
  const chosen: Scenario[] = opts.scenarios ? opts.scenarios.map((n) => {
    const s = SCENARIOS.find((x) => x.name === n);
    if (!s) throw new Error(`unknown scenario ${n} (known: ${scenarioNames().join(', ')})`);
    return s;
  }) : SCENARIOS;
  const witnessRuns = await makeWitness(opts.workDir);
  const cases: FaultCase[] = [];
  for (let i = 0; i < opts.runs; i++) {
    // Every scenario in turn (a short sample still covers each), its stage from the seed.
    const scenario = chosen[(i + opts.seed) % chosen.length]!;
    const rng = new SeededRandom(deriveSeed(opts.seed, i));
    const stage = scenario.stages[rng.int(scenario.stages.length)]!;
    const result = await runCase(i, scenario, stage, rng, witnessRuns, opts);
    cases.push(result);
    opts.onCase?.(result);
  }
  return cases;
}

async function runCase(index: number, scenario: Scenario, stage: Stage, rng: SeededRandom, witnessRuns: string, opts: FaultOptions): Promise<FaultCase> {
  const base = { index, scenario: scenario.name, stage };
  if (scenario.needsRoot && !isRoot()) return { ...base, done: 'skipped: needs root for a tmpfs mount', exits: [], findings: [], skipped: true };
  const dir = path.join(opts.workDir, `case-${index}`);
  const { specFile, dataFile } = workspace(dir);
  const runsDir = path.join(dir, 'runs');
  copyWitness(witnessRuns, runsDir);
  const specBefore = fs.readFileSync(specFile, 'utf8');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let result: FaultCase;
  try {
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), CASE_TIMEOUT_MS); });
    const outcome = await Promise.race([scenario.run({ dir, specFile, dataFile, runsDir, epochs: EPOCHS, stage, rng }), timeout]);
    if (outcome === 'timeout') {
      killAllTrains();
      result = { ...base, done: 'timed out', exits: [], findings: [`no end within ${CASE_TIMEOUT_MS / 1000} s`] };
    } else {
      const usedRuns = outcome.runsDir ?? runsDir;
      const experimentDir = path.join(usedRuns, EXAMPLE);
      const witnessName = fs.readdirSync(path.join(witnessRuns, EXAMPLE))[0]!;
      const found = findings(outcome.expect, {
        exits: outcome.exits, runsDir: usedRuns, experimentDir,
        witness: { dir: path.join(experimentDir, witnessName), before: folderHashes(path.join(witnessRuns, EXAMPLE, witnessName)) },
        specFile, specBefore, ...(outcome.specEdited ? { specEdited: true } : {}),
      });
      result = { ...base, done: outcome.done, exits: outcome.exits.map((e) => ({ code: e.code, signal: e.signal })), findings: found };
    }
  } catch (err) {
    result = { ...base, done: 'the case itself failed', exits: [], findings: [`campaign error: ${(err as Error).stack ?? String(err)}`] };
  } finally {
    clearTimeout(timer);
  }
  unmountSmallDisk(dir);
  return keep(result, dir, opts);
}

function keep(c: FaultCase, dir: string, opts: FaultOptions): FaultCase {
  if (c.findings.length && opts.keepFailing) return { ...c, dir };
  fs.rmSync(dir, { recursive: true, force: true });
  return c;
}

export function faultsWorkDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mts-faults-${label}-`));
}

/** One line per case: `#3 run-folder-removed @ baseline: run folder removed -> exit 1 | ok`. */
export function caseLine(c: FaultCase): string {
  const exits = c.exits.map((e) => (e.signal ? e.signal : `exit ${e.code}`)).join(', ');
  const verdict = c.skipped ? '' : c.findings.length ? ` | ${c.findings.length} finding(s):\n    ${c.findings.join('\n    ')}${c.dir ? `\n    (kept: ${c.dir})` : ''}` : ' | ok';
  return `#${c.index} ${c.scenario}${c.stage ? ` @ ${c.stage}` : ''}: ${c.done}${exits ? ` -> ${exits}` : ''}${verdict}`;
}
