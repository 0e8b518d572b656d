// `npm run faults [-- --runs N] [--seed N] [--scenarios a,b]`
// Faults while a real `mts train` runs (test/fuzz/faults/scenarios.ts: the trainer killed or
// crashing, Ctrl+C, the run folder removed or a file of it replaced, a file size limit, a full
// or read-only disk (root: a tmpfs), two runs at once, the experiment file or the data changed
// mid-run), each at a stage drawn from the seed, each held to oracle.ts. Prints a line per case;
// exit 1 when any case has findings (their workspaces are kept in the temp folder), 2 on a usage error.
import fs from 'node:fs';
import { caseLine, faultCampaign, faultsWorkDir, scenarioNames } from './campaign';

const USAGE = `usage: npm run faults -- [--runs N] [--seed N] [--scenarios ${scenarioNames().join(',')}]`;

function parse(argv: string[]) {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    const [k, v] = eq >= 0 ? [a.slice(2, eq), a.slice(eq + 1)] : [a.slice(2), argv[++i]];
    if (v === undefined) throw new Error(`--${k} needs a value`);
    flags.set(k, v);
  }
  for (const k of flags.keys()) if (!['runs', 'seed', 'scenarios'].includes(k)) throw new Error(`unknown option --${k}`);
  const count = (k: string, fallback: number) => {
    const text = flags.get(k);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} must be a whole number >= 0 (got ${text})`);
    return n;
  };
  const scenarios = flags.get('scenarios')?.split(',');
  for (const s of scenarios ?? []) if (!scenarioNames().includes(s)) throw new Error(`--scenarios: unknown scenario ${s}`);
  return { runs: count('runs', 2 * scenarioNames().length), seed: count('seed', Date.now() % 1_000_000), ...(scenarios ? { scenarios } : {}) };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    console.error(`faults: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const workDir = faultsWorkDir(`s${args.seed}`);
  console.log(`${args.runs} cases, seed ${args.seed} (again: npm run faults -- --seed ${args.seed} --runs ${args.runs}${args.scenarios ? ` --scenarios ${args.scenarios.join(',')}` : ''})`);
  const started = Date.now();
  const cases = await faultCampaign({ ...args, workDir, keepFailing: true, onCase: (c) => console.log(caseLine(c)) });
  const failing = cases.filter((c) => c.findings.length);
  const skipped = cases.filter((c) => c.skipped).length;
  console.log(`${cases.length - skipped} cases run${skipped ? `, ${skipped} skipped` : ''}, ${failing.length} with findings, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (!failing.length) fs.rmSync(workDir, { recursive: true, force: true });
  return failing.length ? 1 : 0;
}

void main().then((code) => { process.exitCode = code; });
