// `npm run fuzz [-- --runs N] [--seed N] [--cli N] [--train N] [--args N] [--study N] [--layers validate,cli,train,args,study]`
// Generates malformed experiments and CSVs and runs them: --runs cases through core validate
// in-process, --cli (default runs/5) through `mts validate` and `mts data`, --train (default
// runs/50, at least 3) through `mts train --epochs 1`, --args (default runs/20, at least 5) odd
// `mts` command lines (commands, files, options), --study (default runs/30, at least 3) malformed
// study files through `mts study --epochs 1`. Prints counts per category and writes
// the full triage (each finding's shrunk counterexample with its seed and path) to a file in
// the temp folder. Exit 1 when any category has findings, 2 on a usage error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { campaignMain, type CampaignCli } from './campaignArgs';
import { campaign, reportText, type CampaignResult } from './campaign';
import { CATEGORIES } from './oracle';
import { isPending, PENDING } from './pending';
import { fuzzWorkDir, type Layer } from './runner';

const LAYERS: readonly Layer[] = ['validate', 'cli', 'train', 'args', 'study'];

const cli: CampaignCli<{ runs: number; seed: number; cli: number; train: number; args: number; study: number; layers: Layer[] }> = {
  tool: 'fuzz',
  usage: 'usage: npm run fuzz -- [--runs N] [--seed N] [--cli N] [--train N] [--args N] [--study N] [--layers validate,cli,train,args,study]',
  options: ['runs', 'seed', 'cli', 'train', 'args', 'study', 'layers'],
  settings: (a) => {
    const runs = a.count('runs', 300);
    return {
      runs, seed: a.count('seed', Date.now() % 1_000_000), cli: a.count('cli', Math.round(runs / 5)),
      train: a.count('train', Math.max(3, Math.round(runs / 50))), args: a.count('args', Math.max(5, Math.round(runs / 20))),
      study: a.count('study', Math.max(3, Math.round(runs / 30))),
      layers: a.list('layers', LAYERS, 'layer') ?? [...LAYERS],
    };
  },
};

async function main(args: ReturnType<typeof cli.settings>): Promise<number> {
  const workDir = fuzzWorkDir(`s${args.seed}`);
  const opts = { workDir, keepFailing: true };
  const results: CampaignResult[] = [];
  const started = Date.now();
  for (const layer of args.layers) {
    const n = { validate: args.runs, cli: args.cli, train: args.train, args: args.args, study: args.study }[layer];
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

campaignMain(cli, main);
