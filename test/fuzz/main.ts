// `npm run fuzz [-- --runs N] [--seed N] [--cli N] [--train N] [--args N] [--layers validate,cli,train,args]`
// Generates malformed experiments and CSVs and runs them: --runs cases through core validate
// in-process, --cli (default runs/5) through `mts validate` and `mts data`, --train (default
// runs/50, at least 3) through `mts train --epochs 1`, --args (default runs/20, at least 5) odd
// `mts` command lines (commands, files, options). Prints counts per category and writes
// the full triage (each finding's shrunk counterexample with its seed and path) to a file in
// the temp folder. Exit 1 when any category has findings, 2 on a usage error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { campaign, reportText, type CampaignResult } from './campaign';
import { CATEGORIES } from './oracle';
import { isPending, PENDING } from './pending';
import { fuzzWorkDir, type Layer } from './runner';

const USAGE = 'usage: npm run fuzz -- [--runs N] [--seed N] [--cli N] [--train N] [--args N] [--layers validate,cli,train,args]';

function parse(argv: string[]) {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [k, v] = a.includes('=') ? (a.slice(2).split('=', 2) as [string, string]) : [a.slice(2), argv[++i]];
    if (v === undefined) throw new Error(`--${k} needs a value`);
    flags.set(k, v);
  }
  for (const k of flags.keys()) if (!['runs', 'seed', 'cli', 'train', 'args', 'layers'].includes(k)) throw new Error(`unknown option --${k}`);
  const count = (k: string, fallback: number) => {
    const text = flags.get(k);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} must be a whole number >= 0 (got ${text})`);
    return n;
  };
  const runs = count('runs', 300);
  const layers = (flags.get('layers') ?? 'validate,cli,train,args').split(',') as Layer[];
  for (const l of layers) if (!['validate', 'cli', 'train', 'args'].includes(l)) throw new Error(`--layers: unknown layer ${l}`);
  return { runs, seed: count('seed', Date.now() % 1_000_000), cli: count('cli', Math.round(runs / 5)), train: count('train', Math.max(3, Math.round(runs / 50))), args: count('args', Math.max(5, Math.round(runs / 20))), layers };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    console.error(`fuzz: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const workDir = fuzzWorkDir(`s${args.seed}`);
  const opts = { workDir, keepFailing: true };
  const results: CampaignResult[] = [];
  const started = Date.now();
  for (const layer of args.layers) {
    const n = { validate: args.runs, cli: args.cli, train: args.train, args: args.args }[layer];
    if (n === 0) continue;
    process.stdout.write(`${layer}: ${n} cases (seed ${args.seed}) `);
    const t = Date.now();
    const r = await campaign(layer, args.seed, n, opts, { onCase: (i) => { if (i % Math.max(1, Math.round(n / 20)) === 0) process.stdout.write('.'); } });
    console.log(` ${r.groups.length} finding group(s), ${((Date.now() - t) / 1000).toFixed(0)} s`);
    results.push(r);
  }
  const { text, counts } = reportText(results, CATEGORIES);
  const reportFile = path.join(os.tmpdir(), `mts-fuzz-report-${args.seed}.txt`);
  fs.writeFileSync(reportFile, `${text}\n`);
  console.log(`\n${text.split('\n').slice(0, 2).join('\n')}`);
  const groups = results.flatMap((r) => r.groups);
  for (const g of groups.slice(0, 40)) {
    const known = PENDING.find((p) => isPending(g, g.tags, [p]));
    console.log(`  [${g.category}] ${g.layer} ×${g.count}: ${g.message.slice(0, 130)}${known ? ` (pending: ${known.area})` : ''}`);
  }
  if (groups.length > 40) console.log(`  … and ${groups.length - 40} more groups`);
  console.log(`report: ${reportFile}\ncase files of failures: ${workDir}\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const failing = Object.values(counts).some((n) => n > 0);
  if (!failing) fs.rmSync(workDir, { recursive: true, force: true });
  return failing ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
